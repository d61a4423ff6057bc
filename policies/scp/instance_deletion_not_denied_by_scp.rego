package rules.scp.instance_deletion_not_denied_by_scp

import data.lib.decisions
import data.lib.names
import rego.v1

metadata := {
	"id": "instance-deletion-not-denied-by-scp",
	"code": "CX-SCP-01",
	"title": "Connect instance deletion is not denied by SCP",
	"tags": ["organization"],
	"severity": "high",
	"description": `The SCPs on the path from the root to the instance's account do not deny connect:DeleteInstance on the instance ARN. A deny for everyone except listed principals counts as a denial here; whether those exceptions are acceptable is judged separately.`,
	"rationale": `Deleting an instance cannot be undone: numbers, flows, users and history are gone, and creations and deletions count against a 30-day quota. AWS recommends an SCP that denies connect:DeleteInstance on the instance ARN, and that suffices. Older copies of that SCP also name connect:DestroyInstance, which is not an IAM action today (AWS removed it from the example in November 2022); naming it is harmless.`,
	"remediation": `Attach an SCP at the account, its OU or the root that denies "connect:DeleteInstance" on the instance ARN (or on arn:aws:connect:*:*:instance/*), optionally excepting a break-glass role with an ArnNotLike condition on aws:PrincipalArn.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Deleting the IAM role used to federate Connect users stops them from logging in and they must be deleted and re-created; the example SCP denies iam:DeleteRole on that role and connect:DeleteInstance on the instance ARN, applied at the account, OU or root.",
		},
		{
			"url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html",
			"states": "Lists the actions Amazon Connect defines for IAM policies; connect:DeleteInstance and connect:AdminGetEmergencyAccessToken are listed, connect:DestroyInstance is not.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
			"states": "For a permission to be allowed, every level from the root through each OU to the account must have an SCP that allows it; a Deny at any level applies to everything below it.",
		},
	],
}

# connect:DestroyInstance is not an IAM action (AWS dropped it from its SCP in November 2022).
actions := ["connect:DeleteInstance"]

deny contains finding if {
	# Read once, not per resource: a reference into another package costs more than the test.
	protecting := decisions.protecting
	some arn, instance in input.derived.instances
	not instance.in_management_account
	open_actions := [action | some action in actions; not instance.scp[action] in protecting]
	open_actions != []
	open := [sprintf("%s (%s)", [action, decisions.descriptions[instance.scp[action]]]) | some action in open_actions]
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("deletion of instance %s is not denied by SCP: %s", [names.instance(instance), text.english_list(open)]),
		"details": {"decisions": {action: input.derived.scp_decisions[instance.scp[action]] | some action in open_actions}},
	}
}
