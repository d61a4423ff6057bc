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
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html",
			"states": "The trust policy of a role for SAML 2.0 federation names the SAML provider as the Federated principal, allows sts:AssumeRoleWithSAML, and limits it with a SAML:aud condition on the sign-in endpoint; sts:TagSession and sts:SetSourceIdentity are added when the IdP passes session tags or a source identity.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Create only one IAM role for SAML federation; replacing this role can cause previously federated users to fail at federation.",
		},
	],
	"beyond_aws": "AWS's documented trust for a SAML federation role allows only sts:AssumeRoleWithSAML (with sts:TagSession or sts:SetSourceIdentity when the IdP needs them) from the SAML providers, but AWS does not forbid adding other principals. Flagging any other principal or action is connect-guard's hardening, because whoever can call sts:AssumeRole chooses the session name and so the Connect user.",
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
