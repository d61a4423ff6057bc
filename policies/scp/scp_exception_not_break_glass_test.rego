package rules.scp.scp_exception_not_break_glass_test

import data.rules.scp.scp_exception_not_break_glass as check
import rego.v1

config := {"break_glass_role_patterns": ["arn:aws:iam::*:role/BreakGlass*"]}

build_input(key, values) := {"derived": {
	"policies": {"p-1": {"arn": "arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-1", "name": "guardrails"}},
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {"scp": {"connect:AdminGetEmergencyAccessToken": "d-1"}}},
	"scp_decisions": {"d-1": {
		"decision": "denied_except",
		"exception_sets": [{"statement": {"policy_id": "p-1", "sid": "Emergency", "statement_index": 0},
			"conditions": [{"key": key, "operator": "ArnNotLike", "values": values}]}],
	}},
}}

test_deny_wildcard_role_exception if {
	findings := check.deny with input as build_input("aws:PrincipalArn", ["arn:aws:iam::*:role/*"]) with data.config as config
	count(findings) == 1
	some f in findings
	contains(f.message, "SCP guardrails (statement Emergency) exempts aws:PrincipalArn ArnNotLike arn:aws:iam::*:role/*")
}

test_deny_principal_tag_exception if {
	count(check.deny) == 1 with input as build_input("aws:PrincipalTag/team", ["platform"]) with data.config as config
}

test_allow_break_glass_exception if {
	count(check.deny) == 0 with input as build_input("aws:PrincipalArn", ["arn:aws:iam::*:role/BreakGlassAdmin"]) with data.config as config
}
