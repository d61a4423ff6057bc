package rules.scp.scp_near_size_or_count_limit

import rego.v1

metadata := {
	"id": "scp-near-size-or-count-limit",
	"code": "CX-SCP-06",
	"title": "SCP near its size limit, or target at the SCP attachment limit",
	"tags": ["organization"],
	"severity": "low",
	"description": `An SCP is over 90% of the 5,120-character limit, or a root, OU or account already has the maximum of 5 SCPs attached directly.`,
	"rationale": `Adding the Connect protections (deny deletion, protect the federation role, restrict emergency access) then fails: the statement does not fit, or no further SCP can be attached where it is needed. Teams discover this while trying to fix a finding.`,
	"remediation": `Merge related SCPs, remove redundant statements and whitespace, or attach policies one level higher in the OU tree to free a slot.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
			"states": "Quotas: a service control policy document may be at most 5,120 characters, and at most 5 SCPs can be attached to a root, an OU or an account.",
		},
	],
	"beyond_aws": "The 90% warning threshold is connect-guard's choice.",
}

deny contains finding if {
	some policy in input.derived.policies
	policy.policy_type == "SERVICE_CONTROL_POLICY"
	policy.size_chars * 10 > policy.size_limit * 9
	finding := {
		"resource": policy.arn,
		"message": sprintf("SCP %s is %d of %d characters", [policy.name, policy.size_chars, policy.size_limit]),
	}
}

deny contains finding if {
	some target in input.derived.targets
	target.scp_count >= target.scp_limit
	finding := {
		"resource": target_arn(target),
		"message": sprintf("%s has %d SCPs attached, the maximum: another Connect protection cannot be attached there", [target.name, target.scp_count]),
	}
}

target_arn(target) := target.arn if {
	is_string(target.arn)
} else := target.id
