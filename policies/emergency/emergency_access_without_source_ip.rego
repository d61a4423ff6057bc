package rules.emergency.emergency_access_without_source_ip

import rego.v1

metadata := {
	"id": "emergency-access-without-source-ip",
	"code": "CX-EMG-01",
	"title": "Break-glass emergency access is not limited by source IP",
	"severity": "low",
	"description": `A break-glass role whose policies allow connect:AdminGetEmergencyAccessToken on a SAML instance does so without an aws:SourceIp condition.`,
	"rationale": `The IP restrictions of Connect authentication profiles govern users signing in to the instance; AWS does not document them for the console's emergency admin login, so the network restriction that certainly applies to that path is an aws:SourceIp condition in IAM. Without it, stolen break-glass credentials work from anywhere.`,
	"remediation": `Add "Condition": {"IpAddress": {"aws:SourceIp": ["<your admin network CIDRs>"]}} to the statement granting connect:AdminGetEmergencyAccessToken, or to an SCP Deny on it.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/emergency-admin-login.html",
			"states": "Log in for emergency access signs in to the instance from the Amazon Connect console with AWS account credentials; it is for emergencies (for example no administrator left to reset a password), not for daily use.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/authentication-profiles.html",
			"states": "Authentication profiles set IP address restrictions and session timeouts for users signing in to the Amazon Connect instance.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			"states": "The aws:SourceIp condition key compares the requester's IP address with the ranges in the policy.",
		},
	],
	"beyond_aws": "AWS does not require an aws:SourceIp condition on emergency access. connect-guard recommends one because the IP restrictions of authentication profiles govern users signing in to the instance, and nothing in AWS's documentation extends them to the console's emergency login.",
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
