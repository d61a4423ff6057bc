package rules.federation.federation_token_grantable_by_other_principal

import rego.v1

metadata := {
	"id": "federation-token-grantable-by-other-principal",
	"code": "CX-FED-07",
	"title": "A role other than the SAML federation role can call connect:GetFederationToken",
	"severity": "high",
	"description": `A role whose trust does not allow SAML federation is allowed connect:GetFederationToken, directly or through a wildcard such as connect:Get* (as in AmazonConnectReadOnlyAccess), connect:* or *.`,
	"rationale": `Connect maps a federated session to the Connect user whose username equals the role session name. A principal that can assume such a role with sts:AssumeRole chooses the session name, and so can mint a Connect session as any agent or administrator it can name.`,
	"remediation": `Remove connect:GetFederationToken from the role (replace connect:Get* with the specific Get actions it needs), or add an explicit Deny on connect:GetFederationToken; give it to the SAML-only federation role alone.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/APIReference/API_GetFederationToken.html",
			"states": "GetFederationToken retrieves a token for the Amazon Connect user that corresponds to the IAM credentials used to call it; it supports SAML sign-in.",
		},
		{
			"url": "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonConnectReadOnlyAccess.html",
			"states": "AmazonConnectReadOnlyAccess allows connect:Get*, connect:Describe*, connect:List* and ds:DescribeDirectories, and explicitly denies connect:AdminGetEmergencyAccessToken.",
		},
	],
	"beyond_aws": "AWS documents that GetFederationToken returns a token for the Connect user matching the caller's credentials, and its read-only managed policy grants connect:Get*, which includes it. That only the SAML federation role should hold it is connect-guard's reading of that mapping, not an AWS statement.",
}

deny contains finding if {
	some arn, role in input.derived.roles
	role.trust.saml_providers == []
	some grant in role.federation_grants
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": sprintf("%s#%d", [grant.policy, grant.index]),
		"message": sprintf("role %s is not a SAML federation role but may call connect:GetFederationToken through policy %s (%s): whoever assumes it can choose the session name, and so the Connect user", [role.name, grant.policy, concat(", ", grant.actions)]),
		"details": {"grant": grant},
	}
}
