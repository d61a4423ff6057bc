package rules.idp.backup_idp_not_independent_test

import data.rules.idp.backup_idp_not_independent as check
import rego.v1

okta := {"arn": "arn:aws:iam::111122223333:saml-provider/Okta", "name": "Okta", "entity_id": "http://www.okta.com/exk1", "signing_fingerprints": ["aa"], "expired": false, "parse_error": null}

entra := {"arn": "arn:aws:iam::111122223333:saml-provider/Entra", "name": "Entra", "entity_id": "https://sts.windows.net/t/", "signing_fingerprints": ["bb"], "expired": false, "parse_error": null}

build_input(providers, production) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "contact-prod",
		"identity_management_type": "SAML", "production_reason": production, "gr_planned_reason": null,
		"trusted_providers": [p.arn | some p in providers],
	}},
	"saml_providers": {p.arn: p | some p in providers},
}}

test_deny_single_idp if {
	findings := check.deny with input as build_input([okta], "account is in OU Prod")
	some f in findings
	contains(f.message, "has 1 working IdP(s)")
}

test_deny_same_metadata_uploaded_twice if {
	copy := object.union(okta, {"arn": "arn:aws:iam::111122223333:saml-provider/OktaBackup", "name": "OktaBackup"})
	count(check.deny) == 1 with input as build_input([okta, copy], "account is in OU Prod")
}

test_deny_when_the_backup_is_expired if {
	expired := object.union(entra, {"expired": true})
	count(check.deny) == 1 with input as build_input([okta, expired], "account is in OU Prod")
}

test_allow_two_independent_idps if {
	count(check.deny) == 0 with input as build_input([okta, entra], "account is in OU Prod")
}

test_allow_instances_that_do_not_need_resiliency if {
	count(check.deny) == 0 with input as build_input([okta], null)
}
