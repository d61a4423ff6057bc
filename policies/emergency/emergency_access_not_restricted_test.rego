package rules.emergency.emergency_access_not_restricted_test

import data.rules.emergency.emergency_access_not_restricted as check
import rego.v1

not_denied := {"decision": "not_denied", "unknown_keys": [], "exception_sets": []}

except(patterns) := {"decision": "denied_except", "unknown_keys": [], "exception_sets": [{"conditions": [{"key": "aws:PrincipalArn", "operator": "ArnNotLike", "values": patterns}]}]}

build_input(type, new_name, old_name) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "contact-prod",
		"identity_management_type": type, "in_management_account": false,
		"scp": {"connect:AdminGetEmergencyAccessToken": "d-new", "connect:GetFederationTokens": "d-old"},
	}},
	"scp_decisions": {"d-new": new_name, "d-old": old_name},
}}

config := {"break_glass_role_patterns": ["arn:aws:iam::*:role/BreakGlass*"]}

test_deny_when_only_the_new_name_is_denied if {
	findings := check.deny with input as build_input("SAML", except(["arn:aws:iam::*:role/BreakGlassAdmin"]), not_denied) with data.config as config
	some f in findings
	contains(f.message, "connect:GetFederationTokens (not denied)")
	not contains(f.message, "AdminGetEmergencyAccessToken (")
}

test_deny_when_the_exception_is_any_role if {
	d := except(["arn:aws:iam::*:role/*"])
	count(check.deny) == 1 with input as build_input("SAML", d, d) with data.config as config
}

test_allow_break_glass_exceptions_on_both_names if {
	d := except(["arn:aws:iam::*:role/BreakGlassAdmin"])
	count(check.deny) == 0 with input as build_input("SAML", d, d) with data.config as config
}

test_allow_instances_without_saml if {
	count(check.deny) == 0 with input as build_input("CONNECT_MANAGED", not_denied, not_denied) with data.config as config
}
