package rules.cognito.cognito_user_pool_not_denied_by_scp

import data.lib.decisions
import rego.v1

metadata := {
	"id": "cognito-user-pool-not-denied-by-scp",
	"code": "CX-COG-05",
	"title": "Contact-center user pool or its IdP configuration is not protected by SCP",
	"tags": ["organization"],
	"severity": "medium",
	"description": `A contact-center user pool is not protected by the SCPs over its account against cognito-idp:DeleteUserPool, cognito-idp:DeleteIdentityProvider and cognito-idp:UpdateIdentityProvider.`,
	"rationale": `Deleting the pool or its SAML identity provider stops every agent's sign-in; replacing the provider's metadata points sign-in at another IdP, a takeover of every contact-center identity behind the pool. Deletion protection covers only the first, and only against accidents.`,
	"remediation": `Add an SCP statement denying cognito-idp:DeleteUserPool, cognito-idp:DeleteIdentityProvider and cognito-idp:UpdateIdentityProvider on the pool's ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>), excepting the role that rotates IdP metadata (ArnNotLike on aws:PrincipalArn).`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html",
			"states": "DeleteUserPool, DeleteIdentityProvider and UpdateIdentityProvider are actions of the cognito-idp service whose resource is the user pool.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html",
			"states": "AWS's example SCPs exempt administrator roles from a Deny with a condition such as ArnNotLike on aws:PrincipalArn naming the roles allowed to bypass it.",
		},
	],
	"beyond_aws": "AWS's Connect best-practice SCP protects the instance and the federation role. Extending it to the user pool and identity provider that sign agents in is connect-guard's hardening, because losing or replacing them breaks sign-in the same way.",
}

deny contains finding if {
	some arn, pool in input.derived.user_pools
	pool.contact_center
	not input.derived.accounts[pool.account_id].is_management
	open := [action | some action, id in pool.scp; not id in decisions.protecting]
	open != []
	finding := {
		"resource": arn,
		"account_id": pool.account_id,
		"message": sprintf("user pool %s is not protected by SCP against %s", [pool.name, text.english_list(sort(open))]),
	}
}
