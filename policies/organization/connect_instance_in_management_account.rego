package rules.organization.connect_instance_in_management_account

import data.lib.names
import rego.v1

metadata := {
	"id": "connect-instance-in-management-account",
	"code": "CX-ORG-02",
	"title": "Connect instance in the management account, where no SCP can protect it",
	"tags": ["organization"],
	"severity": "high",
	"description": `A Connect instance runs in the organization's management account.`,
	"rationale": `Service control policies and resource control policies never apply to the management account. No SCP can deny deletion of the instance or of its federation role there, or restrict emergency access, so the AWS best practice of SCP-protected instances cannot be met.`,
	"remediation": `Run contact centers in member accounts (for example a Prod OU account per environment) and keep the management account for organization administration only. Migrate the instance to a member account; meanwhile restrict connect:DeleteInstance, iam:DeleteRole on the federation role, and emergency access with identity policies and permission boundaries in the management account.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
			"states": "SCPs don't affect users or roles in the management account; they affect only member accounts of the organization.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html",
			"states": "Best practice: avoid deploying workloads to the organization's management account and use it only for tasks that require it.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Deleting the IAM role used to federate Connect users stops them from logging in and they must be deleted and re-created; the example SCP denies iam:DeleteRole on that role and connect:DeleteInstance on the instance ARN, applied at the account, OU or root.",
		},
	],
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.in_management_account
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s is in the management account %s, where SCPs do not apply: its deletion and emergency access cannot be denied by SCP", [names.instance(instance), instance.account_id]),
	}
}
