package rules.provisioning.provisioning_user_multiple_active_keys

import rego.v1

metadata := {
	"id": "provisioning-user-multiple-active-keys",
	"code": "CX-PRV-03",
	"title": "Provisioning user has two active access keys",
	"severity": "low",
	"description": `An IAM user whose policies allow Amazon Connect user provisioning or federation has more than one active access key.`,
	"rationale": `IAM allows two keys per user so that one can replace the other; both active for longer than a rotation doubles what can leak, and usually means the old key was never retired.`,
	"remediation": `Find the key the provisioning integration uses (the credential report's last-used dates), deactivate the other one, and delete it after a grace period.`,
	"basis": "hardening",
	"beyond_aws": `AWS allows up to two access keys per user and documents rotation through a second key; keeping only one active outside a rotation is connect-guard's recommendation.`,
}

deny contains finding if {
	some arn, user in input.derived.users
	user.active_keys > 1
	finding := {
		"resource": arn,
		"account_id": user.account_id,
		"message": sprintf("provisioning user %s has %d active access keys", [user.name, user.active_keys]),
		"details": {"access_keys": user.access_keys},
	}
}
