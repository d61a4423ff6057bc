package rules.resiliency.sign_in_distribution_misconfigured_test

import data.rules.resiliency.sign_in_distribution_misconfigured as check
import rego.v1

group(status, sign_in) := {"status": status, "distribution": {"sign_in": sign_in}}

build_input(group) := {"derived": {"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme",
	"replication": {"source_region": "us-east-1", "statuses": [{"region": "us-west-2", "status": "INSTANCE_REPLICATION_COMPLETE"}]},
	"default_traffic_distribution_group": group,
}}}}

both := [{"region": "us-east-1", "enabled": true}, {"region": "us-west-2", "enabled": true}]

test_deny_missing_group if {
	some f in check.deny with input as build_input(null)
	contains(f.message, "has no default traffic distribution group")
}

test_deny_inactive_group if {
	some f in check.deny with input as build_input(group("UPDATE_IN_PROGRESS", both))
	contains(f.message, "group is UPDATE_IN_PROGRESS")
}

test_deny_missing_region if {
	some f in check.deny with input as build_input(group("ACTIVE", [{"region": "us-east-1", "enabled": true}]))
	contains(f.message, "sign-in is not configured for us-west-2")
}

test_deny_nothing_enabled if {
	some f in check.deny with input as build_input(group("ACTIVE", [{"region": "us-east-1", "enabled": false}, {"region": "us-west-2", "enabled": false}]))
	contains(f.message, "enabled in no region")
}

test_allow_both_regions if {
	count(check.deny) == 0 with input as build_input(group("ACTIVE", both))
}
