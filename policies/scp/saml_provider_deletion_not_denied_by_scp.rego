package rules.scp.saml_provider_deletion_not_denied_by_scp

import data.lib.decisions
import rego.v1

metadata := {
	"id": "saml-provider-deletion-not-denied-by-scp",
	"code": "CX-SCP-03",
	"title": "SAML provider deletion or replacement is not denied by SCP",
	"tags": ["organization"],
	"severity": "medium",
	"description": `A SAML provider that a role trusts is not protected by the SCPs over its account against iam:DeleteSAMLProvider and iam:UpdateSAMLProvider.`,
	"rationale": `Deleting a provider leaves every trust policy that names it dangling, and sign-in through that IdP fails with "Specified provider doesn't exist"; replacing its metadata points sign-in at another IdP. Either is an outage or a takeover of every Connect user behind it.`,
	"remediation": `Add an SCP statement denying iam:DeleteSAMLProvider and iam:UpdateSAMLProvider on arn:aws:iam::*:saml-provider/*, excepting the role that rotates IdP metadata (ArnNotLike on aws:PrincipalArn).`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html",
			"states": "Sign-in fails with \"Specified provider doesn't exist\" when the SAML provider named in the assertion's Role attribute does not exist in IAM.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Deleting the IAM role used to federate Connect users stops them from logging in and they must be deleted and re-created; the example SCP denies iam:DeleteRole on that role and connect:DeleteInstance on the instance ARN, applied at the account, OU or root.",
		},
		{
			"url": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html",
			"states": "AWS's example SCPs exempt administrator roles from a Deny with a condition such as ArnNotLike on aws:PrincipalArn naming the roles allowed to bypass it.",
		},
	],
	"beyond_aws": "AWS's best-practice SCP protects the instance and the federation role, not the SAML providers. Denying iam:DeleteSAMLProvider and iam:UpdateSAMLProvider on them is connect-guard's hardening, because a deleted provider breaks sign-in the same way a deleted role does.",
}

actions := ["iam:DeleteSAMLProvider", "iam:UpdateSAMLProvider"]

deny contains finding if {
	# Read once, not per resource: a reference into another package costs more than the test.
	protecting := decisions.protecting
	some arn, provider in input.derived.saml_providers
	provider.trusted_by != []
	not input.derived.accounts[provider.account_id].is_management
	open := [action | some action in actions; not provider.scp[action] in protecting]
	open != []
	finding := {
		"resource": arn,
		"account_id": provider.account_id,
		"message": sprintf("SAML provider %s, trusted by %d role(s), is not protected by SCP against %s", [provider.name, count(provider.trusted_by), text.english_list(open)]),
	}
}
