package rules.scp.saml_provider_deletion_not_denied_by_scp_test

import data.rules.scp.saml_provider_deletion_not_denied_by_scp as check
import rego.v1

denied := {"decision": "denied"}

not_denied := {"decision": "not_denied"}

build_input(delete, update, trusted_by) := {"derived": {
	"accounts": {"111122223333": {"is_management": false}},
	"saml_providers": {"arn:aws:iam::111122223333:saml-provider/Okta": {
		"account_id": "111122223333", "name": "Okta", "trusted_by": trusted_by,
		"scp": {"iam:DeleteSAMLProvider": "d-delete", "iam:UpdateSAMLProvider": "d-update"},
	}},
	"scp_decisions": {"d-delete": delete, "d-update": update},
}}

role := ["arn:aws:iam::111122223333:role/ConnectFederation"]

test_deny_unprotected_provider if {
	some f in check.deny with input as build_input(denied, not_denied, role)
	contains(f.message, "against iam:UpdateSAMLProvider")
}

test_allow_protected_provider if {
	count(check.deny) == 0 with input as build_input(denied, denied, role)
}

test_allow_untrusted_provider if {
	count(check.deny) == 0 with input as build_input(not_denied, not_denied, [])
}
