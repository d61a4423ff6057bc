package rules.scp.instance_deletion_not_denied_by_scp_test

import data.rules.scp.instance_deletion_not_denied_by_scp as check
import rego.v1

denied := {"decision": "denied", "unknown_keys": [], "exception_sets": []}

not_denied := {"decision": "not_denied", "unknown_keys": [], "exception_sets": []}

build_input(delete, in_management) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "contact-prod",
		"in_management_account": in_management,
		# A decision for the removed connect:DestroyInstance name must not matter.
		"scp": {"connect:DeleteInstance": "d-delete", "connect:DestroyInstance": "d-destroy"},
	}},
	"scp_decisions": {"d-delete": delete, "d-destroy": not_denied},
}}

test_deny_when_delete_is_open if {
	findings := check.deny with input as build_input(not_denied, false)
	count(findings) == 1
	some f in findings
	contains(f.message, "connect:DeleteInstance (not denied)")
	not contains(f.message, "DestroyInstance")
	object.keys(f.details.decisions) == {"connect:DeleteInstance"}
}

test_allow_aws_current_scp_denying_delete_only if {
	count(check.deny) == 0 with input as build_input(denied, false)
}

test_allow_denied_except_break_glass if {
	except := {"decision": "denied_except", "unknown_keys": [], "exception_sets": [{"conditions": [{"key": "aws:PrincipalArn", "operator": "ArnNotLike", "values": ["arn:aws:iam::*:role/BreakGlass*"]}]}]}
	count(check.deny) == 0 with input as build_input(except, false)
}

test_management_account_is_left_to_its_own_rule if {
	count(check.deny) == 0 with input as build_input(not_denied, true)
}
