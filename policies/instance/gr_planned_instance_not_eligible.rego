package rules.instance.gr_planned_instance_not_eligible

import data.lib.names
import rego.v1

metadata := {
	"id": "gr-planned-instance-not-eligible",
	"code": "CX-INST-02",
	"title": "SAML instance planned for Global Resiliency cannot be replicated",
	"severity": "medium",
	"description": `A SAML instance planned for Global Resiliency fails a ReplicateInstance precondition: its region is not in a Global Resiliency pair (us-east-1 and us-west-2, eu-central-1 and eu-west-2, ap-northeast-1 to ap-northeast-3), it has no alias, or it is not ACTIVE.`,
	"rationale": `ReplicateInstance rejects instances outside the supported region pairs, without an alias or not ACTIVE. Finding out during a resilience project, or an incident, is too late.`,
	"remediation": `Plan Global Resiliency only for instances in a supported region pair; give the instance an alias (set at creation); wait until it is ACTIVE. Otherwise update the planning tag or parameters.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/setup-connect-global-resiliency.html",
			"states": "Global Resiliency replicates an instance between the Regions of a supported pair (such as US East (N. Virginia) and US West (Oregon)); the instance must use SAML 2.0 identity management.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/APIReference/API_ReplicateInstance.html",
			"states": "ReplicateInstance replicates an instance to another Region of a supported pair; it fails for an instance without an alias or that is not ACTIVE.",
		},
	],
	"beyond_aws": "Which instances are planned for Global Resiliency is your input (rule parameters or tags), not something AWS records.",
}

# Regions that can hold a Global Resiliency source instance (ap-northeast-3 only as a replica).
source_regions := {"us-east-1", "us-west-2", "eu-central-1", "eu-west-2", "ap-northeast-1"}

deny contains finding if {
	some arn, instance in input.derived.instances
	is_string(instance.gr_planned_reason)
	instance.identity_management_type == "SAML"
	not is_replica(instance)
	problems := array.concat(array.concat(region_problem(instance), alias_problem(instance)), status_problem(instance))
	problems != []
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s is planned for Global Resiliency (%s) but cannot be replicated: %s", [names.instance(instance), instance.gr_planned_reason, text.english_list(sort(problems))]),
	}
}

is_replica(instance) if instance.replication.source_region != instance.region

region_problem(instance) := [] if {
	instance.region in source_regions
} else := [sprintf("region %s is in no Global Resiliency pair", [instance.region])]

alias_problem(instance) := [] if {
	is_string(instance.alias)
} else := ["it has no alias"]

status_problem(instance) := [] if {
	instance.status == "ACTIVE"
} else := [sprintf("its status is %s, not ACTIVE", [instance.status])]
