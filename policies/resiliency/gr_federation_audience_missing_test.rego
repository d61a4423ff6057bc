package rules.resiliency.gr_federation_audience_missing_test

import data.rules.resiliency.gr_federation_audience_missing as check
import rego.v1

build_input(values, form) := {"derived": {
	"instances": {"arn:aws:connect:us-east-1:111122223333:instance/i-1": {
		"account_id": "111122223333", "region": "us-east-1", "id": "i-1", "alias": "acme",
		"replication": {"source_region": "us-east-1", "statuses": []},
		"federation_roles": ["arn:aws:iam::111122223333:role/ConnectFederation"],
	}},
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
		"name": "ConnectFederation",
		"trust": {"saml_statements": [{"audience_conditions": [{"operator": "StringLike", "values": values}]}]},
		"federation_grants": [{"form": form, "instance_ids": ["i-1"]}],
	}},
}}

gr := ["https://signin.aws.amazon.com/saml", "https://i-1.us-east-1.sign-in.connect.aws/saml*"]

test_deny_without_gr_audience if {
	some f in check.deny with input as build_input(["https://signin.aws.amazon.com/saml"], "instance_condition")
	contains(f.message, "does not accept the Global Resiliency audience https://i-1.us-east-1.sign-in.connect.aws/saml*")
	not contains(f.message, "connect:InstanceId")
}

test_deny_per_user_resource_grant if {
	some f in check.deny with input as build_input(gr, "instance_user")
	contains(f.message, "through a connect:InstanceId condition")
}

test_allow_gr_ready_role if {
	count(check.deny) == 0 with input as build_input(gr, "instance_condition")
}
