package rules.idp.backup_idp_not_independent

import data.lib.names
import rego.v1

metadata := {
	"id": "backup-idp-not-independent",
	"code": "CX-IDP-02",
	"title": "Instance that needs resiliency has no independent backup IdP",
	"severity": "medium",
	"description": `A SAML instance that counts as production or is planned for Global Resiliency is reachable through fewer than two working, independent IdPs: its federation roles do not trust two existing, unexpired SAML providers with different entity ids and no signing certificate in common.`,
	"rationale": `For a SAML instance the IdP is the front door. With a single IdP, or a "backup" that is the same metadata uploaded twice, an IdP outage or an expired certificate locks out every agent; the only way in is then emergency access.`,
	"remediation": `Add a second IdP (for example IAM Identity Center beside Okta or Entra ID) as its own IAM SAML provider, add its ARN to the trust policy of the instance's single federation role, and create a matching Connect application in that IdP.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://aws.amazon.com/blogs/contact-center/multiple-saml-identity-providers-for-a-single-amazon-connect-instance/",
			"states": "Several SAML identity providers can federate into one Amazon Connect instance by adding each provider's ARN to the trust policy of the single federation role.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html",
			"states": "Create only one IAM role for SAML federation; replacing this role can cause previously federated users to fail at federation.",
		},
	],
	"beyond_aws": "AWS shows how to federate several IdPs into one instance but does not require a second IdP. Requiring two working, independent IdPs for production and Global Resiliency instances is connect-guard's resilience recommendation.",
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.identity_management_type == "SAML"
	reason := needs_resiliency(instance)
	working := [provider |
		some provider_arn in instance.trusted_providers
		provider := input.derived.saml_providers[provider_arn]
		not provider.expired
		provider.parse_error == null
	]
	not independent_pair(working)
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("instance %s (%s) has %d working IdP(s) and no independent backup: %s", [names.instance(instance), reason, count(working), describe(working)]),
		"details": {"trusted_providers": instance.trusted_providers, "working": [p.arn | some p in working]},
	}
}

needs_resiliency(instance) := instance.production_reason if {
	instance.production_reason != null
} else := instance.gr_planned_reason if {
	instance.gr_planned_reason != null
}

independent_pair(providers) if {
	some a in providers
	some b in providers
	a.entity_id != b.entity_id
	{f | some f in a.signing_fingerprints} & {f | some f in b.signing_fingerprints} == set()
}

describe(providers) := "none" if {
	providers == []
} else := concat(", ", sort([sprintf("%s (entity %s)", [p.name, p.entity_id]) | some p in providers]))
