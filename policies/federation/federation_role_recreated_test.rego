package rules.federation.federation_role_recreated_test

import data.rules.federation.federation_role_recreated as check
import rego.v1

build_input(after) := {"derived": {
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
		"account_id": "111122223333", "name": "ConnectFederation", "role_id": "AROA2", "create_date": "2024-05-20T00:00:00Z",
		"is_federation_role": true, "created_after_instances": after,
	}},
	"instances": {"arn:aws:connect:eu-central-1:111122223333:instance/i-1": {"id": "i-1", "created_time": "2023-12-01T00:00:00Z"}},
}}

test_deny_role_younger_than_instance if {
	some f in check.deny with input as build_input(["arn:aws:connect:eu-central-1:111122223333:instance/i-1"])
	contains(f.message, "(RoleId AROA2) was created on 2024-05-20T00:00:00Z, after instance i-1 (2023-12-01T00:00:00Z)")
}

test_allow_role_older_than_instance if {
	count(check.deny) == 0 with input as build_input([])
}

test_deny_role_id_changed_since_the_baseline if {
	inp := object.union(build_input([]), {"baseline": {"federation_roles": {"arn:aws:iam::111122223333:role/ConnectFederation": "AROA1"}}})
	some f in check.deny with input as inp
	contains(f.message, "its RoleId changed from AROA1 (baseline) to AROA2")
}

test_allow_same_role_id_as_the_baseline if {
	inp := object.union(build_input([]), {"baseline": {"federation_roles": {"arn:aws:iam::111122223333:role/ConnectFederation": "AROA2"}}})
	count(check.deny) == 0 with input as inp
}
