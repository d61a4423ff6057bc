package rules.organization.saml_sign_in_denied_by_rcp_test

import data.rules.organization.saml_sign_in_denied_by_rcp as check
import rego.v1

build_input(decision, is_federation_role) := {"derived": {
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
		"account_id": "111122223333", "name": "ConnectFederation", "is_federation_role": is_federation_role,
		"instances": ["arn:aws:connect:us-west-2:111122223333:instance/i-1"],
		"rcp": {"sts:AssumeRoleWithSAML": "r0"},
	}},
	"instances": {"arn:aws:connect:us-west-2:111122223333:instance/i-1": {"id": "i-1", "alias": "acme-test"}},
	"rcp_decisions": {"r0": {"decision": decision, "reason": "denied by statement \"EnforceOrgIdentities\" of RCP \"perimeter\" (p-1) attached to ou-nonprod"}},
}}

test_deny_when_an_rcp_denies_saml_sign_in if {
	some f in check.deny with input as build_input("denied", true)
	f.resource == "arn:aws:iam::111122223333:role/ConnectFederation"
	contains(f.message, "federation role ConnectFederation (instances: acme-test) is denied by an RCP: denied by statement \"EnforceOrgIdentities\"")
}

test_allow_when_rcps_do_not_deny if {
	count(check.deny) == 0 with input as build_input("not_denied", true)
}

# Unknown (an RCP conditioned on SAML:aud, say) is not reported as a denial.
test_allow_when_the_decision_is_unknown if {
	count(check.deny) == 0 with input as build_input("unknown", true)
}

test_allow_roles_that_are_not_federation_roles if {
	count(check.deny) == 0 with input as build_input("denied", false)
}
