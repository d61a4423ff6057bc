package rules.emergency.break_glass_path_missing

import data.lib.names
import rego.v1

metadata := {
	"id": "break-glass-path-missing",
	"code": "CX-EMG-02",
	"title": "No working break-glass path to a SAML instance",
	"tags": ["organization"],
	"severity": "medium",
	"description": `For a SAML instance, no role of its account that matches break-glass-role-patterns is both allowed connect:AdminGetEmergencyAccessToken by its own policies and not denied it by SCPs.`,
	"rationale": `During an IdP outage or after an expired IdP certificate, emergency access is the only way into a SAML instance. "Denied to everyone" is as bad as "allowed to everyone" when that day comes; the goal is "denied to everyone except named break-glass roles".`,
	"remediation": `Create a break-glass role (e.g. BreakGlassConnectAdmin, MFA-protected, assumed from a security account) with connect:AdminGetEmergencyAccessToken, connect:DescribeInstance, connect:ListInstances and ds:DescribeDirectories, and keep it outside the SCP Deny through an ArnNotLike exception.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/emergency-admin-login.html",
			"states": "Log in for emergency access signs in to the instance from the Amazon Connect console with AWS account credentials; it is for emergencies (for example no administrator left to reset a password), not for daily use.",
		},
		{
			"url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html",
			"states": "connect:AdminGetEmergencyAccessToken grants permission to federate into an Amazon Connect instance (the Log in for emergency access function of the console); its dependent actions are connect:DescribeInstance, connect:ListInstances and ds:DescribeDirectories.",
		},
	],
	"beyond_aws": "AWS documents emergency login as the way in when the normal sign-in is not an option, but does not require a break-glass role. Keeping one working path per SAML instance, through a named role that its policies allow and SCPs do not deny, is connect-guard's recommendation.",
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.identity_management_type == "SAML"
	not instance.in_management_account
	[path | some path in instance.break_glass; path.usable] == []
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s has no working break-glass path: %s", [names.instance(instance), why(instance)]),
		"details": {"break_glass": [with_decision(path) | some path in instance.break_glass]},
	}
}

why(instance) := "no role in the account matches break-glass-role-patterns" if {
	instance.break_glass == []
} else := concat("; ", [sprintf("%s: %s", [path.role_arn, blocked(path)]) | some path in instance.break_glass])

blocked(path) := "its policies do not allow connect:AdminGetEmergencyAccessToken" if {
	path.identity_allowed == "false"
} else := sprintf("SCPs deny it (%s)", [input.derived.scp_decisions[path.scp].reason])

# A path with its SCP decision spelled out, as evidence.
with_decision(path) := object.union(path, {"scp": input.derived.scp_decisions[path.scp]})
