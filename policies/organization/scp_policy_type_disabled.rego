package rules.organization.scp_policy_type_disabled

import rego.v1

metadata := {
	"id": "scp-policy-type-disabled",
	"code": "CX-ORG-01",
	"title": "Service control policies are not enabled on the organization root",
	"tags": ["organization"],
	"severity": "high",
	"description": `The organization does not enforce SCPs: the SERVICE_CONTROL_POLICY type is not ENABLED on the root (read from ListRoots, not the deprecated AvailablePolicyTypes), or the organization only has consolidated billing features.`,
	"rationale": `Every SCP-based protection of Connect (deny instance deletion, protect the federation role, restrict emergency access) is void while SCPs are disabled, whatever the attached policies say. Disabling the type also detaches every SCP; re-enabling attaches only FullAWSAccess.`,
	"remediation": `Enable all features in Organizations if needed, then enable the service control policy type on the root (aws organizations enable-policy-type --root-id <root> --policy-type SERVICE_CONTROL_POLICY) and re-attach your Connect SCPs.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html",
			"states": "A policy type such as SERVICE_CONTROL_POLICY must be enabled on the root before policies of that type can be attached or take effect; SCPs need all features enabled.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Deleting the IAM role used to federate Connect users stops them from logging in and they must be deleted and re-created; the example SCP denies iam:DeleteRole on that role and connect:DeleteInstance on the instance ARN, applied at the account, OU or root.",
		},
	],
}

deny contains finding if {
	some root in input.organization.roots
	not scp_enabled(root)
	finding := {
		"resource": root_arn(root),
		"account_id": input.organization.management_account_id,
		"message": sprintf("SCPs are not enabled on root %s (policy types: %s), so no SCP protects any Connect instance or federation role", [root.id, describe(root)]),
	}
}

deny contains finding if {
	input.organization.feature_set != "ALL"
	finding := {
		"resource": object.get(input.organization, "arn", input.organization.id),
		"account_id": input.organization.management_account_id,
		"message": sprintf("organization %s has feature set %s; SCPs need all features enabled", [input.organization.id, input.organization.feature_set]),
	}
}

scp_enabled(root) if {
	some policy_type in root.policy_types
	policy_type.type == "SERVICE_CONTROL_POLICY"
	policy_type.status == "ENABLED"
}

root_arn(root) := root.arn if {
	is_string(root.arn)
} else := sprintf("arn:aws:organizations::%s:root/%s/%s", [input.organization.management_account_id, input.organization.id, root.id])

describe(root) := "none" if {
	count(root.policy_types) == 0
} else := concat(", ", sort([sprintf("%s %s", [t.type, t.status]) | some t in root.policy_types]))
