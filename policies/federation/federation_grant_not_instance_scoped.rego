package rules.federation.federation_grant_not_instance_scoped

import rego.v1

metadata := {
	"id": "federation-grant-not-instance-scoped",
	"code": "CX-FED-02",
	"title": "connect:GetFederationToken grant of a SAML role is not scoped to an instance",
	"severity": "high",
	"description": `A role that trusts SAML providers is allowed connect:GetFederationToken on "*" without a connect:InstanceId condition, on instance/*, through NotResource, or through a wildcard action (connect:*, connect:Get*, *) instead of the documented forms: the resource arn:aws:connect:<region>:<account>:instance/<id>/user/${aws:userid}, or "*" with StringEquals connect:InstanceId.`,
	"rationale": `An unscoped grant lets every user of the IdP federate into every Connect instance of the account, including ones they were never meant to reach (test into production, one business unit into another). A wildcard action also grants permissions nobody reviewed.`,
	"remediation": `Grant exactly "connect:GetFederationToken" on "arn:aws:connect:<region>:<account>:instance/<instance-id>/user/${aws:userid}", or on "*" with "Condition": {"StringEquals": {"connect:InstanceId": ["<instance-id>"]}} (the form Global Resiliency needs).`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "The role's permissions policy allows connect:GetFederationToken on arn:aws:connect:<region>:<account>:instance/<instance-id>/user/${aws:userid}, or on \"*\" with a StringEquals connect:InstanceId condition naming the instance.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/integrate-idp.html",
			"states": "For Global Resiliency, the federation role's trust uses StringLike SAML:aud https://<instance-id>.<source-region>.sign-in.connect.aws/saml*, and its permissions policy grants connect:GetFederationToken on \"*\" with a connect:InstanceId condition; you must enable SAML for the instance to use Global Resiliency.",
		},
	],
}

deny contains finding if {
	some arn, role in input.derived.roles
	role.trust.saml_providers != []
	some grant in role.federation_grants
	problems := [problem |
		some problem, present in {
			"it is not pinned to an instance": grant.form == "unscoped",
			"it comes from a wildcard action": grant.broad_action,
		}
		present
	]
	problems != []
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": sprintf("%s#%d", [grant.policy, grant.index]),
		"message": sprintf("role %s may call connect:GetFederationToken through policy %s (actions %s on %s), but %s", [role.name, grant.policy, concat(", ", grant.actions), resources(grant), concat(" and ", sort(problems))]),
		"details": {"grant": grant},
	}
}

resources(grant) := concat(", ", grant.resources) if {
	grant.resources != []
} else := "no resource"
