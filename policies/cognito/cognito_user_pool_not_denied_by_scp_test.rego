package rules.cognito.cognito_user_pool_not_denied_by_scp_test

import data.rules.cognito.cognito_user_pool_not_denied_by_scp as check
import rego.v1

pool_arn := "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"

denied := {"decision": "denied"}

not_denied := {"decision": "not_denied"}

build_input(update, management) := {"derived": {
	"accounts": {"111122223333": {"is_management": management}},
	"user_pools": {pool_arn: {
		"account_id": "111122223333", "name": "agents", "contact_center": true,
		"scp": {
			"cognito-idp:DeleteUserPool": "d-pool",
			"cognito-idp:DeleteIdentityProvider": "d-delete",
			"cognito-idp:UpdateIdentityProvider": "d-update",
		},
	}},
	"scp_decisions": {"d-pool": denied, "d-delete": denied, "d-update": update},
}}

test_deny_open_update if {
	some f in check.deny with input as build_input(not_denied, false)
	contains(f.message, "against cognito-idp:UpdateIdentityProvider")
	not contains(f.message, "DeleteUserPool")
}

test_allow_protected_pool if {
	count(check.deny) == 0 with input as build_input(denied, false)
}

test_allow_management_account if {
	# No SCP applies there; connect-instance-in-management-account covers the account.
	count(check.deny) == 0 with input as build_input(not_denied, true)
}
