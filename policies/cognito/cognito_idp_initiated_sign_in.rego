package rules.cognito.cognito_idp_initiated_sign_in

import rego.v1

metadata := {
	"id": "cognito-idp-initiated-sign-in",
	"code": "CX-COG-03",
	"title": "Cognito SAML identity provider accepts IdP-initiated sign-in",
	"severity": "medium",
	"description": `A SAML identity provider of a contact-center user pool has IdP-initiated sign-in enabled (IDPInit true).`,
	"rationale": `With IdP-initiated sign-in the user pool cannot tell whether it asked for the assertion it receives: the state that binds an SP-initiated response to its request, and protects against cross-site request forgery, is missing. AWS recommends SP-initiated sign-in. Agents reach the contact center through its own sign-in page, so a tile in the IdP's portal is rarely needed.`,
	"remediation": `Turn off IdP-initiated sign-in on the provider (IDPInit false) and start sign-in at the user pool's authorize endpoint. Where an IdP portal tile is a requirement, waive the finding for that provider and keep the app client's allowed callback URLs to the contact center.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-SAML-session-initiation.html",
			"states": "As a best security practice, implement SP-initiated SSO in your user pool; with IdP-initiated authentication Amazon Cognito can't verify that it solicited the SAML response, while SP-initiated sign-in validates the response against the original request and guards against CSRF.",
		},
	],
}

deny contains finding if {
	some arn, pool in input.derived.user_pools
	pool.contact_center
	some provider in pool.saml_providers
	provider.idp_initiated == true
	finding := {
		"resource": arn,
		"account_id": pool.account_id,
		"message": sprintf("SAML identity provider %s of user pool %s accepts IdP-initiated (unsolicited) sign-in", [provider.name, pool.name]),
		"details": {"provider": provider.name},
	}
}
