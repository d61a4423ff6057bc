package rules.scp.federation_role_tampering_not_denied_by_scp_test

import data.rules.scp.federation_role_tampering_not_denied_by_scp as check
import rego.v1

denied := {"decision": "denied", "unknown_keys": [], "exception_sets": []}

not_denied := {"decision": "not_denied", "unknown_keys": [], "exception_sets": []}

# The role refers to each decision by an id named after its action.
build_input(scp, federation) := {"derived": {
	"accounts": {"111122223333": {"is_management": false}},
	"roles": {"arn:aws:iam::111122223333:role/ConnectFederation": {
		"account_id": "111122223333", "name": "ConnectFederation",
		"is_federation_role": federation, "scp": {action: action | some action, _ in scp},
	}},
	"scp_decisions": scp,
}}

all_denied := {action: denied | some action in [
	"iam:AttachRolePolicy", "iam:DeleteRole", "iam:DeleteRolePolicy",
	"iam:DetachRolePolicy", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
]}

test_deny_when_only_delete_is_denied if {
	scp := object.union(all_denied, {"iam:UpdateAssumeRolePolicy": not_denied, "iam:PutRolePolicy": not_denied})
	some f in check.deny with input as build_input(scp, true)
	contains(f.message, "against iam:PutRolePolicy and iam:UpdateAssumeRolePolicy")
	f.details.decisions["iam:PutRolePolicy"].decision == "not_denied"
}

test_allow_when_everything_is_denied if {
	count(check.deny) == 0 with input as build_input(all_denied, true)
}

test_allow_other_actions_in_the_decisions if {
	scp := object.union(all_denied, {"sts:AssumeRoleWithSAML": not_denied})
	count(check.deny) == 0 with input as build_input(scp, true)
}

test_allow_roles_that_are_not_federation_roles if {
	count(check.deny) == 0 with input as build_input({"iam:DeleteRole": not_denied}, false)
}
