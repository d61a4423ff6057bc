package rules.logging.flow_logging_disabled

import data.lib.names
import rego.v1

metadata := {
	"id": "flow-logging-disabled",
	"code": "CX-LOG-01",
	"title": "Contact flow logging is disabled",
	"severity": "low",
	"description": `The instance attribute CONTACTFLOW_LOGS is not true (AWS Config rule connect-instance-logging-enabled, Security Hub control Connect.2).`,
	"rationale": `Flow logs in CloudWatch are the record of what a contact experienced and how a flow behaved; without them, incidents and abuse of flows cannot be investigated.`,
	"remediation": `Enable flow logs: aws connect update-instance-attribute --instance-id <id> --attribute-type CONTACTFLOW_LOGS --value true, and add Set logging behavior blocks to your flows.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/contact-flow-logs.html",
			"states": "Flow logs in Amazon CloudWatch record the details of each contact as it moves through a flow; they are enabled per instance.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Detective best practice: log relevant information from Amazon Connect flows to CloudWatch and build alerts on it.",
		},
		{
			"url": "https://docs.aws.amazon.com/config/latest/developerguide/connect-instance-logging-enabled.html",
			"states": "The AWS Config managed rule connect-instance-logging-enabled is NON_COMPLIANT when an Amazon Connect instance does not have flow logging to CloudWatch enabled.",
		},
	],
}

deny contains finding if {
	some arn, instance in input.derived.instances
	# Absent attributes mean "not collected"; that gap is reported by the collector, not here.
	value := instance.attributes.CONTACTFLOW_LOGS
	value != "true"
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s has contact flow logging disabled (CONTACTFLOW_LOGS=%s)", [names.instance(instance), value]),
	}
}
