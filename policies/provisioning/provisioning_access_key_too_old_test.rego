package rules.provisioning.provisioning_access_key_too_old_test

import data.rules.provisioning.provisioning_access_key_too_old as check
import rego.v1

build_input(keys) := {"derived": {"users": {"arn:aws:iam::111122223333:user/okta-provisioning": {
	"account_id": "111122223333", "name": "okta-provisioning", "access_keys": keys,
	"grants": [{"policy": "connect", "actions": ["connect:CreateUser"], "resources": ["*"], "instance_scoped": false}],
}}}}

config := {"access_key_max_age_days": 90}

test_deny_old_active_key if {
	findings := check.deny with input as build_input([{"slot": 1, "active": true, "age_days": 400}]) with data.config as config
	count(findings) == 1
	some f in findings
	contains(f.message, "access key 1 created 400 days ago (limit 90)")
	f.discriminator == "key-1"
}

test_allow_recent_or_inactive_keys if {
	keys := [
		{"slot": 1, "active": true, "age_days": 30},
		{"slot": 2, "active": false, "age_days": 900},
	]
	count(check.deny) == 0 with input as build_input(keys) with data.config as config
}
