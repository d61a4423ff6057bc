package rules.scp.scp_near_size_or_count_limit_test

import data.rules.scp.scp_near_size_or_count_limit as check
import rego.v1

build_input(size, count) := {"derived": {
	"policies": {"p-1": {"arn": "arn:p-1", "name": "big", "policy_type": "SERVICE_CONTROL_POLICY", "size_chars": size, "size_limit": 5120}},
	"targets": {"ou-1": {"id": "ou-1", "arn": "arn:ou-1", "name": "Prod-US", "scp_count": count, "scp_limit": 5}},
}}

test_deny_large_policy if {
	some f in check.deny with input as build_input(4700, 2)
	f.message == "SCP big is 4700 of 5120 characters"
}

test_deny_full_target if {
	some f in check.deny with input as build_input(100, 5)
	contains(f.message, "Prod-US has 5 SCPs attached")
}

test_allow_room_left if {
	count(check.deny) == 0 with input as build_input(4600, 4)
}
