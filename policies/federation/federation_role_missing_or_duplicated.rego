package rules.federation.federation_role_missing_or_duplicated

import data.lib.names
import rego.v1

metadata := {
	"id": "federation-role-missing-or-duplicated",
	"code": "CX-FED-01",
	"title": "SAML instance has no federation role, or more than one",
	"severity": "high",
	"description": `A SAML instance has no role that trusts SAML providers and may call connect:GetFederationToken on it, or has several.`,
	"rationale": `AWS: "Create only one role for federation". Connect users are bound to the role they first signed in through, so several roles split users, and every additional IdP must target the same role. With no role nobody can sign in through SAML at all.`,
	"remediation": `Keep one federation role per instance; add each IdP's provider ARN to its trust (Principal.Federated list) instead of creating a role per IdP, and remove connect:GetFederationToken from the others.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Create only one IAM role for SAML federation; replacing this role can cause previously federated users to fail at federation.",
		},
		{
			"url": "https://aws.amazon.com/blogs/contact-center/multiple-saml-identity-providers-for-a-single-amazon-connect-instance/",
			"states": "Several SAML identity providers can federate into one Amazon Connect instance by adding each provider's ARN to the trust policy of the single federation role.",
		},
	],
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.identity_management_type == "SAML"
	count(instance.federation_roles) != 1
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("SAML instance %s has %s", [names.instance(instance), describe(instance.federation_roles)]),
	}
}

describe(roles) := "no federation role: nobody can sign in through SAML" if {
	count(roles) == 0
} else := sprintf("%d federation roles (%s); users are bound to one role", [count(roles), concat(", ", roles)])
