package rules.provisioning.provisioning_permissions_not_instance_scoped_test

import data.rules.provisioning.provisioning_permissions_not_instance_scoped as check
import rego.v1

build_input(scoped) := {"derived": {"users": {"arn:aws:iam::111122223333:user/okta-provisioning": {
	"account_id": "111122223333", "name": "okta-provisioning",
	"grants": [{"policy": "connect", "index": 0, "actions": ["connect:CreateUser"], "resources": ["*"], "instance_scoped": scoped}],
}}}}

test_deny_unscoped_grant if {
	findings := check.deny with input as build_input(false)
	count(findings) == 1
	some f in findings
	contains(f.message, "granted connect:CreateUser on * by connect, not limited to one instance")
}

test_allow_scoped_grant if {
	count(check.deny) == 0 with input as build_input(true)
}
