package rules.logging.flow_logging_disabled_test

import data.rules.logging.flow_logging_disabled as check
import rego.v1

build_input(attributes) := {"derived": {"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme", "attributes": attributes,
}}}}

test_deny_logging_off if {
	some f in check.deny with input as build_input({"CONTACTFLOW_LOGS": "false"})
	f.message == "instance acme has contact flow logging disabled (CONTACTFLOW_LOGS=false)"
}

test_allow_logging_on if {
	count(check.deny) == 0 with input as build_input({"CONTACTFLOW_LOGS": "true"})
}

test_allow_attributes_not_collected if {
	count(check.deny) == 0 with input as build_input({})
}
