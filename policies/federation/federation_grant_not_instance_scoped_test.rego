package rules.federation.federation_grant_not_instance_scoped_test

import data.rules.federation.federation_grant_not_instance_scoped as check
import rego.v1

build_input(grant, providers) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
	"account_id": "111122223333", "name": "ConnectFederation",
	"trust": {"saml_providers": providers},
	"federation_grants": [grant],
}}}}

okta := ["arn:aws:iam::111122223333:saml-provider/Okta"]

grant(form, broad, actions, resources) := {"policy": "federate", "index": 0, "form": form, "broad_action": broad, "actions": actions, "resources": resources}

test_deny_resource_star_without_condition if {
	findings := check.deny with input as build_input(grant("unscoped", false, ["connect:GetFederationToken"], ["*"]), okta)
	some f in findings
	contains(f.message, "but it is not pinned to an instance")
}

test_deny_wildcard_action if {
	findings := check.deny with input as build_input(grant("instance_condition", true, ["connect:Get*"], ["*"]), okta)
	some f in findings
	contains(f.message, "it comes from a wildcard action")
	not contains(f.message, "not pinned")
}

test_allow_instance_user_resource if {
	g := grant("instance_user", false, ["connect:GetFederationToken"], ["arn:aws:connect:us-east-1:111122223333:instance/i-1/user/${aws:userid}"])
	count(check.deny) == 0 with input as build_input(g, okta)
}

test_allow_instance_condition if {
	count(check.deny) == 0 with input as build_input(grant("instance_condition", false, ["connect:GetFederationToken"], ["*"]), okta)
}

test_allow_roles_without_saml_trust if {
	count(check.deny) == 0 with input as build_input(grant("unscoped", true, ["connect:*"], ["*"]), [])
}
