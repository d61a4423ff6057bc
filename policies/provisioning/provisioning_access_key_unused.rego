package rules.provisioning.provisioning_access_key_unused

import rego.v1

metadata := {
	"id": "provisioning-access-key-unused",
	"code": "CX-PRV-02",
	"title": "Provisioning user's access key is active but unused",
	"severity": "medium",
	"description": `An IAM user whose policies allow Amazon Connect user provisioning or federation holds an active access key that has not signed a request for access-key-unused-days (default 90), or never has and is older than that.`,
	"rationale": `A key nobody uses is a key nobody would miss if it were stolen and used: the provisioning integration has moved to another key or was abandoned, but the credential still opens every agent of the instance.`,
	"remediation": `Confirm which key the IdP's provisioning integration uses, then deactivate the unused key (aws iam update-access-key --status Inactive) and delete it once nothing breaks.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
			"states": "Security best practices in IAM: regularly review and remove unused users, roles, permissions, policies and credentials.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
			"states": "Describes finding unused credentials (passwords and access keys) with the credential report or GetAccessKeyLastUsed, and removing those that are not needed.",
		},
	],
	"beyond_aws": `The 90-day default is connect-guard's choice; set access-key-unused-days to your review period.`,
}

deny contains finding if {
	some arn, user in input.derived.users
	some key in user.access_keys
	key.active
	idle := idle_days(key)
	idle > data.config.access_key_unused_days
	finding := {
		"resource": arn,
		"account_id": user.account_id,
		"discriminator": sprintf("key-%d", [key.slot]),
		"message": sprintf("provisioning user %s has an active access key %d %s", [user.name, key.slot, idle_text(key)]),
		"details": {"access_key": key},
	}
}

idle_days(key) := key.days_since_use if is_number(key.days_since_use)
else := key.age_days if is_number(key.age_days)

idle_text(key) := sprintf("last used %d days ago", [key.days_since_use]) if is_number(key.days_since_use)
else := sprintf("never used in its %d days", [key.age_days])
