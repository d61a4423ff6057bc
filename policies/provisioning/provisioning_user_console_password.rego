package rules.provisioning.provisioning_user_console_password

import rego.v1

metadata := {
	"id": "provisioning-user-console-password",
	"code": "CX-PRV-04",
	"title": "Provisioning user can also sign in to the console",
	"severity": "medium",
	"description": `An IAM user whose policies allow Amazon Connect user provisioning or federation has a console password as well.`,
	"rationale": `A provisioning integration needs programmatic access only. A password adds a second way in to the same permissions, one that phishing and password reuse reach, for an identity no person should be using.`,
	"remediation": `Remove the user's console password (aws iam delete-login-profile --user-name <user>); people administer Connect through federation.`,
	"basis": "hardening",
	"beyond_aws": `AWS recommends federation with temporary credentials for people and least privilege for every identity; that a machine identity for provisioning should have no console password is connect-guard's recommendation.`,
}

deny contains finding if {
	some arn, user in input.derived.users
	user.console_password == true
	finding := {
		"resource": arn,
		"account_id": user.account_id,
		"message": sprintf("provisioning user %s has a console password (%s)", [user.name, last_use(user)]),
		"details": {"password_days_since_use": user.password_days_since_use},
	}
}

last_use(user) := sprintf("last used %d days ago", [user.password_days_since_use]) if is_number(user.password_days_since_use)
else := "never used"
