package lib.names_test

import data.lib.names
import rego.v1

test_instance_prefers_alias if {
	names.instance({"alias": "contact-prod", "id": "i-1"}) == "contact-prod"
	names.instance({"alias": null, "id": "i-1"}) == "i-1"
	names.instance({"id": "i-1"}) == "i-1"
}

test_list if {
	names.list([]) == ""
	names.list(["a"]) == "a"
	names.list(["a", "b"]) == "a and b"
	names.list(["a", "b", "c"]) == "a, b and c"
}
