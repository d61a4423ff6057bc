package rules.coverage.account_not_assessed

import rego.v1

metadata := {
	"id": "account-not-assessed",
	"code": "CX-COV-01",
	"title": "Account, region or service could not be assessed",
	"severity": "high",
	"kind": "coverage",
	"description": `The collector could not read part of the organization: a role could not be assumed, an account is suspended, a region is not enabled, or an API call was denied or throttled past its retries. Every gap recorded in the snapshot becomes one finding, as does the SAML identity provider of a contact-center user pool whose metadata URL was not fetched (its certificates are unknown), and a template resource with a value only a deployment decides.`,
	"rationale": `A scanner that skips what it cannot read reports a pass it never earned. connect-guard reports each gap instead, and ends with the incomplete-scan exit code so CI can tell "insecure" from "could not look".`,
	"remediation": `Fix the access problem named in the finding: deploy the read-only member role (docs/scanner-iam-policy.json) to the account, allow the scanner through SCPs, enable the region, or re-run after throttling. Exclude accounts that are out of scope with --exclude-account.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html",
			"states": "Member accounts are accessed by assuming a role in them; Organizations creates OrganizationAccountAccessRole only in accounts it creates, so invited accounts need a role created for access.",
		},
	],
	"beyond_aws": "AWS states no requirement here. This coverage rule is connect-guard's own: an account, region or service it could not read is reported, never counted as a pass.",
}

deny contains finding if {
	some gap in input.derived.not_assessed
	finding := {
		"resource": gap.resource,
		"account_id": object.get(gap, "account_id", null),
		"region": object.get(gap, "region", null),
		"discriminator": discriminator(gap),
		"message": sprintf("%s not assessed: %s %s %s: %s", [scope(gap), gap.service, gap.operation, outcome(gap), gap.message]),
	}
}

discriminator(gap) := concat(":", [object.get(gap, "region", "global"), gap.service, gap.operation, gap.subject]) if {
	is_string(gap.subject)
} else := sprintf("%s:%s:%s", [object.get(gap, "region", "global"), gap.service, gap.operation])

# A metadata URL connect-guard was not asked to fetch did not fail, nor did a template value
# only a deployment decides: they were not read.
outcome(gap) := "was not fetched" if gap.code == "NotFetched"
else := "was not resolved" if gap.code == "Unresolved"
else := sprintf("failed with %s", [gap.code])

scope(gap) := sprintf("account %s (%s) in %s", [gap.account_name, gap.account_id, gap.region]) if {
	is_string(gap.account_name)
	is_string(gap.region)
} else := sprintf("account %s (%s)", [gap.account_name, gap.account_id]) if {
	is_string(gap.account_name)
} else := sprintf("account %s", [gap.account_id]) if {
	is_string(gap.account_id)
} else := "organization"
