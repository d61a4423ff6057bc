package rules.idp.saml_assertion_encryption_not_required_test

import data.rules.idp.saml_assertion_encryption_not_required as check
import rego.v1

build_input(mode, keys, trusted_by) := {"derived": {"saml_providers": {"arn:aws:iam::111122223333:saml-provider/Okta": {
	"account_id": "111122223333", "name": "Okta", "trusted_by": trusted_by,
	"assertion_encryption_mode": mode, "private_key_count": keys,
}}}}

role := ["arn:aws:iam::111122223333:role/ConnectFederation"]

test_deny_allowed_mode if {
	some f in check.deny with input as build_input("Allowed", 0, role)
	contains(f.message, "accepts unencrypted assertions (AssertionEncryptionMode Allowed)")
}

test_deny_required_without_key if {
	some f in check.deny with input as build_input("Required", 0, role)
	contains(f.message, "no private key")
}

test_allow_required_with_key if {
	count(check.deny) == 0 with input as build_input("Required", 1, role)
}

test_allow_untrusted_provider if {
	count(check.deny) == 0 with input as build_input("Allowed", 0, [])
}
