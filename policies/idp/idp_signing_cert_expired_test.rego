package rules.idp.idp_signing_cert_expired_test

import data.rules.idp.idp_signing_cert_expired as check
import rego.v1

build_input(expired, days) := {"derived": {"saml_providers": {"arn:aws:iam::111122223333:saml-provider/OktaLegacy": {
	"account_id": "111122223333", "name": "OktaLegacy", "expired": expired, "days_until_expiry": days,
	"expires_at": "2026-10-12T00:00:00Z", "expiry_source": "signing certificate notAfter",
	"trusted_by": ["arn:aws:iam::111122223333:role/ConnectFederation"],
}}}}

test_deny_expired_provider if {
	findings := check.deny with input as build_input(true, -20)
	count(findings) == 1
	some f in findings
	contains(f.message, "expired on 2026-10-12T00:00:00Z (signing certificate notAfter), 20 days before the snapshot")
	contains(f.message, "fails for arn:aws:iam::111122223333:role/ConnectFederation")
}

test_allow_valid_provider if {
	count(check.deny) == 0 with input as build_input(false, 200)
}
