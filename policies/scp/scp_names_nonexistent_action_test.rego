package rules.scp.scp_names_nonexistent_action_test

import data.rules.scp.scp_names_nonexistent_action as check
import rego.v1

build_input(unknown) := {"derived": {"policies": {"p-1": {
	"arn": "arn:aws:organizations::999999999999:policy/o-abc/service_control_policy/p-1",
	"name": "guardrails", "policy_type": "SERVICE_CONTROL_POLICY", "unknown_actions": unknown,
}}}}

test_deny_misspelled_action if {
	unknown := [{"statement_index": 0, "sid": "DenyInstanceDeletion", "effect": "Deny", "action": "connect:DeleteInstances", "problem": "unknown_action", "suggestion": "connect:DeleteInstance"}]
	some f in check.deny with input as build_input(unknown)
	f.message == "SCP guardrails names connect:DeleteInstances in a Deny statement (Sid DenyInstanceDeletion), which matches no action; did you mean connect:DeleteInstance?"
}

test_allow_known_actions if {
	count(check.deny) == 0 with input as build_input([])
}
