package rules.provisioning.provisioning_access_key_too_old

import rego.v1

metadata := {
	"id": "provisioning-access-key-too-old",
	"code": "CX-PRV-01",
	"title": "Provisioning user's access key is not rotated",
	"severity": "high",
	"description": `An IAM user whose policies allow Amazon Connect user provisioning or federation (connect:CreateUser, connect:UpdateUser*, connect:DeleteUser, connect:GetFederationToken, or changes to a federation role) holds an active access key older than access-key-max-age-days (default 90).`,
	"rationale": `An IdP's provisioning integration (Okta's Amazon Connect app, for one) signs its Connect API calls with such a key. Whoever holds it can create, change and delete every agent, or federate as any of them, from anywhere, until the key is rotated. The longer a key lives, the more copies of it exist.`,
	"remediation": `Create a second key, enter it in the IdP's provisioning settings, confirm provisioning still works, then deactivate and delete the old key (aws iam update-access-key --status Inactive, then aws iam delete-access-key). Rotate on a schedule.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
			"states": "Security best practices in IAM: where long-term credentials are needed, rotate access keys regularly; prefer temporary credentials.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
			"states": "Access keys are long-term credentials; IAM users with access keys are an account security risk and their keys should be managed securely and rotated.",
		},
	],
	"beyond_aws": `The 90-day default is connect-guard's choice (AWS names no period); set access-key-max-age-days to your rotation policy.`,
}

deny contains finding if {
	some arn, user in input.derived.users
	some key in user.access_keys
	key.active
	key.age_days > data.config.access_key_max_age_days
	finding := {
		"resource": arn,
		"account_id": user.account_id,
		"discriminator": sprintf("key-%d", [key.slot]),
		"message": sprintf("provisioning user %s has an active access key %d created %d days ago (limit %d)", [user.name, key.slot, key.age_days, data.config.access_key_max_age_days]),
		"details": {"access_key": key, "grants": user.grants},
	}
}
