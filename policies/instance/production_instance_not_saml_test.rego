package rules.instance.production_instance_not_saml_test

import data.rules.instance.production_instance_not_saml as check
import rego.v1

build_input(type, reason) := {"derived": {"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "contact-prod",
	"identity_management_type": type, "production_reason": reason,
}}}}

test_deny_connect_managed_production_instance if {
	findings := check.deny with input as build_input("CONNECT_MANAGED", "account is in OU Prod")
	count(findings) == 1
	some f in findings
	contains(f.message, "contact-prod uses CONNECT_MANAGED")
}

test_deny_existing_directory_production_instance if {
	count(check.deny) == 1 with input as build_input("EXISTING_DIRECTORY", "instance has tag environment=prod")
}

test_allow_saml_production_instance if {
	count(check.deny) == 0 with input as build_input("SAML", "account is in OU Prod")
}

test_allow_non_production_instance if {
	count(check.deny) == 0 with input as build_input("CONNECT_MANAGED", null)
}
