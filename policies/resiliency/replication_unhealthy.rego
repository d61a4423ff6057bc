package rules.resiliency.replication_unhealthy

import data.lib.names
import rego.v1

metadata := {
	"id": "replication-unhealthy",
	"code": "CX-GR-01",
	"title": "Global Resiliency replication is not healthy",
	"severity": "high",
	"description": `A replicated instance reports a replication status of INSTANCE_REPLICATION_FAILED, INSTANCE_REPLICATION_DELETION_FAILED or RESOURCE_REPLICATION_NOT_STARTED for a region.`,
	"rationale": `A failed replica is a failover target that is not there: during a regional outage, traffic and agents have nowhere to go, and the dashboards that show a replicated pair hide it.`,
	"remediation": `Read ReplicationStatusReason with aws connect describe-instance, fix the cause (quota, permissions, conflicting resources), and re-run ReplicateInstance or delete the failed replica; check ListReplicationFindings for drifted resources.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/APIReference/API_ReplicationStatusSummary.html",
			"states": "Each replica Region reports a ReplicationStatus such as INSTANCE_REPLICATION_COMPLETE, INSTANCE_REPLICATION_FAILED, INSTANCE_REPLICATION_DELETION_FAILED or RESOURCE_REPLICATION_NOT_STARTED, with a reason.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/create-replica-connect-instance.html",
			"states": "Creating a replica is asynchronous: DescribeInstance reports the replication status of each Region of a replicated instance, with a reason when it failed.",
		},
	],
}

unhealthy := {"INSTANCE_REPLICATION_FAILED", "INSTANCE_REPLICATION_DELETION_FAILED", "RESOURCE_REPLICATION_NOT_STARTED"}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.replication.source_region == instance.region
	some status in instance.replication.statuses
	status.status in unhealthy
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"discriminator": status.region,
		"message": sprintf("replication of instance %s to %s is %s%s", [names.instance(instance), status.region, status.status, reason(status)]),
	}
}

reason(status) := sprintf(": %s", [status.reason]) if {
	is_string(status.reason)
} else := ""
