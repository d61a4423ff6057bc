package rules.cognito.cognito_idp_signing_cert_expiring_test

import data.rules.cognito.cognito_idp_signing_cert_expiring as check
import rego.v1

pool_arn := "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"

build_input(days, expired) := {"derived": {"user_pools": {pool_arn: {
	"account_id": "111122223333", "name": "agents", "contact_center": true,
	"saml_providers": [{"name": "Okta", "expired": expired, "days_until_expiry": days, "expires_at": "2027-01-01T00:00:00Z", "expiry_source": "signing certificate notAfter"}],
}}}}

test_deny_within_window if {
	some f in check.deny with input as build_input(12, false) with data.config.expiry_warn_days as 30
	contains(f.message, "12 days after the snapshot")
	f.details.warn_days == 30
}

test_allow_outside_window if {
	count(check.deny) == 0 with input as build_input(31, false) with data.config.expiry_warn_days as 30
}

test_allow_already_expired if {
	# Reported by cognito-idp-signing-cert-expired instead.
	count(check.deny) == 0 with input as build_input(-3, true) with data.config.expiry_warn_days as 30
}
