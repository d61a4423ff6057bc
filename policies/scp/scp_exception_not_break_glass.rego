package rules.scp.scp_exception_not_break_glass

import data.lib.decisions
import rego.v1

metadata := {
	"id": "scp-exception-not-break-glass",
	"code": "CX-SCP-04",
	"title": "SCP exception exempts more than the approved break-glass roles",
	"tags": ["organization"],
	"severity": "high",
	"description": `An SCP Deny that protects Connect (instance deletion, emergency access, the federation role or SAML providers) exempts principals through a condition that is not an aws:PrincipalArn pattern within break-glass-role-patterns: a wildcard such as arn:aws:iam::*:role/*, or a principal tag.`,
	"rationale": `The exception is the way around the protection. A wildcard exception exempts every role; a tag-based exception exempts anyone who can carry the tag, and SAML sessions can set principal tags from the IdP.`,
	"remediation": `Narrow the exception to the named break-glass roles, e.g. "ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/BreakGlass*"]}, or add your pattern to break-glass-role-patterns if it is approved.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html",
			"states": "AWS's example SCPs exempt administrator roles from a Deny with a condition such as ArnNotLike on aws:PrincipalArn naming the roles allowed to bypass it.",
		},
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
			"states": "aws:PrincipalArn is the ARN of the principal making the request (the role ARN for an assumed-role session); aws:PrincipalTag keys come from the principal's tags, which session tags, including those a SAML IdP passes, can set.",
		},
	],
	"beyond_aws": "AWS's examples exempt named roles with ArnNotLike on aws:PrincipalArn but set no rule for how narrow an exception must be. Requiring exceptions to match approved break-glass patterns is connect-guard's hardening.",
}

# Every SCP decision connect-guard computed for a Connect resource.
deny contains finding if {
	some decision in input.derived.scp_decisions
	decision.decision == "denied_except"
	some set in decision.exception_sets
	some condition in set.conditions
	not decisions.approved_exception(condition)
	policy := input.derived.policies[set.statement.policy_id]
	finding := {
		"resource": policy.arn,
		"discriminator": sprintf("statement-%d:%s", [set.statement.statement_index, condition.key]),
		"message": sprintf("SCP %s (%s) exempts %s %s %s from its Deny, which is not limited to approved break-glass roles", [policy.name, statement_name(set.statement), condition.key, condition.operator, concat(", ", condition.values)]),
		"details": {"exception": condition, "approved": data.config.break_glass_role_patterns},
	}
}

statement_name(statement) := sprintf("statement %s", [statement.sid]) if {
	is_string(statement.sid)
} else := sprintf("statement #%d", [statement.statement_index])
