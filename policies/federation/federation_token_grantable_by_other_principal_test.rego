package rules.federation.federation_token_grantable_by_other_principal_test

import data.rules.federation.federation_token_grantable_by_other_principal as check
import rego.v1

build_input(providers) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/SupervisorTools": {
	"account_id": "111122223333", "name": "SupervisorTools",
	"trust": {"saml_providers": providers},
	"federation_grants": [{"policy": "connect-read", "index": 0, "actions": ["connect:Get*"]}],
}}}}

test_deny_non_saml_role_with_the_grant if {
	some f in check.deny with input as build_input([])
	contains(f.message, "role SupervisorTools is not a SAML federation role but may call connect:GetFederationToken through policy connect-read (connect:Get*)")
}

test_allow_saml_federation_role if {
	count(check.deny) == 0 with input as build_input(["arn:aws:iam::111122223333:saml-provider/Okta"])
}
