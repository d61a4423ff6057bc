package rules.emergency.emergency_access_not_restricted

import data.lib.decisions
import data.lib.names
import rego.v1

metadata := {
	"id": "emergency-access-not-restricted",
	"code": "CX-EMG-01",
	"title": "Emergency access to a SAML instance is not restricted to break-glass roles",
	"tags": ["organization"],
	"severity": "high",
	"description": `For a SAML Connect instance, the SCPs over its account do not deny connect:AdminGetEmergencyAccessToken and its former name connect:GetFederationTokens to every principal except the roles matching break-glass-role-patterns.`,
	"rationale": `"Log in for emergency access" is the only way into a SAML instance that bypasses the IdP, and AWS documents no IP restriction for it. Any principal with connect:* (AmazonConnect_FullAccess) can use it to become an administrator of the contact center. AWS renamed the permission on 15 June 2024 and policies that name the old connect:GetFederationTokens keep working, so a deny must name both: connect:Get* matches only the old name.`,
	"remediation": `Add an SCP statement denying "connect:AdminGetEmergencyAccessToken" and "connect:GetFederationTokens" on "*" with "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass*"]}}, using your break-glass role names, and consider an aws:SourceIp condition on the break-glass path.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Use the Log in for emergency access URL only in emergency situations, not for daily use.",
		},
		{
			"url": "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonConnectReadOnlyAccess.html",
			"states": "AmazonConnectReadOnlyAccess allows connect:Get*, connect:Describe*, connect:List* and ds:DescribeDirectories, and explicitly denies connect:AdminGetEmergencyAccessToken.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security_iam_awsmanpol.html",
			"states": "On 15 June 2024 connect:GetFederationTokens was renamed connect:AdminGetEmergencyAccessToken; the change is backwards compatible and policies that still name connect:GetFederationTokens continue to function.",
		},
	],
	"beyond_aws": "AWS asks that emergency login be used only in emergencies and withholds it from its read-only managed policy; enforcing that with an SCP Deny that exempts only break-glass roles is connect-guard's recommendation.",
}

actions := ["connect:AdminGetEmergencyAccessToken", "connect:GetFederationTokens"]

deny contains finding if {
	# Read once, not per resource: a reference into another package costs more than the test.
	break_glass_only := decisions.break_glass_only_ids
	some arn, instance in input.derived.instances
	instance.identity_management_type == "SAML"
	not instance.in_management_account
	open_actions := [action | some action in actions; not instance.scp[action] in break_glass_only]
	open_actions != []
	open := [sprintf("%s (%s)", [action, decisions.descriptions[instance.scp[action]]]) | some action in open_actions]
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("emergency access to instance %s is not limited to break-glass roles: %s", [names.instance(instance), text.english_list(open)]),
		"details": {"decisions": {action: input.derived.scp_decisions[instance.scp[action]] | some action in open_actions}},
	}
}
