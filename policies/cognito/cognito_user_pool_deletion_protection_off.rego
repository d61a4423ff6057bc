package rules.cognito.cognito_user_pool_deletion_protection_off

import rego.v1

metadata := {
	"id": "cognito-user-pool-deletion-protection-off",
	"code": "CX-COG-04",
	"title": "Contact-center user pool has no deletion protection",
	"severity": "medium",
	"description": `A contact-center user pool (a pool with a SAML identity provider in an account that holds a Connect instance) has deletion protection inactive.`,
	"rationale": `Deleting the user pool removes every federated user and the pool's IdP configuration at once; agents cannot sign in until a new pool is built and every IdP and application is pointed at it. Deletion protection makes a deletion a deliberate two-step change.`,
	"remediation": `Activate deletion protection (aws cognito-idp update-user-pool --user-pool-id <pool> --deletion-protection ACTIVE, together with the pool's current settings, which UpdateUserPool otherwise resets), or set DeletionProtection: ACTIVE in the template that creates the pool.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html",
			"states": "Activate deletion protection so administrators don't accidentally delete the user pool; pools created with the CreateUserPool API have it inactive by default.",
		},
		{
			"url": "https://docs.aws.amazon.com/config/latest/developerguide/cognito-user-pool-deletion-protection-enabled.html",
			"states": "The AWS Config managed rule cognito-user-pool-deletion-protection-enabled is NON_COMPLIANT if a user pool has deletion protection disabled.",
		},
	],
}

deny contains finding if {
	some arn, pool in input.derived.user_pools
	pool.contact_center
	pool.deletion_protection == "INACTIVE"
	finding := {
		"resource": arn,
		"account_id": pool.account_id,
		"message": sprintf("user pool %s (SAML providers: %s) has deletion protection inactive", [pool.name, provider_names(pool)]),
	}
}

provider_names(pool) := concat(", ", [p.name | some p in pool.saml_providers])
