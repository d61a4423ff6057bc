package rules.organization.federation_allow_path_missing

import data.lib.names
import rego.v1

metadata := {
	"id": "federation-allow-path-missing",
	"code": "CX-ORG-03",
	"title": "SCPs do not allow Connect federation at every level",
	"tags": ["organization"],
	"severity": "medium",
	"description": `For a SAML instance, some root, OU or account on the path to its account has no SCP allowing connect:GetFederationToken on the instance, or sts:AssumeRoleWithSAML on its federation role. SCPs need an Allow at every level; FullAWSAccess normally provides it.`,
	"rationale": `When an OU replaces FullAWSAccess with an allow list that omits these actions, SAML sign-in to Connect fails for every user of the accounts below it, with an access-denied error that points nowhere near the SCP.`,
	"remediation": `Attach FullAWSAccess again at the listed levels, or add "connect:GetFederationToken" and "sts:AssumeRoleWithSAML" to their allow-list SCP.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html",
			"states": "For a permission to be allowed, every level from the root through each OU to the account must have an SCP that allows it; a Deny at any level applies to everything below it.",
		},
	],
}

deny contains finding if {
	# Without a decision whose allow path has a gap, no instance can be blocked: the common
	# case, judged once instead of once per instance.
	count(gap_ids) > 0
	some arn, instance in input.derived.instances
	instance.identity_management_type == "SAML"
	not instance.in_management_account
	blocked(instance)
	gaps := sort(array.concat(missing(instance.scp["connect:GetFederationToken"], "connect:GetFederationToken"), [gap |
		some role_arn in instance.federation_roles
		some gap in missing(input.derived.roles[role_arn].scp["sts:AssumeRoleWithSAML"], "sts:AssumeRoleWithSAML")
	]))
	gaps != []
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("SAML sign-in to instance %s is blocked by SCPs: no SCP allows %s", [names.instance(instance), text.english_list(gaps)]),
	}
}

missing(id, action) := [sprintf("%s at %s", [action, target]) | some target in input.derived.scp_decisions[id].allow_path.missing_at]

# Decisions under which some level of the chain allows nothing: the few a sign-in can fail on.
# Instances are checked against these ids first; the gaps are spelled out only for them.
gap_ids contains id if {
	some id, decision in input.derived.scp_decisions
	decision.allow_path.missing_at != []
}

blocked(instance) if instance.scp["connect:GetFederationToken"] in gap_ids

blocked(instance) if {
	some role_arn in instance.federation_roles
	input.derived.roles[role_arn].scp["sts:AssumeRoleWithSAML"] in gap_ids
}
