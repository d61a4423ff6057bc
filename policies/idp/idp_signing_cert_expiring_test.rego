package rules.idp.idp_signing_cert_expiring_test

import data.rules.idp.idp_signing_cert_expiring as check
import rego.v1

build_input(expired, days) := {"derived": {"saml_providers": {"arn:aws:iam::111122223333:saml-provider/Entra": {
	"account_id": "111122223333", "name": "Entra", "expired": expired, "days_until_expiry": days,
	"expires_at": "2026-11-19T00:00:00Z", "expiry_source": "signing certificate notAfter",
}}}}

test_deny_provider_expiring_within_the_window if {
	findings := check.deny with input as build_input(false, 17) with data.config.expiry_warn_days as 30
	some f in findings
	contains(f.message, "expires on 2026-11-19T00:00:00Z (signing certificate notAfter), 17 days after")
}

test_allow_provider_outside_the_window if {
	count(check.deny) == 0 with input as build_input(false, 17) with data.config.expiry_warn_days as 10
}

test_allow_expired_provider_left_to_the_expired_rule if {
	count(check.deny) == 0 with input as build_input(true, -3) with data.config.expiry_warn_days as 30
}

test_allow_provider_without_expiry if {
	count(check.deny) == 0 with input as build_input(false, null) with data.config.expiry_warn_days as 30
}
