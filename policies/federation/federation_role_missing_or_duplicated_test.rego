package rules.federation.federation_role_missing_or_duplicated_test

import data.rules.federation.federation_role_missing_or_duplicated as check
import rego.v1

build_input(type, roles) := {"derived": {"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme",
	"identity_management_type": type, "federation_roles": roles,
}}}}

test_deny_no_role if {
	some f in check.deny with input as build_input("SAML", [])
	contains(f.message, "no federation role")
}

test_deny_two_roles if {
	some f in check.deny with input as build_input("SAML", ["arn:aws:iam::111122223333:role/A", "arn:aws:iam::111122223333:role/B"])
	contains(f.message, "2 federation roles")
}

test_allow_one_role if {
	count(check.deny) == 0 with input as build_input("SAML", ["arn:aws:iam::111122223333:role/A"])
}

test_allow_instances_without_saml if {
	count(check.deny) == 0 with input as build_input("CONNECT_MANAGED", [])
}
