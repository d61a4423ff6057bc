package rules.federation.federation_role_recreated_test

import data.rules.federation.federation_role_recreated as check
import rego.v1

# The role was created after its instance, as in every documented setup.
build_input := {"derived": {
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
		"account_id": "111122223333", "name": "ConnectFederation", "role_id": "AROA2", "create_date": "2024-05-20T00:00:00Z",
		"is_federation_role": true, "instances": ["arn:aws:connect:eu-central-1:111122223333:instance/i-1"],
	}},
	"instances": {"arn:aws:connect:eu-central-1:111122223333:instance/i-1": {"id": "i-1", "created_time": "2023-12-01T00:00:00Z"}},
}}

with_baseline(role_id) := object.union(build_input, {"baseline": {"federation_roles": {"arn:aws:iam::111122223333:role/ConnectFederation": role_id}}})

test_allow_role_younger_than_instance_without_a_baseline if {
	count(check.deny) == 0 with input as build_input
}

test_deny_role_id_changed_since_the_baseline if {
	some f in check.deny with input as with_baseline("AROA1")
	contains(f.message, "its RoleId changed from AROA1 (baseline) to AROA2")
}

test_allow_same_role_id_as_the_baseline if {
	count(check.deny) == 0 with input as with_baseline("AROA2")
}

test_allow_role_not_in_the_baseline if {
	inp := object.union(build_input, {"baseline": {"federation_roles": {"arn:aws:iam::111122223333:role/Other": "AROA9"}}})
	count(check.deny) == 0 with input as inp
}
