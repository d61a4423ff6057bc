package rules.cognito.cognito_user_pool_deletion_protection_off_test

import data.rules.cognito.cognito_user_pool_deletion_protection_off as check
import rego.v1

pool_arn := "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents"

build_input(protection, contact_center) := {"derived": {"user_pools": {pool_arn: {
	"account_id": "111122223333", "name": "agents", "contact_center": contact_center,
	"deletion_protection": protection,
	"saml_providers": [{"name": "Okta"}, {"name": "EntraID"}],
}}}}

test_deny_inactive if {
	some f in check.deny with input as build_input("INACTIVE", true)
	f.message == "user pool agents (SAML providers: Okta, EntraID) has deletion protection inactive"
}

test_allow_active if {
	count(check.deny) == 0 with input as build_input("ACTIVE", true)
}

test_allow_unknown if {
	# DescribeUserPool failed: the collection error reports the pool as not assessed.
	count(check.deny) == 0 with input as build_input(null, true)
}

test_allow_pool_outside_a_contact_center_account if {
	count(check.deny) == 0 with input as build_input("INACTIVE", false)
}
