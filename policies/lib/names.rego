# Readable names for messages.
package lib.names

import rego.v1

# The instance alias, or its id when it has none.
instance(facts) := facts.alias if {
	is_string(facts.alias)
} else := facts.id

# "a, b and c".
list(items) := concat(", ", items) if count(items) < 2

list(items) := sprintf("%s and %s", [concat(", ", array.slice(items, 0, count(items) - 1)), items[count(items) - 1]]) if {
	count(items) >= 2
}
