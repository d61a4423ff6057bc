package rules.resiliency.replication_unhealthy_test

import data.rules.resiliency.replication_unhealthy as check
import rego.v1

build_input(region, status) := {"derived": {"instances": {"arn:aws:connect:x:111122223333:instance/i-1": {
	"account_id": "111122223333", "region": region, "id": "i-1", "alias": "acme",
	"replication": {"source_region": "eu-central-1", "statuses": [{"region": "eu-west-2", "status": status, "reason": null}]},
}}}}

test_deny_failed_replication if {
	some f in check.deny with input as build_input("eu-central-1", "INSTANCE_REPLICATION_FAILED")
	f.message == "replication of instance acme to eu-west-2 is INSTANCE_REPLICATION_FAILED"
}

test_allow_complete_replication if {
	count(check.deny) == 0 with input as build_input("eu-central-1", "INSTANCE_REPLICATION_COMPLETE")
}

test_allow_replica_side_reported_on_the_source if {
	count(check.deny) == 0 with input as build_input("eu-west-2", "INSTANCE_REPLICATION_FAILED")
}
