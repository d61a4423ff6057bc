package rules.idp.idp_signing_cert_expiring

import rego.v1

metadata := {
	"id": "idp-signing-cert-expiring",
	"code": "CX-IDP-01",
	"title": "SAML provider expires soon",
	"severity": "high",
	"description": `The SAML provider will expire within expiry-warn-days (default 30) of the snapshot time: the earliest of its latest signing certificate's notAfter, the metadata's validUntil and IAM's ValidUntil.`,
	"rationale": `When the IdP signing certificate expires, every sign-in through that IdP fails until the provider's metadata is updated. Rotating ahead of time, with the new certificate published beside the old one, avoids the outage.`,
	"remediation": `Generate the next signing certificate in the IdP, publish it beside the current one, and update the IAM SAML provider with the new metadata before the current certificate expires (aws iam update-saml-provider).`,
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
	"beyond_aws": "The warning window (expiry-warn-days, 30 days by default) is connect-guard's choice.",
}

deny contains finding if {
	some arn, provider in input.derived.saml_providers
	not provider.expired
	provider.days_until_expiry != null
	provider.days_until_expiry <= data.config.expiry_warn_days
	finding := {
		"resource": arn,
		"account_id": provider.account_id,
		"message": sprintf("SAML provider %s expires on %s (%s), %d days after the snapshot", [provider.name, provider.expires_at, provider.expiry_source, provider.days_until_expiry]),
		"details": {"expires_at": provider.expires_at, "expiry_source": provider.expiry_source, "warn_days": data.config.expiry_warn_days},
	}
}
