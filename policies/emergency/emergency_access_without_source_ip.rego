package rules.emergency.emergency_access_without_source_ip

import rego.v1

metadata := {
	"id": "emergency-access-without-source-ip",
	"code": "CX-EMG-01",
	"title": "Break-glass emergency access is not limited by source IP",
	"severity": "low",
	"description": `A break-glass role whose policies allow connect:AdminGetEmergencyAccessToken on a SAML instance does so without an aws:SourceIp condition.`,
	"rationale": `IP-based access control of Connect authentication profiles does not apply to the emergency admin login, so the only network restriction on that path is an aws:SourceIp condition in IAM. Without it, stolen break-glass credentials work from anywhere.`,
	"remediation": `Add "Condition": {"IpAddress": {"aws:SourceIp": ["<your admin network CIDRs>"]}} to the statement granting connect:AdminGetEmergencyAccessToken, or to an SCP Deny on it.`,
	"references": [
		"https://docs.aws.amazon.com/connect/latest/adminguide/emergency-admin-login.html",
		"https://docs.aws.amazon.com/connect/latest/adminguide/authentication-profiles.html",
	],
}

deny contains finding if {
	some instance in input.derived.instances
	instance.identity_management_type == "SAML"
	some path in instance.break_glass
	path.identity_allowed != "false"
	not path.source_ip_restricted
	finding := {
		"resource": path.role_arn,
		"account_id": instance.account_id,
		"message": sprintf("break-glass role %s can use emergency access to Connect without an aws:SourceIp condition", [role_name(path.role_arn)]),
	}
}

# Break-glass roles are not always in input.derived.roles (only federation-related roles are),
# so the name comes from the ARN.
role_name(arn) := substring(arn, indexof(arn, ":role/") + 6, -1)
