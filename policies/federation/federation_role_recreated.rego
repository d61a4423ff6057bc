package rules.federation.federation_role_recreated

import rego.v1

metadata := {
	"id": "federation-role-recreated",
	"code": "CX-FED-08",
	"title": "Federation role was re-created (RoleId changed or role younger than its instance)",
	"severity": "medium",
	"description": `A federation role's RoleId differs from the one recorded in the baseline (--baseline), or, without a baseline, the role was created after the Connect instance it federates into. Either usually means the role was deleted and re-created.`,
	"rationale": `Connect users are bound to the federation role. If it is deleted and re-created, even with the same name and policies, "users won't be able to log in" and must be deleted and created again. A RoleId change is the signature of that outage.`,
	"remediation": `If users report sign-in failures, re-create the affected Connect users; then protect the role from deletion with an SCP (federation-role-tampering-not-denied-by-scp). If the role was created later on purpose, no action is needed once users have signed in through it.`,
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

deny contains finding if {
	some arn, role in input.derived.roles
	role.is_federation_role
	some instance_arn in role.created_after_instances
	instance := input.derived.instances[instance_arn]
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"discriminator": instance_arn,
		"message": sprintf("federation role %s (RoleId %s) was created on %s, after instance %s (%s): users bound to an earlier role cannot sign in", [role.name, role.role_id, role.create_date, instance.id, instance.created_time]),
	}
}

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
