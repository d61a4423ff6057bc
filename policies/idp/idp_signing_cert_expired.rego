package rules.idp.idp_signing_cert_expired

import rego.v1

metadata := {
	"id": "idp-signing-cert-expired",
	"code": "CX-IDP-01",
	"title": "SAML provider has expired",
	"severity": "critical",
	"description": `At the snapshot time, the SAML provider is past the earliest of: the notAfter of its latest signing certificate, the metadata's validUntil, and IAM's ValidUntil.`,
	"rationale": `An expired or rotated IdP signing certificate is the most common cause of Connect sign-in outages: STS rejects every assertion with "Response signature invalid" until the provider's metadata is updated. Every user federating through that IdP is locked out.`,
	"remediation": `Download the IdP's current metadata (Okta: the app's Identity Provider metadata; Entra ID: Federation Metadata XML; IAM Identity Center: the application's metadata) and update the provider with aws iam update-saml-provider --saml-metadata-document file://metadata.xml --saml-provider-arn <arn>. Rotate certificates on a schedule with overlap.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
			"states": "\"Response signature invalid\" occurs when the IdP's federation metadata no longer matches the IAM SAML provider, for example after the IdP certificate was updated; download the updated metadata and update the provider (aws iam update-saml-provider).",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html",
			"states": "An IAM SAML provider holds the IdP's metadata document, including the certificate IAM uses to verify assertions; when the IdP's certificate changes, the provider must be updated with new metadata.",
		},
	],
}

deny contains finding if {
	some arn, provider in input.derived.saml_providers
	provider.expired
	finding := {
		"resource": arn,
		"account_id": provider.account_id,
		"message": sprintf("SAML provider %s expired on %s (%s), %d days before the snapshot; %s", [provider.name, provider.expires_at, provider.expiry_source, 0 - provider.days_until_expiry, impact(provider)]),
		"details": {"expires_at": provider.expires_at, "expiry_source": provider.expiry_source, "trusted_by": provider.trusted_by},
	}
}

impact(provider) := sprintf("sign-in through it fails for %s", [concat(", ", provider.trusted_by)]) if {
	provider.trusted_by != []
} else := "no role trusts it"
