package rules.instance.gr_planned_instance_not_saml_test

import data.rules.instance.gr_planned_instance_not_saml as check
import rego.v1

build_input(type, reason) := {"derived": {"instances": {"arn:aws:connect:eu-central-1:111122223333:instance/i-2": {
	"account_id": "111122223333", "region": "eu-central-1", "id": "i-2", "alias": null,
	"identity_management_type": type, "gr_planned_reason": reason,
}}}}

test_deny_tagged_instance_without_saml if {
	findings := check.deny with input as build_input("CONNECT_MANAGED", "instance has tag gr:planned=true")
	count(findings) == 1
	some f in findings
	contains(f.message, "instance i-2 is planned")
	f.region == "eu-central-1"
}

test_allow_planned_saml_instance if {
	count(check.deny) == 0 with input as build_input("SAML", "instance has tag gr:planned=true")
}

test_allow_unplanned_instance if {
	count(check.deny) == 0 with input as build_input("EXISTING_DIRECTORY", null)
}
