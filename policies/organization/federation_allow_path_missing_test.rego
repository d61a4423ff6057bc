package rules.organization.federation_allow_path_missing_test

import data.rules.organization.federation_allow_path_missing as check
import rego.v1

decision(missing) := {"decision": "not_denied", "allow_path": {"complete": count(missing) == 0, "missing_at": missing}}

build_input(token_missing, saml_missing) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme",
		"identity_management_type": "SAML", "in_management_account": false,
		"federation_roles": ["arn:aws:iam::111122223333:role/ConnectFederation"],
		"scp": {"connect:GetFederationToken": "d-token"},
	}},
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {"scp": {"sts:AssumeRoleWithSAML": "d-saml"}}},
	"scp_decisions": {"d-token": decision(token_missing), "d-saml": decision(saml_missing)},
}}

test_deny_missing_allow_for_the_token if {
	some f in check.deny with input as build_input(["ou-sandbox"], [])
	contains(f.message, "no SCP allows connect:GetFederationToken at ou-sandbox")
}

test_deny_missing_allow_for_saml if {
	some f in check.deny with input as build_input([], ["111122223333"])
	contains(f.message, "sts:AssumeRoleWithSAML at 111122223333")
}

test_allow_complete_paths if {
	count(check.deny) == 0 with input as build_input([], [])
}
