package lib.decisions_test

import data.lib.decisions
import rego.v1

patterns := ["arn:aws:iam::*:role/BreakGlass*"]

except(key, values) := {"decision": "denied_except", "unknown_keys": [], "exception_sets": [{"conditions": [{"key": key, "operator": "ArnNotLike", "values": values}]}]}

test_denied_protects_and_is_break_glass_only if {
	decisions.protects({"decision": "denied"})
	decisions.break_glass_only({"decision": "denied"}) with data.config.break_glass_role_patterns as patterns
}

test_break_glass_exception_is_approved if {
	decisions.break_glass_only(except("aws:PrincipalArn", ["arn:aws:iam::*:role/BreakGlassAdmin"])) with data.config.break_glass_role_patterns as patterns
}

test_wildcard_exception_is_not_approved if {
	not decisions.break_glass_only(except("aws:PrincipalArn", ["arn:aws:iam::*:role/*"])) with data.config.break_glass_role_patterns as patterns
}

test_tag_exception_is_not_approved if {
	not decisions.break_glass_only(except("aws:PrincipalTag/team", ["admins"])) with data.config.break_glass_role_patterns as patterns
}

test_not_denied_does_not_protect if {
	not decisions.protects({"decision": "not_denied"})
	decisions.describe({"decision": "not_denied"}) == "not denied"
}

test_describe_exceptions if {
	decisions.describe(except("aws:PrincipalArn", ["b", "a"])) == "denied except a or b"
}

table := {"derived": {"scp_decisions": {
	"d0": {"decision": "denied"},
	"d1": except("aws:PrincipalArn", ["arn:aws:iam::*:role/BreakGlassAdmin"]),
	"d2": except("aws:PrincipalArn", ["arn:aws:iam::*:role/*"]),
	"d3": {"decision": "not_denied"},
}}}

test_decision_sets_judge_each_id_once if {
	decisions.protecting == {"d0", "d1", "d2"} with input as table
	decisions.break_glass_only_ids == {"d0", "d1"} with input as table with data.config.break_glass_role_patterns as patterns
	decisions.descriptions.d3 == "not denied" with input as table
	decisions.decision("d2").decision == "denied_except" with input as table
}
