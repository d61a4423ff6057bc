package rules.resiliency.sign_in_distribution_misconfigured

import data.lib.names
import rego.v1

metadata := {
	"id": "sign-in-distribution-misconfigured",
	"code": "CX-GR-02",
	"title": "Sign-in distribution of a replicated instance is misconfigured",
	"severity": "medium",
	"description": `A replicated instance has no default traffic distribution group, the group is not ACTIVE, or its SignInConfig does not list both regions with at least one enabled. SignInConfig exists only on the default group.`,
	"rationale": `Agents sign in through the regions the default traffic distribution group enables. A missing or broken group means agents cannot be moved to the replica during a failover.`,
	"remediation": `Check the default traffic distribution group with aws connect get-traffic-distribution and set SignInConfig with both regions (update-traffic-distribution), enabling at least one.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateTrafficDistribution.html",
			"states": "SignInConfig, which sets the Regions agents sign in to and whether each is enabled, can be set only on the default traffic distribution group.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/setup-connect-global-resiliency.html",
			"states": "Global Resiliency distributes agents and traffic across the two Regions through traffic distribution groups; agents must be associated with a traffic distribution group before they sign in.",
		},
	],
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.replication.source_region == instance.region
	problem := problems(instance)
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s is replicated but %s", [names.instance(instance), problem]),
	}
}

regions(instance) := {instance.replication.source_region} | {s.region | some s in instance.replication.statuses}

problems(instance) := "it has no default traffic distribution group" if {
	not is_object(instance.default_traffic_distribution_group)
} else := sprintf("its default traffic distribution group is %s", [group.status]) if {
	group := instance.default_traffic_distribution_group
	group.status != "ACTIVE"
} else := sprintf("sign-in is not configured for %s", [concat(", ", sort(missing))]) if {
	configured := {d.region | some d in instance.default_traffic_distribution_group.distribution.sign_in}
	missing := regions(instance) - configured
	count(missing) > 0
} else := "sign-in is enabled in no region" if {
	[d | some d in instance.default_traffic_distribution_group.distribution.sign_in; d.enabled] == []
}
