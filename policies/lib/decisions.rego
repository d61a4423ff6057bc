# Helpers for reading SCP decisions computed in Rust.
#
# Each distinct decision is stored once in input.derived.scp_decisions, keyed by an id such as
# "d12"; resources refer to decisions by id (instance.scp[action] == "d12"). A decision is
# {"decision": "denied" | "denied_except" | "not_denied" | "unknown", "reason", "deciding",
# "exception_sets", "unknown_keys", "allow_path"}. See docs/writing-policies.md.
#
# The sets below judge every distinct decision once per evaluation; rules then test a
# resource's id for membership instead of judging the same decision for each resource.
package lib.decisions

import rego.v1

# The decision with this id.
decision(id) := input.derived.scp_decisions[id]

# Ids of decisions that deny everyone, or everyone but the listed exceptions.
protecting contains id if {
	some id, d in input.derived.scp_decisions
	protects(d)
}

# Ids of decisions that deny everyone except approved break-glass roles.
break_glass_only_ids contains id if {
	some id, d in input.derived.scp_decisions
	break_glass_only(d)
}

# describe(decision) by id.
descriptions[id] := describe(d) if {
	some id, d in input.derived.scp_decisions
}

# Denied for every principal, or for every principal except the listed exceptions.
protects(decision) if decision.decision in {"denied", "denied_except"}

# Denied for everyone except approved break-glass roles: some deny statement applies to
# every principal whose ARN is outside data.config.break_glass_role_patterns.
break_glass_only(decision) if decision.decision == "denied"

break_glass_only(decision) if {
	decision.decision == "denied_except"
	some set in decision.exception_sets
	every condition in set.conditions {
		approved_exception(condition)
	}
}

# An exception on aws:PrincipalArn whose every pattern lies inside an approved pattern.
# Tag-based exceptions are never approved: SAML sessions can set principal tags.
approved_exception(condition) if {
	lower(condition.key) == "aws:principalarn"
	every value in condition.values {
		some approved in data.config.break_glass_role_patterns
		iam.arn_like(approved, value)
	}
}

# "denied", "denied except arn:…/BreakGlass*", … for messages.
describe(decision) := "denied" if decision.decision == "denied"

describe(decision) := sprintf("denied except %s", [concat(" or ", exception_values(decision))]) if {
	decision.decision == "denied_except"
}

describe(decision) := "not denied" if decision.decision == "not_denied"

describe(decision) := sprintf("undecidable (depends on %s)", [concat(", ", decision.unknown_keys)]) if {
	decision.decision == "unknown"
}

exception_values(decision) := sort([value |
	some set in decision.exception_sets
	some condition in set.conditions
	some value in condition.values
])
