package rules.federation.saml_audience_condition_invalid_test

import data.rules.federation.saml_audience_condition_invalid as check
import rego.v1

config := {"allowed_saml_audiences": [
	"https://signin.aws.amazon.com/saml",
	"https://*.signin.aws.amazon.com/saml",
	"https://*.sign-in.connect.aws/saml*",
]}

build_input(conditions) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
	"account_id": "111122223333", "name": "ConnectFederation",
	"trust": {"saml_statements": [{"sid": "Okta", "index": 0, "audience_conditions": conditions}]},
}}}}

test_deny_missing_audience if {
	findings := check.deny with input as build_input([]) with data.config as config
	some f in findings
	contains(f.message, "without a StringEquals or StringLike SAML:aud condition (statement Okta)")
}

test_deny_audience_under_a_weak_operator if {
	count(check.deny) == 1 with input as build_input([{"operator": "ForAnyValue:StringNotEquals", "values": ["x"]}]) with data.config as config
}

test_deny_unexpected_audience if {
	findings := check.deny with input as build_input([{"operator": "StringEquals", "values": ["https://signin.aws.amazon.com/saml", "https://evil.example.com/acs"]}]) with data.config as config
	some f in findings
	f.details.unexpected == ["https://evil.example.com/acs"]
}

test_allow_global_and_regional_audiences if {
	conditions := [{"operator": "StringEquals", "values": ["https://signin.aws.amazon.com/saml", "https://us-west-2.signin.aws.amazon.com/saml"]}]
	count(check.deny) == 0 with input as build_input(conditions) with data.config as config
}

test_allow_global_resiliency_pattern if {
	conditions := [{"operator": "StringLike", "values": ["https://0000-1111.us-east-1.sign-in.connect.aws/saml*"]}]
	count(check.deny) == 0 with input as build_input(conditions) with data.config as config
}

# Audiences are judged once across the organization; each finding still names only what its
# own statement accepts.
test_deny_names_each_roles_own_unexpected_audiences if {
	roles := {
		"arn:aws:iam::111122223333:role/A": role("A", ["https://a.example.com/acs", "https://signin.aws.amazon.com/saml"]),
		"arn:aws:iam::111122223333:role/B": role("B", ["https://b.example.com/acs"]),
		"arn:aws:iam::111122223333:role/C": role("C", ["https://signin.aws.amazon.com/saml"]),
	}
	findings := check.deny with input as {"derived": {"roles": roles}} with data.config as config
	{f.resource: f.details.unexpected | some f in findings} == {
		"arn:aws:iam::111122223333:role/A": ["https://a.example.com/acs"],
		"arn:aws:iam::111122223333:role/B": ["https://b.example.com/acs"],
	}
}

role(name, values) := {"account_id": "111122223333", "name": name, "trust": {"saml_statements": [{
	"sid": null, "index": 0,
	"audience_conditions": [{"operator": "StringEquals", "values": values}],
}]}}
