package rules.instance.gr_planned_instance_not_eligible_test

import data.rules.instance.gr_planned_instance_not_eligible as check
import rego.v1

build_input(region, alias, status) := {"derived": {"instances": {"arn:aws:connect:x:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": region, "id": "i-1", "alias": alias, "status": status,
	"identity_management_type": "SAML", "gr_planned_reason": "instance has tag gr:planned=true", "replication": null,
}}}}

test_deny_region_outside_the_pairs if {
	some f in check.deny with input as build_input("ap-southeast-2", "acme", "ACTIVE")
	contains(f.message, "region ap-southeast-2 is in no Global Resiliency pair")
}

test_deny_missing_alias_and_inactive if {
	some f in check.deny with input as build_input("us-east-1", null, "CREATION_IN_PROGRESS")
	contains(f.message, "it has no alias and its status is CREATION_IN_PROGRESS, not ACTIVE")
}

test_allow_eligible_instance if {
	count(check.deny) == 0 with input as build_input("eu-central-1", "acme", "ACTIVE")
}
