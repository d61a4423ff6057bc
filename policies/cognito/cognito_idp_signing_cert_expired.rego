package rules.cognito.cognito_idp_signing_cert_expired

import rego.v1

metadata := {
	"id": "cognito-idp-signing-cert-expired",
	"code": "CX-COG-01",
	"title": "Cognito SAML identity provider has expired",
	"severity": "critical",
	"description": `A SAML identity provider of a contact-center user pool (a pool with a SAML provider in an account that holds a Connect instance) is past the notAfter of its latest signing certificate, or its metadata's validUntil, at the snapshot time. A provider whose metadata Cognito reads from a URL is assessed only when the collector fetched it (--fetch-saml-metadata-urls).`,
	"rationale": `The user pool accepts an assertion only if it is signed by a certificate in the provider's metadata; once every signing certificate there has expired, no one signs in through that IdP until the metadata is updated.`,
	"remediation": `Download the IdP's current metadata and update the provider (aws cognito-idp update-identity-provider --user-pool-id <pool> --provider-name <name> --provider-details MetadataFile=...), or point it at the IdP's metadata URL so Cognito follows rotations.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp-things-to-know.html",
			"states": "When you configure a SAML IdP in a user pool, the signing certificate in the SAML provider metadata must not be expired; with several signing certificates, an assertion is valid if it matches any of them.",
		},
	],
}

deny contains finding if {
	some arn, pool in input.derived.user_pools
	pool.contact_center
	some provider in pool.saml_providers
	provider.expired
	finding := {
		"resource": arn,
		"account_id": pool.account_id,
		"message": sprintf("SAML identity provider %s of user pool %s expired on %s (%s)", [provider.name, pool.name, provider.expires_at, provider.expiry_source]),
		"details": {"provider": provider.name, "expires_at": provider.expires_at, "expiry_source": provider.expiry_source},
	}
}
