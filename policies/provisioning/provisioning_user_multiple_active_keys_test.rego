package rules.provisioning.provisioning_user_multiple_active_keys_test

import data.rules.provisioning.provisioning_user_multiple_active_keys as check
import rego.v1

build_input(active) := {"derived": {"users": {"arn:aws:iam::111122223333:user/okta-provisioning": {
	"account_id": "111122223333", "name": "okta-provisioning", "active_keys": active, "access_keys": [],
}}}}

test_deny_two_active_keys if {
	findings := check.deny with input as build_input(2)
	count(findings) == 1
	some f in findings
	contains(f.message, "okta-provisioning has 2 active access keys")
}

test_allow_one_active_key if {
	count(check.deny) == 0 with input as build_input(1)
}
