package rules.scp.scp_names_nonexistent_action

import rego.v1

metadata := {
	"id": "scp-names-nonexistent-action",
	"code": "CX-SCP-05",
	"title": "SCP names an action that does not exist",
	"severity": "high",
	"description": `An SCP statement names an action (or an action pattern matching no action) that no AWS service defines, according to the Service Authorization Reference catalog built into connect-guard.`,
	"rationale": `Organizations accepts unknown action names, so a misspelled action in a Deny protects nothing while looking like a control: connect:DeleteInstances leaves connect:DeleteInstance allowed.`,
	"remediation": `Correct the action name (the finding suggests the closest real action), and re-check the protections the statement was meant to give.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html",
			"states": "Lists the actions Amazon Connect defines for IAM policies; connect:DeleteInstance and connect:AdminGetEmergencyAccessToken are listed, connect:DestroyInstance is not.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html",
			"states": "SCPs use the IAM policy language; the Action element lists the actions the statement applies to.",
		},
	],
	"beyond_aws": "AWS does not say that Organizations rejects unknown action names; connect-guard reports them because a Deny on an action that no service defines denies nothing.",
}

deny contains finding if {
	some policy in input.derived.policies
	policy.policy_type == "SERVICE_CONTROL_POLICY"
	some unknown in policy.unknown_actions
	finding := {
		"resource": policy.arn,
		"discriminator": sprintf("statement-%d:%s", [unknown.statement_index, unknown.action]),
		"message": sprintf("SCP %s names %s in a %s statement (%s), which %s%s", [policy.name, unknown.action, unknown.effect, statement_name(unknown), problem(unknown), suggestion(unknown)]),
	}
}

statement_name(unknown) := sprintf("Sid %s", [unknown.sid]) if {
	is_string(unknown.sid)
} else := sprintf("statement #%d", [unknown.statement_index])

problem(unknown) := "names a service that does not exist" if {
	unknown.problem == "unknown_service"
} else := "is not of the form service:action" if {
	unknown.problem == "malformed"
} else := "matches no action"

suggestion(unknown) := sprintf("; did you mean %s?", [unknown.suggestion]) if {
	is_string(unknown.suggestion)
} else := ""
