package rules.federation.saml_audience_condition_invalid

import rego.v1

metadata := {
	"id": "saml-audience-condition-invalid",
	"code": "CX-FED-04",
	"title": "SAML trust without a valid SAML:aud condition",
	"severity": "high",
	"description": `A trust statement allowing sts:AssumeRoleWithSAML has no StringEquals or StringLike condition on SAML:aud, or names an audience outside allowed-saml-audiences (by default the global sign-in endpoint, the regional https://<region>.signin.aws.amazon.com/saml endpoints and the Global Resiliency https://<instance-id>.<region>.sign-in.connect.aws/saml* pattern).`,
	"rationale": `SAML:aud carries the assertion's Recipient, the ACS URL it was issued for. Without the condition, an assertion issued for another service provider that trusts the same IdP can be replayed to assume the role; an unexpected audience usually means a copy-paste error that breaks sign-in.`,
	"remediation": `Add "Condition": {"StringEquals": {"SAML:aud": ["https://signin.aws.amazon.com/saml", "https://<region>.signin.aws.amazon.com/saml"]}} to each SAML statement (StringLike with the sign-in.connect.aws pattern for Global Resiliency), or extend allowed-saml-audiences if you use another approved endpoint.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html",
			"states": "The trust policy of a role for SAML 2.0 federation names the SAML provider as the Federated principal, allows sts:AssumeRoleWithSAML, and limits it with a SAML:aud condition on the sign-in endpoint; sts:TagSession and sts:SetSourceIdentity are added when the IdP passes session tags or a source identity.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Most IdPs use the global sign-in endpoint, hosted in US East (N. Virginia), as ACS; AWS recommends overriding it with the regional endpoint of the instance's Region, and changing the trust relationships in advance rather than during an incident.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/integrate-idp.html",
			"states": "For Global Resiliency, the federation role's trust uses StringLike SAML:aud https://<instance-id>.<source-region>.sign-in.connect.aws/saml*, and its permissions policy grants connect:GetFederationToken on \"*\" with a connect:InstanceId condition; you must enable SAML for the instance to use Global Resiliency.",
		},
	],
	"beyond_aws": "The default list of accepted audiences is connect-guard's: the endpoints AWS documents for Connect; extend allowed-saml-audiences for others you approve.",
}

audience_operators := {"StringEquals", "StringLike"}

deny contains finding if {
	some arn, role in input.derived.roles
	some statement in role.trust.saml_statements
	[c | some c in statement.audience_conditions; c.operator in audience_operators] == []
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": sprintf("statement-%d", [statement.index]),
		"message": sprintf("role %s allows sts:AssumeRoleWithSAML without a StringEquals or StringLike SAML:aud condition (statement %s)", [role.name, statement_name(statement)]),
	}
}

deny contains finding if {
	some arn, role in input.derived.roles
	some statement in role.trust.saml_statements
	some condition in statement.audience_conditions
	condition.operator in audience_operators
	unexpected := [value | some value in condition.values; value in unapproved]
	unexpected != []
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": sprintf("statement-%d", [statement.index]),
		"message": sprintf("role %s accepts SAML audiences outside allowed-saml-audiences: %s (statement %s)", [role.name, concat(", ", unexpected), statement_name(statement)]),
		"details": {"unexpected": unexpected, "allowed": data.config.allowed_saml_audiences},
	}
}

# Every audience the roles name, judged once each: an organization names a handful of
# distinct audiences in thousands of trust policies.
audiences contains value if {
	some role in input.derived.roles
	some statement in role.trust.saml_statements
	some condition in statement.audience_conditions
	some value in condition.values
}

unapproved := {value | some value in audiences; not allowed(value)}

allowed(value) if {
	some pattern in data.config.allowed_saml_audiences
	iam.string_like(pattern, value)
}

statement_name(statement) := statement.sid if {
	statement.sid != null
} else := sprintf("#%d", [statement.index])
