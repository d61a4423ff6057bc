package rules.cognito.cognito_idp_initiated_sign_in_test

import data.rules.cognito.cognito_idp_initiated_sign_in as check
import rego.v1

pool_arn := "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"

build_input(idp_initiated, contact_center) := {"derived": {"user_pools": {pool_arn: {
	"account_id": "111122223333", "name": "agents", "contact_center": contact_center,
	"saml_providers": [{"name": "Okta", "idp_initiated": idp_initiated}],
}}}}

test_deny_idp_initiated if {
	some f in check.deny with input as build_input(true, true)
	f.details.provider == "Okta"
}

test_allow_sp_initiated_only if {
	count(check.deny) == 0 with input as build_input(false, true)
}

test_allow_unknown_setting if {
	count(check.deny) == 0 with input as build_input(null, true)
}

test_allow_pool_outside_a_contact_center_account if {
	count(check.deny) == 0 with input as build_input(true, false)
}
