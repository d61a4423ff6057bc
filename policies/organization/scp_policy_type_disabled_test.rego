package rules.organization.scp_policy_type_disabled_test

import data.rules.organization.scp_policy_type_disabled as check
import rego.v1

build_input(types, feature_set) := {"organization": {
	"id": "o-abc", "management_account_id": "999999999999", "feature_set": feature_set,
	"roots": [{"id": "r-1", "policy_types": types}],
}}

test_deny_root_without_scp_type if {
	findings := check.deny with input as build_input([{"type": "RESOURCE_CONTROL_POLICY", "status": "ENABLED"}], "ALL")
	some f in findings
	f.resource == "arn:aws:organizations::999999999999:root/o-abc/r-1"
	contains(f.message, "policy types: RESOURCE_CONTROL_POLICY ENABLED")
}

test_deny_pending_enable if {
	count(check.deny) == 1 with input as build_input([{"type": "SERVICE_CONTROL_POLICY", "status": "PENDING_ENABLE"}], "ALL")
}

test_deny_consolidated_billing_only if {
	count(check.deny) == 2 with input as build_input([], "CONSOLIDATED_BILLING")
}

test_allow_enabled_scps if {
	count(check.deny) == 0 with input as build_input([{"type": "SERVICE_CONTROL_POLICY", "status": "ENABLED"}], "ALL")
}
