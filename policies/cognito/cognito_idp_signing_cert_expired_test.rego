package rules.cognito.cognito_idp_signing_cert_expired_test

import data.rules.cognito.cognito_idp_signing_cert_expired as check
import rego.v1

pool_arn := "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"

build_input(provider, contact_center) := {"derived": {"user_pools": {pool_arn: {
	"account_id": "111122223333", "name": "agents", "contact_center": contact_center,
	"saml_providers": [provider],
}}}}

expired := {"name": "Okta", "expired": true, "expires_at": "2026-10-12T00:00:00Z", "expiry_source": "signing certificate notAfter", "days_until_expiry": -50}

valid := object.union(expired, {"expired": false, "days_until_expiry": 200})

test_deny_expired_provider if {
	some f in check.deny with input as build_input(expired, true)
	f.resource == "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"
	contains(f.message, "Okta")
	contains(f.message, "expired on 2026-10-12")
}

test_allow_valid_provider if {
	count(check.deny) == 0 with input as build_input(valid, true)
}

test_allow_pool_outside_a_contact_center_account if {
	count(check.deny) == 0 with input as build_input(expired, false)
}

test_allow_unknown_expiry if {
	unknown := {"name": "Okta", "expired": false, "expiry_unknown": "not fetched"}
	count(check.deny) == 0 with input as build_input(unknown, true)
}
