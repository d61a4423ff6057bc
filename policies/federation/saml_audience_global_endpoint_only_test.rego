package rules.federation.saml_audience_global_endpoint_only_test

import data.rules.federation.saml_audience_global_endpoint_only as check
import rego.v1

build_input(values) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
	"account_id": "111122223333", "name": "ConnectFederation", "is_federation_role": true,
	"trust": {"saml_statements": [{"audience_conditions": [{"operator": "StringEquals", "values": values}]}]},
}}}}

test_deny_global_only if {
	count(check.deny) == 1 with input as build_input(["https://signin.aws.amazon.com/saml"])
}

test_allow_regional_endpoint if {
	count(check.deny) == 0 with input as build_input(["https://signin.aws.amazon.com/saml", "https://us-west-2.signin.aws.amazon.com/saml"])
}

test_allow_missing_audience_left_to_its_own_rule if {
	count(check.deny) == 0 with input as build_input([])
}
