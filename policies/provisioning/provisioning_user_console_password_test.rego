package rules.provisioning.provisioning_user_console_password_test

import data.rules.provisioning.provisioning_user_console_password as check
import rego.v1

build_input(password) := {"derived": {"users": {"arn:aws:iam::111122223333:user/okta-provisioning": {
	"account_id": "111122223333", "name": "okta-provisioning", "console_password": password, "password_days_since_use": null,
}}}}

test_deny_console_password if {
	findings := check.deny with input as build_input(true)
	count(findings) == 1
	some f in findings
	contains(f.message, "okta-provisioning has a console password (never used)")
}

test_allow_no_or_unknown_password if {
	count(check.deny) == 0 with input as build_input(false)
	count(check.deny) == 0 with input as build_input(null)
}
