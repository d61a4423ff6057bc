package rules.idp.saml_provider_metadata_weak

import rego.v1

metadata := {
	"id": "saml-provider-metadata-weak",
	"code": "CX-IDP-03",
	"title": "SAML provider metadata is unreadable or uses a weak signing key",
	"severity": "medium",
	"description": `The provider's SAML metadata does not parse, has no signing certificate, or signs with a weak key: RSA or DSA shorter than 2,048 bits (IAM accepts 1,024), or an elliptic curve shorter than 256 bits.`,
	"rationale": `Metadata that does not parse ("Could not parse metadata") cannot be updated when the IdP rotates its certificate, which turns the next rotation into an outage. A 1,024-bit RSA key is within reach of well-funded attackers; a forged assertion signs in as any Connect user.`,
	"remediation": `Re-export the metadata from the IdP and update the provider; rotate the IdP signing certificate to RSA 2,048 bits or more (or an EC P-256 key).`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
			"states": "\"Could not parse metadata\" is returned when the metadata document uploaded for a SAML provider is not well-formed or not a valid SAML metadata document.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html",
			"states": "An IAM SAML provider holds the IdP's metadata document, including the certificate IAM uses to verify assertions; when the IdP's certificate changes, the provider must be updated with new metadata.",
		},
	],
	"beyond_aws": "IAM accepts signing keys of 1,024 bits. The 2,048-bit RSA and 256-bit elliptic-curve minimums are connect-guard's hardening recommendation; a metadata document that does not parse is reported because IAM itself rejects such documents.",
}

deny contains finding if {
	some arn, problem in problems
	provider := input.derived.saml_providers[arn]
	finding := {
		"resource": arn,
		"account_id": provider.account_id,
		"message": sprintf("SAML provider %s: %s", [provider.name, problem]),
	}
}

# What is wrong with each provider that has a problem, by ARN: partial rules rather than a
# function called for every provider, because an organization has thousands of providers
# and few problems, and a Rego function call costs more than the tests that clear one.
problems[arn] := sprintf("its metadata does not parse (%s)", [provider.parse_error]) if {
	some arn, provider in input.derived.saml_providers
	provider.parse_error != null
}

problems[arn] := "its metadata has no signing certificate" if {
	some arn, provider in input.derived.saml_providers
	provider.signing_keys == []
	provider.parse_error == null
}

problems[arn] := concat("; ", weak) if {
	some arn, provider in input.derived.saml_providers
	# One weak key is enough to look closer; all of them are named.
	some key in provider.signing_keys
	key.key_bits < minimum[key.key_type]
	provider.parse_error == null
	weak := [sprintf("it signs with a %d-bit %s key; use at least %d bits", [k.key_bits, k.key_type, minimum[k.key_type]]) |
		some k in provider.signing_keys
		k.key_bits < minimum[k.key_type]
	]
}

# Minimum key sizes by type (NIST SP 800-57 112-bit security strength).
minimum := {"RSA": 2048, "DSA": 2048, "EC": 256}
