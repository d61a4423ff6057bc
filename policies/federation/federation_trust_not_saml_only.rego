package rules.federation.federation_trust_not_saml_only

import rego.v1

metadata := {
	"id": "federation-trust-not-saml-only",
	"code": "CX-FED-03",
	"title": "Connect federation role can be assumed by more than SAML providers",
	"severity": "critical",
	"description": `The trust policy of a role that federates into Connect (it trusts SAML providers and may call connect:GetFederationToken) also allows another principal (an AWS account or role, a service, "*") or another action than sts:AssumeRoleWithSAML, sts:TagSession and sts:SetSourceIdentity.`,
	"rationale": `Connect signs a federated session in as the Connect user whose username equals the role session name. Through SAML the IdP sets the session name; through sts:AssumeRole the caller chooses it, and so chooses which agent, supervisor or administrator to become.`,
	"remediation": `Reduce the trust policy to Allow statements whose Principal is only {"Federated": [saml-provider ARNs]} and whose Action is sts:AssumeRoleWithSAML (plus sts:TagSession or sts:SetSourceIdentity if the IdP sends them). Give automation its own role without connect:GetFederationToken.`,
	"references": [
		"https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
		"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_for_saml.html",
	],
}

deny contains finding if {
	some arn, role in input.derived.roles
	role.is_federation_role
	some grant in role.trust.other_grants
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": sprintf("statement-%d:%s", [grant.index, grant.principal]),
		"message": sprintf("federation role %s also trusts %s for %s (statement %s): that caller picks the session name, and with it the Connect user", [role.name, grant.principal, concat(", ", grant.actions), statement_name(grant)]),
		"details": {"grant": grant},
	}
}

statement_name(grant) := grant.sid if {
	is_string(grant.sid)
} else := sprintf("#%d", [grant.index])
