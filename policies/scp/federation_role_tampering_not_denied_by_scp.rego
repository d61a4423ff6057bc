package rules.scp.federation_role_tampering_not_denied_by_scp

import data.lib.decisions
import rego.v1

metadata := {
	"id": "federation-role-tampering-not-denied-by-scp",
	"code": "CX-SCP-02",
	"title": "Federation role deletion or tampering is not denied by SCP",
	"tags": ["organization"],
	"severity": "high",
	"description": `The SCPs over the account of a Connect federation role do not deny deleting the role (iam:DeleteRole) or changing its trust and permissions (iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy, iam:AttachRolePolicy, iam:DetachRolePolicy) on the role's ARN.`,
	"rationale": `Connect users are bound to the federation role. If it is deleted and re-created, even with the same name, every user is orphaned and must be deleted and created again; if its trust is edited, anyone added to it can choose which Connect user to become.`,
	"remediation": `Extend the SCP that protects the instance with a statement denying iam:DeleteRole, iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy, iam:AttachRolePolicy and iam:DetachRolePolicy on arn:aws:iam::*:role/<federation role name>, excepting only your break-glass or pipeline role with ArnNotLike on aws:PrincipalArn.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Deleting the IAM role used to federate Connect users stops them from logging in and they must be deleted and re-created; the example SCP denies iam:DeleteRole on that role and connect:DeleteInstance on the instance ARN, applied at the account, OU or root.",
		},
	],
	"beyond_aws": "AWS's SCP denies only iam:DeleteRole on the federation role. Also denying changes to its trust and permissions (iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy, iam:AttachRolePolicy, iam:DetachRolePolicy) is connect-guard's hardening.",
}

actions := [
	"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy",
	"iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
]

deny contains finding if {
	# Read once, not per resource: a reference into another package costs more than the test.
	protecting := decisions.protecting
	some arn, role in input.derived.roles
	role.is_federation_role
	not input.derived.accounts[role.account_id].is_management
	open := [action |
		some action in actions
		not role.scp[action] in protecting
	]
	open != []
	finding := {
		"resource": arn,
		"account_id": role.account_id,
		"message": sprintf("federation role %s is not protected by SCP against %s", [role.name, text.english_list(sort(open))]),
		"details": {"unprotected_actions": sort(open), "decisions": {action: input.derived.scp_decisions[role.scp[action]] | some action in open}},
	}
}
