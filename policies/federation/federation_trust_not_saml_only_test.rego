package rules.federation.federation_trust_not_saml_only_test

import data.rules.federation.federation_trust_not_saml_only as check
import rego.v1

build_input(grants, federation) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
	"account_id": "111122223333", "name": "ConnectFederation", "is_federation_role": federation,
	"trust": {"saml_providers": ["arn:aws:iam::111122223333:saml-provider/Okta"], "other_grants": grants},
}}}}

test_deny_account_root_in_trust if {
	grants := [{"sid": "Automation", "index": 1, "principal": "AWS:arn:aws:iam::111122223333:root", "actions": ["sts:AssumeRole"]}]
	findings := check.deny with input as build_input(grants, true)
	count(findings) == 1
	some f in findings
	contains(f.message, "also trusts AWS:arn:aws:iam::111122223333:root for sts:AssumeRole (statement Automation)")
}

test_deny_each_extra_principal_separately if {
	grants := [
		{"sid": null, "index": 1, "principal": "Service:ec2.amazonaws.com", "actions": ["sts:AssumeRole"]},
		{"sid": null, "index": 2, "principal": "*", "actions": ["sts:AssumeRole"]},
	]
	count(check.deny) == 2 with input as build_input(grants, true)
}

test_allow_saml_only_trust if {
	count(check.deny) == 0 with input as build_input([], true)
}

test_allow_other_roles if {
	grants := [{"sid": null, "index": 0, "principal": "*", "actions": ["sts:AssumeRole"]}]
	count(check.deny) == 0 with input as build_input(grants, false)
}
