package rules.federation.saml_trust_references_missing_provider

import rego.v1

metadata := {
	"id": "saml-trust-references-missing-provider",
	"code": "CX-FED-06",
	"title": "Role trust names a SAML provider that does not exist",
	"severity": "critical",
	"description": `A role's trust policy allows a Federated principal arn:aws:iam::<account>:saml-provider/<name> that is not among the account's IAM SAML providers.`,
	"rationale": `Deleting a SAML provider does not edit the trust policies that name it. Sign-in through that IdP fails with "Specified provider doesn't exist", and a backup IdP that only exists in a trust policy gives no redundancy: the outage it was meant to cover becomes total.`,
	"remediation": `Re-create the provider from the IdP's current metadata with the exact name in the trust policy, or remove the ARN from the trust policy if the IdP is retired. Protect providers from deletion with an SCP denying iam:DeleteSAMLProvider.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
			"states": "Sign-in fails with \"Specified provider doesn't exist\" when the SAML provider named in the assertion's Role attribute does not exist in IAM.",
		},
		{
			"url": "https://aws.amazon.com/blogs/contact-center/multiple-saml-identity-providers-for-a-single-amazon-connect-instance/",
			"states": "Several SAML identity providers can federate into one Amazon Connect instance by adding each provider's ARN to the trust policy of the single federation role.",
		},
	],
}

deny contains finding if {
	some arn, role in input.derived.roles
	some provider in role.missing_providers
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": provider,
		"message": sprintf("role %s trusts SAML provider %s, which does not exist in account %s", [role.name, provider, role.account_id]),
		"details": {"missing_provider": provider},
	}
}
