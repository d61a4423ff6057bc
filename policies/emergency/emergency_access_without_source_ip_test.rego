package rules.emergency.emergency_access_without_source_ip_test

import data.rules.emergency.emergency_access_without_source_ip as check
import rego.v1

build_input(allowed, restricted) := {"derived": {"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
	"account_id": "111122223333", "identity_management_type": "SAML",
	"break_glass": [{"role_arn": "arn:aws:iam::111122223333:role/BreakGlassAdmin", "identity_allowed": allowed, "source_ip_restricted": restricted}],
}}}}

test_deny_break_glass_without_ip_condition if {
	some f in check.deny with input as build_input("true", false)
	f.message == "break-glass role BreakGlassAdmin can use emergency access to Connect without an aws:SourceIp condition"
}

test_allow_ip_restricted_path if {
	count(check.deny) == 0 with input as build_input("unknown", true)
}

test_allow_role_without_emergency_access if {
	count(check.deny) == 0 with input as build_input("false", false)
}
