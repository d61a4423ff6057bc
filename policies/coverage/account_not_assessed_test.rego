package rules.coverage.account_not_assessed_test

import data.rules.coverage.account_not_assessed as check
import rego.v1

gap := {
	"resource": "arn:aws:organizations::999999999999:account/o-abc/111122223333",
	"account_id": "111122223333", "account_name": "Sandbox", "service": "sts", "operation": "AssumeRole",
	"code": "AccessDenied", "message": "not authorized to perform sts:AssumeRole",
}

test_deny_each_gap if {
	findings := check.deny with input as {"derived": {"not_assessed": [gap]}}
	count(findings) == 1
	some f in findings
	f.message == "account Sandbox (111122223333) not assessed: sts AssumeRole failed with AccessDenied: not authorized to perform sts:AssumeRole"
}

test_deny_regional_gap if {
	regional := object.union(gap, {"region": "af-south-1", "service": "connect", "operation": "ListInstances", "code": "UnrecognizedClientException"})
	some f in check.deny with input as {"derived": {"not_assessed": [regional]}}
	startswith(f.message, "account Sandbox (111122223333) in af-south-1 not assessed")
	f.region == "af-south-1"
}

test_allow_complete_scan if {
	count(check.deny) == 0 with input as {"derived": {"not_assessed": []}}
}

unfetched(name) := {
	"resource": "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Agents",
	"account_id": "111122223333", "account_name": "Sandbox", "region": "us-east-1",
	"subject": name, "service": "cognito-idp", "operation": "MetadataURL", "code": "NotFetched",
	"message": sprintf("the signing certificates of identity provider %s are not assessed", [name]),
}

test_deny_each_unfetched_metadata_url_once if {
	findings := check.deny with input as {"derived": {"not_assessed": [unfetched("Okta"), unfetched("Entra")]}}
	count({f.discriminator | some f in findings}) == 2
	some f in findings
	startswith(f.message, "account Sandbox (111122223333) in us-east-1 not assessed: cognito-idp MetadataURL was not fetched: ")
}

test_deny_unresolved_template_resource if {
	unresolved := object.union(gap, {"region": "us-east-1", "service": "cloudformation", "operation": "AWS::Connect::Instance", "code": "Unresolved", "message": "resource Instance (cc.yaml:10) is not assessed: parameter IdentityType has no default"})
	some f in check.deny with input as {"derived": {"not_assessed": [unresolved]}}
	contains(f.message, "cloudformation AWS::Connect::Instance was not resolved: resource Instance (cc.yaml:10)")
}
