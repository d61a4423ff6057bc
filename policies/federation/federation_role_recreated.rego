package rules.federation.federation_role_recreated

import rego.v1

metadata := {
	"id": "federation-role-recreated",
	"code": "CX-FED-08",
	"title": "Federation role was re-created since the baseline (RoleId changed)",
	"severity": "medium",
	"description": `A federation role's RoleId differs from the one recorded in the baseline (--baseline): the role was deleted and re-created under the same name. Without a baseline the rule stays silent: a role younger than its instance is the documented setup order (create the instance, then the IdP and the role), not evidence of re-creation.`,
	"rationale": `Connect users are bound to the federation role. If it is deleted and re-created, even with the same name and policies, "users won't be able to log in" and must be deleted and created again. A RoleId change is the signature of that outage.`,
	"remediation": `If users report sign-in failures, re-create the affected Connect users; then protect the role from deletion with an SCP (federation-role-tampering-not-denied-by-scp). Keep the JSON report of each scheduled scan as the next scan's --baseline.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "If you use SAML 2.0 and delete the IAM role used for authenticating Amazon Connect users, they can no longer log in; you must delete and re-create them to associate them with a new role, which deletes all data associated with those users.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Create only one IAM role for SAML federation; replacing this role can cause previously federated users to fail at federation.",
		},
	],
}

# Only a baseline is evidence of re-creation. A role younger than its instance is the normal
# order of AWS's documented setups (create the instance, then the IdP and the role), so
# without a baseline the rule stays silent.
deny contains finding if {
	some arn, role in input.derived.roles
	role.is_federation_role
	previous := input.baseline.federation_roles[arn]
	previous != role.role_id
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": "baseline",
		"message": sprintf("federation role %s was re-created: its RoleId changed from %s (baseline) to %s; every Connect user bound to the old role must be re-created", [role.name, previous, role.role_id]),
	}
}
