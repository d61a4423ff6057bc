package rules.federation.saml_trust_references_missing_provider_test

import data.rules.federation.saml_trust_references_missing_provider as check
import rego.v1

build_input(missing) := {"derived": {"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
	"account_id": "111122223333", "name": "ConnectFederation", "missing_providers": missing,
}}}}

test_deny_dangling_backup_provider if {
	findings := check.deny with input as build_input(["arn:aws:iam::111122223333:saml-provider/EntraBackup"])
	count(findings) == 1
	some f in findings
	f.discriminator == "arn:aws:iam::111122223333:saml-provider/EntraBackup"
	contains(f.message, "which does not exist in account 111122223333")
}

test_deny_each_missing_provider if {
	count(check.deny) == 2 with input as build_input(["arn:aws:iam::111122223333:saml-provider/A", "arn:aws:iam::111122223333:saml-provider/B"])
}

test_allow_when_all_providers_exist if {
	count(check.deny) == 0 with input as build_input([])
}
