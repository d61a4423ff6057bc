package rules.resiliency.gr_federation_audience_missing

import data.lib.names
import rego.v1

metadata := {
	"id": "gr-federation-audience-missing",
	"code": "CX-GR-03",
	"title": "Federation of a replicated instance is not set up for Global Resiliency",
	"severity": "high",
	"description": `A federation role of a replicated instance does not accept the Global Resiliency audience (StringLike SAML:aud https://<instance-id>.<source-region>.sign-in.connect.aws/saml*), or does not grant connect:GetFederationToken through a connect:InstanceId condition.`,
	"rationale": `Global Resiliency sign-in goes through the sign-in.connect.aws endpoint of the instance; assertions for it carry that audience. Without it in the trust, or with a per-region instance resource in the grant, agents cannot sign in to the replica when they fail over.`,
	"remediation": `Add "https://<instance-id>.<source-region>.sign-in.connect.aws/saml*" to a StringLike SAML:aud condition of the trust, and grant connect:GetFederationToken on "*" with StringEquals connect:InstanceId.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/integrate-idp.html",
			"states": "For Global Resiliency, the federation role's trust uses StringLike SAML:aud https://<instance-id>.<source-region>.sign-in.connect.aws/saml*, and its permissions policy grants connect:GetFederationToken on \"*\" with a connect:InstanceId condition; you must enable SAML for the instance to use Global Resiliency.",
		},
	],
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.replication.source_region == instance.region
	some role_arn in instance.federation_roles
	role := input.derived.roles[role_arn]
	gaps := array.concat(audience_gap(role, instance), grant_gap(role, instance))
	gaps != []
	finding := {
		"resource": role_arn,
		"account_id": instance.account_id,
		"discriminator": arn,
		"message": sprintf("federation role %s of replicated instance %s %s", [role.name, names.instance(instance), concat(" and ", gaps)]),
	}
}

audience_gap(role, instance) := [] if {
	prefix := sprintf("https://%s.%s.sign-in.connect.aws/saml", [instance.id, instance.region])
	some statement in role.trust.saml_statements
	some condition in statement.audience_conditions
	condition.operator == "StringLike"
	some value in condition.values
	startswith(value, prefix)
} else := [sprintf("does not accept the Global Resiliency audience https://%s.%s.sign-in.connect.aws/saml*", [instance.id, instance.region])]

grant_gap(role, instance) := [] if {
	some grant in role.federation_grants
	grant.form == "instance_condition"
	instance.id in grant.instance_ids
} else := ["does not grant connect:GetFederationToken through a connect:InstanceId condition"]
