package rules.federation.saml_audience_global_endpoint_only

import rego.v1

metadata := {
	"id": "saml-audience-global-endpoint-only",
	"code": "CX-FED-05",
	"title": "Federation role accepts only the global sign-in endpoint",
	"severity": "low",
	"description": `Every SAML:aud value of a federation role's trust is the global https://signin.aws.amazon.com/saml endpoint, with no regional https://<region>.signin.aws.amazon.com/saml endpoint.`,
	"rationale": `The global SAML endpoint is hosted in us-east-1; an outage there breaks IdP sign-in in every region. AWS recommends adding the instance's regional endpoint to the trust in advance, not during an incident.`,
	"remediation": `Add "https://<instance-region>.signin.aws.amazon.com/saml" to the SAML:aud list of the trust policy now, and point the IdP's ACS URL at it when you need to.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Most IdPs use the global sign-in endpoint, hosted in US East (N. Virginia), as ACS; AWS recommends overriding it with the regional endpoint of the instance's Region, and changing the trust relationships in advance rather than during an incident.",
		},
	],
}

global := "https://signin.aws.amazon.com/saml"

deny contains finding if {
	some arn, role in input.derived.roles
	role.is_federation_role
	audiences := {value |
		some statement in role.trust.saml_statements
		some condition in statement.audience_conditions
		some value in condition.values
	}
	audiences == {global}
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"message": sprintf("federation role %s accepts only %s; add the regional endpoint of its instances so sign-in survives a us-east-1 outage", [role.name, global]),
	}
}
