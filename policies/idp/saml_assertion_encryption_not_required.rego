package rules.idp.saml_assertion_encryption_not_required

import rego.v1

metadata := {
	"id": "saml-assertion-encryption-not-required",
	"code": "CX-IDP-03",
	"title": "SAML provider does not require encrypted assertions",
	"severity": "low",
	"description": `A SAML provider that a role trusts has AssertionEncryptionMode other than Required, or no private key to decrypt assertions with.`,
	"rationale": `Unencrypted assertions expose user attributes (e-mail, groups, session tags) to anything that sees the browser's POST to the sign-in endpoint. IAM supports requiring encrypted assertions since 2025.`,
	"remediation": `Generate a private key for the provider (aws iam update-saml-provider --add-private-key), configure the IdP to encrypt assertions with the matching certificate, then set --assertion-encryption-mode Required. After a key rotation, remove the older key.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html",
			"states": "An IAM SAML provider can require encrypted SAML assertions (AssertionEncryptionMode Required) once a private key has been added to it; IAM then decrypts assertions with that key.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
			"states": "IAM refuses to set the assertion encryption mode to Required when the provider has no private key.",
		},
	],
	"beyond_aws": "IAM supports encrypted SAML assertions but does not require them. Requiring encryption is connect-guard's hardening recommendation.",
}

deny contains finding if {
	some arn, provider in input.derived.saml_providers
	provider.trusted_by != []
	problem := problems(provider)
	finding := {
		"resource": arn,
		"account_id": provider.account_id,
		"message": sprintf("SAML provider %s %s", [provider.name, problem]),
	}
}

problems(provider) := sprintf("accepts unencrypted assertions (AssertionEncryptionMode %s)", [provider.assertion_encryption_mode]) if {
	provider.assertion_encryption_mode != null
	provider.assertion_encryption_mode != "Required"
} else := "does not report an AssertionEncryptionMode; encrypted assertions are not required" if {
	not is_string(provider.assertion_encryption_mode)
} else := "requires encrypted assertions but has no private key to decrypt them" if {
	provider.private_key_count == 0
}
