package rules.cognito.cognito_idp_signing_cert_expiring

import rego.v1

metadata := {
	"id": "cognito-idp-signing-cert-expiring",
	"code": "CX-COG-02",
	"title": "Cognito SAML identity provider expires soon",
	"severity": "high",
	"description": `A SAML identity provider of a contact-center user pool will expire within expiry-warn-days (default 30) of the snapshot time: the earlier of its latest signing certificate's notAfter and its metadata's validUntil. A provider whose metadata Cognito reads from a URL is assessed only when the collector fetched it (--fetch-saml-metadata-urls).`,
	"rationale": `When the last signing certificate in the provider's metadata expires, every sign-in through that IdP fails. Publishing the next certificate beside the current one and updating the provider ahead of time avoids the outage.`,
	"remediation": `Generate the next signing certificate in the IdP, publish it beside the current one, and update the user pool's identity provider with the new metadata (aws cognito-idp update-identity-provider) before the current certificate expires.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-things-to-know.html",
			"states": "When you configure a SAML IdP in a user pool, the signing certificate in the SAML provider metadata must not be expired; with several signing certificates, an assertion is valid if it matches any of them.",
		},
	],
	"beyond_aws": "The warning window (expiry-warn-days, 30 days by default) is connect-guard's choice.",
}

deny contains finding if {
	some arn, pool in input.derived.user_pools
	pool.contact_center
	some provider in pool.saml_providers
	not provider.expired
	is_number(provider.days_until_expiry)
	provider.days_until_expiry <= data.config.expiry_warn_days
	finding := {
		"resource": arn,
		"account_id": pool.account_id,
		"message": sprintf("SAML identity provider %s of user pool %s expires on %s (%s), %d days after the snapshot", [provider.name, pool.name, provider.expires_at, provider.expiry_source, provider.days_until_expiry]),
		"details": {"provider": provider.name, "expires_at": provider.expires_at, "expiry_source": provider.expiry_source, "warn_days": data.config.expiry_warn_days},
	}
}
