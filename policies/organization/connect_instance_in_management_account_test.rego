package rules.organization.connect_instance_in_management_account_test

import data.rules.organization.connect_instance_in_management_account as check
import rego.v1

build_input(in_management) := {"derived": {"instances": {"arn:aws:connect:us-east-1:999999999999:instance/i-9": {
	"account_id": "999999999999", "region": "us-east-1", "id": "i-9", "alias": "hq",
	"in_management_account": in_management,
}}}}

test_deny_instance_in_management_account if {
	findings := check.deny with input as build_input(true)
	count(findings) == 1
	some f in findings
	contains(f.message, "management account 999999999999")
}

test_allow_instance_in_member_account if {
	count(check.deny) == 0 with input as build_input(false)
}
