package rules.provisioning.provisioning_access_key_unused_test

import data.rules.provisioning.provisioning_access_key_unused as check
import rego.v1

build_input(keys) := {"derived": {"users": {"arn:aws:iam::111122223333:user/okta-provisioning": {
	"account_id": "111122223333", "name": "okta-provisioning", "access_keys": keys,
}}}}

config := {"access_key_unused_days": 90}

test_deny_key_never_used if {
	findings := check.deny with input as build_input([{"slot": 2, "active": true, "age_days": 200, "days_since_use": null}]) with data.config as config
	count(findings) == 1
	some f in findings
	contains(f.message, "access key 2 never used in its 200 days")
}

test_deny_key_idle if {
	findings := check.deny with input as build_input([{"slot": 1, "active": true, "age_days": 300, "days_since_use": 120}]) with data.config as config
	some f in findings
	contains(f.message, "last used 120 days ago")
}

test_allow_used_new_or_inactive_keys if {
	keys := [
		{"slot": 1, "active": true, "age_days": 300, "days_since_use": 2},
		{"slot": 2, "active": true, "age_days": 10, "days_since_use": null},
		{"slot": 3, "active": false, "age_days": 900, "days_since_use": null},
	]
	count(check.deny) == 0 with input as build_input(keys) with data.config as config
}
