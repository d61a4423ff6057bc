package rules.idp.saml_provider_metadata_weak_test

import data.rules.idp.saml_provider_metadata_weak as check
import rego.v1

build_input(parse_error, keys) := {"derived": {"saml_providers": {"arn:aws:iam::111122223333:saml-provider/ADFS": {
	"account_id": "111122223333", "name": "ADFS", "parse_error": parse_error, "signing_keys": keys,
}}}}

test_deny_1024_bit_key if {
	some f in check.deny with input as build_input(null, [{"key_type": "RSA", "key_bits": 1024}])
	f.message == "SAML provider ADFS: it signs with a 1024-bit RSA key; use at least 2048 bits"
}

test_deny_unparsable_metadata if {
	some f in check.deny with input as build_input("not XML", [])
	contains(f.message, "does not parse (not XML)")
}

test_deny_no_signing_certificate if {
	some f in check.deny with input as build_input(null, [])
	contains(f.message, "no signing certificate")
}

test_allow_2048_bit_rsa_and_p256_keys if {
	count(check.deny) == 0 with input as build_input(null, [{"key_type": "RSA", "key_bits": 2048}, {"key_type": "EC", "key_bits": 256}])
}

test_deny_names_every_weak_key_in_one_finding if {
	keys := [{"key_type": "RSA", "key_bits": 1024}, {"key_type": "RSA", "key_bits": 4096}, {"key_type": "EC", "key_bits": 192}]
	findings := check.deny with input as build_input(null, keys)
	[f.message | some f in findings] == ["SAML provider ADFS: it signs with a 1024-bit RSA key; use at least 2048 bits; it signs with a 192-bit EC key; use at least 256 bits"]
}

test_deny_unparsable_metadata_before_its_keys if {
	findings := check.deny with input as build_input("truncated", [{"key_type": "RSA", "key_bits": 1024}])
	[f.message | some f in findings] == ["SAML provider ADFS: its metadata does not parse (truncated)"]
}
