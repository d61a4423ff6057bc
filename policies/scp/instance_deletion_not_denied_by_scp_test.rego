package rules.scp.instance_deletion_not_denied_by_scp_test

import data.rules.scp.instance_deletion_not_denied_by_scp as check
import rego.v1

denied := {"decision": "denied", "unknown_keys": [], "exception_sets": []}

not_denied := {"decision": "not_denied", "unknown_keys": [], "exception_sets": []}

build_input(delete, destroy, in_management) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "contact-prod",
		"in_management_account": in_management,
		"scp": {"connect:DeleteInstance": "d-delete", "connect:DestroyInstance": "d-destroy"},
	}},
	"scp_decisions": {"d-delete": delete, "d-destroy": destroy},
}}

test_deny_when_destroy_is_open if {
	findings := check.deny with input as build_input(denied, not_denied, false)
	count(findings) == 1
	some f in findings
	contains(f.message, "connect:DestroyInstance (not denied)")
	not contains(f.message, "connect:DeleteInstance (")
	object.keys(f.details.decisions) == {"connect:DestroyInstance"}
}

test_deny_when_nothing_is_denied if {
	some f in check.deny with input as build_input(not_denied, not_denied, false)
	contains(f.message, "connect:DeleteInstance (not denied) and connect:DestroyInstance (not denied)")
}

test_allow_when_both_denied if {
	count(check.deny) == 0 with input as build_input(denied, denied, false)
}

test_allow_denied_except_break_glass if {
	except := {"decision": "denied_except", "unknown_keys": [], "exception_sets": [{"conditions": [{"key": "aws:PrincipalArn", "operator": "ArnNotLike", "values": ["arn:aws:iam::*:role/BreakGlass*"]}]}]}
	count(check.deny) == 0 with input as build_input(except, except, false)
}

test_management_account_is_left_to_its_own_rule if {
	count(check.deny) == 0 with input as build_input(not_denied, not_denied, true)
}
