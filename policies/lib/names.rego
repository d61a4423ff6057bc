# Readable names for messages.
package lib.names

import rego.v1

# The instance alias, or its id when it has none.
instance(facts) := facts.alias if {
	facts.alias != null
} else := facts.id

# "a, b and c" ("" for none). A registered function: as a Rego function it cost more than
# the rest of a finding's message.
list(items) := text.english_list(items)
