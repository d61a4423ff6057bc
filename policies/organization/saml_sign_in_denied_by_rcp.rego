package rules.organization.saml_sign_in_denied_by_rcp

import data.lib.names
import rego.v1

metadata := {
	"id": "saml-sign-in-denied-by-rcp",
	"code": "CX-ORG-04",
	"title": "An RCP denies SAML sign-in through the Connect federation role",
	"tags": ["organization"],
	"severity": "high",
	"description": `A resource control policy on the chain of the federation role's account denies sts:AssumeRoleWithSAML on the role. Every SAML sign-in to the instances the role serves fails. The typical cause is an identity-perimeter RCP written for "sts:*" with StringNotEqualsIfExists aws:PrincipalOrgID: a SAML sign-in is not signed by an AWS principal, so aws:PrincipalOrgID is absent and the Deny applies.`,
	"rationale": `RCPs restrict STS role assumption in member accounts (though not Connect or IAM). A perimeter that blocks AssumeRoleWithSAML turns a data-perimeter rollout into a contact-center outage: agents cannot sign in, and the access-denied error names neither the RCP nor the role.`,
	"remediation": `List the STS actions that AWS principals sign (sts:AssumeRole, sts:GetSessionToken, sts:GetFederationToken, sts:DecodeAuthorizationMessage, sts:GetAccessKeyInfo) instead of "sts:*", as AWS's data-perimeter examples do, so that sts:AssumeRoleWithSAML is left out. Scan again before attaching the RCP at the next level of the rollout.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
			"states": "RCPs set the maximum permissions on resources of member accounts, including AWS STS resources such as IAM roles being assumed; they don't affect the management account.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html",
			"states": "An RCP Deny that applies to a role in a member account blocks its assumption whatever the role's trust policy allows.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			"states": "aws:PrincipalOrgID is present in a request only when the principal is an IAM principal that belongs to an organization; a condition on a key that is absent from the request context behaves as the operator defines (IfExists variants match when it is absent).",
		},
	],
	"beyond_aws": "AWS does not name this failure; the rule applies the documented RCP and condition-key semantics to the federation role.",
}

deny contains finding if {
	some arn, role in input.derived.roles
	role.is_federation_role
	decision := input.derived.rcp_decisions[role.rcp["sts:AssumeRoleWithSAML"]]
	decision.decision == "denied"
	instances := [names.instance(input.derived.instances[i]) | some i in role.instances]
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"message": sprintf("SAML sign-in through federation role %s (instances: %s) is denied by an RCP: %s", [role.name, text.english_list(instances), decision.reason]),
		"details": {"decision": decision},
	}
}
