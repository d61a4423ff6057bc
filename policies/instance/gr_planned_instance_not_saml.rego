package rules.instance.gr_planned_instance_not_saml

import data.lib.names
import rego.v1

metadata := {
	"id": "gr-planned-instance-not-saml",
	"code": "CX-INST-02",
	"title": "Instance planned for Global Resiliency does not use SAML",
	"severity": "critical",
	"description": `A Connect instance planned for Global Resiliency (listed in gr-planned-instances, in an OU listed in gr-planned-ous, tagged with gr-planned-tag-key, or already replicated) uses an identity management type other than SAML.`,
	"rationale": `Global Resiliency requires SAML 2.0 identity management, and the identity management type can never be changed after an instance is created. An instance created with the wrong type cannot be replicated: the only fix is to delete it and build a new one, with every user, flow and number moved over.`,
	"remediation": `Create the instance again with SAML identity management before relying on it for Global Resiliency, and migrate configuration and users. If the instance is not really planned for Global Resiliency, remove the planning tag or its entry in the rule parameters.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/setup-connect-global-resiliency.html",
			"states": "Global Resiliency replicates an instance between the Regions of a supported pair (such as US East (N. Virginia) and US West (Oregon)); the instance must use SAML 2.0 identity management.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/connect-identity-management.html",
			"states": "You cannot change the identity management option after you create an instance; you must delete the instance and create a new one. With SAML 2.0, users can only log in through the link configured in the identity provider.",
		},
	],
	"beyond_aws": "Which instances are planned for Global Resiliency is your input (rule parameters or tags), not something AWS records.",
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.gr_planned_reason != null
	instance.identity_management_type != "SAML"
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s is planned for Global Resiliency (%s) but uses %s identity management; Global Resiliency needs SAML and the type cannot be changed", [names.instance(instance), instance.gr_planned_reason, instance.identity_management_type]),
		"details": {"identity_management_type": instance.identity_management_type, "gr_planned_reason": instance.gr_planned_reason},
	}
}
