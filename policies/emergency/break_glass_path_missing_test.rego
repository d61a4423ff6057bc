package rules.emergency.break_glass_path_missing_test

import data.rules.emergency.break_glass_path_missing as check
import rego.v1

build_input(paths) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme",
		"identity_management_type": "SAML", "in_management_account": false, "break_glass": paths,
	}},
	"scp_decisions": {"d-all": {"decision": "denied", "reason": "denied by statement \"All\""}},
}}

path(allowed, usable) := {"role_arn": "arn:aws:iam::111122223333:role/BreakGlassAdmin", "identity_allowed": allowed, "usable": usable, "scp": "d-all"}

test_deny_without_break_glass_role if {
	some f in check.deny with input as build_input([])
	contains(f.message, "no role in the account matches break-glass-role-patterns")
}

test_deny_when_scp_blocks_the_role if {
	some f in check.deny with input as build_input([path("true", false)])
	contains(f.message, "SCPs deny it (denied by statement \"All\")")
	f.details.break_glass[0].scp.decision == "denied"
}

test_deny_when_the_role_lacks_the_permission if {
	some f in check.deny with input as build_input([path("false", false)])
	contains(f.message, "its policies do not allow")
}

test_allow_usable_path if {
	count(check.deny) == 0 with input as build_input([path("unknown", true)])
}
