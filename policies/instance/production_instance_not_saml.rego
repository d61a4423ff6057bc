package rules.instance.production_instance_not_saml

import data.lib.names
import rego.v1

metadata := {
	"id": "production-instance-not-saml",
	"code": "CX-INST-01",
	"title": "Production Connect instance does not use SAML identity management",
	"severity": "high",
	"description": `A Connect instance that counts as production (its OU is in production-ous, or it or its account carries the production tag) uses CONNECT_MANAGED or EXISTING_DIRECTORY identity management instead of SAML.`,
	"rationale": `Only a SAML instance has no password login page: users can sign in solely through the IdP, with its MFA and lifecycle. A CONNECT_MANAGED or EXISTING_DIRECTORY instance serves a username/password form at its access URL, which is what "the default login URL is enabled" means in practice. Identity management cannot be changed after creation.`,
	"remediation": `Identity management is fixed at creation, so plan a migration: create a new instance with SAML identity management, federate it from your IdP (Okta, Entra ID or IAM Identity Center), move flows, queues and users, then retire the old instance. Until then, restrict who can reach the login page (IP-based authentication profiles) and enforce MFA where the directory allows.`,
	"basis": "hardening",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/connect-identity-management.html",
			"states": "You cannot change the identity management option after you create an instance; you must delete the instance and create a new one. With SAML 2.0, users can only log in through the link configured in the identity provider.",
		},
		{
			"url": "https://docs.aws.amazon.com/connect/latest/adminguide/security-best-practices.html",
			"states": "Use the Log in for emergency access URL only in emergency situations, not for daily use.",
		},
	],
	"beyond_aws": "AWS supports all three identity management types for any instance and does not require SAML for production. Requiring it is connect-guard's hardening recommendation: only a SAML instance signs users in solely through the IdP.",
}

deny contains finding if {
	some arn, instance in input.derived.instances
	instance.production_reason != null
	instance.identity_management_type != "SAML"
	finding := {
		"resource": arn,
		"account_id": instance.account_id,
		"region": instance.region,
		"message": sprintf("production instance %s uses %s identity management, so its access URL accepts passwords (%s)", [names.instance(instance), instance.identity_management_type, instance.production_reason]),
		"details": {"identity_management_type": instance.identity_management_type, "production_reason": instance.production_reason},
	}
}
