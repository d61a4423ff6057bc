package rules.provisioning.provisioning_permissions_not_instance_scoped

import rego.v1

metadata := {
	"id": "provisioning-permissions-not-instance-scoped",
	"code": "CX-PRV-05",
	"title": "Provisioning permissions are not scoped to the instance",
	"severity": "medium",
	"description": `An Allow statement that grants an IAM user Amazon Connect user provisioning or federation actions does not name one Connect instance in every Resource (arn:aws:connect:<region>:<account>:instance/<id>, or resources below it).`,
	"rationale": `A provisioning key for one instance that works on every instance of the account turns the compromise of one IdP integration into the compromise of every contact center in the account.`,
	"remediation": `List the provisioning actions the integration needs and set Resource to the instance's ARN and the resources below it, e.g. arn:aws:connect:us-east-1:111122223333:instance/<id> and arn:aws:connect:us-east-1:111122223333:instance/<id>/*.`,
	"basis": "aws",
	"sources": [
		{
			"url": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
			"states": "Security best practices in IAM: apply least-privilege permissions, granting only the permissions required to perform a task, on specific resources.",
		},
		{
			"url": "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html",
			"states": "Amazon Connect's user actions (CreateUser, DeleteUser, UpdateUser*) take instance and user resource ARNs, so a policy can name one instance.",
		},
	],
}

deny contains finding if {
	some arn, user in input.derived.users
	some grant in user.grants
	not grant.instance_scoped
	finding := {
		"resource": arn,
		"account_id": user.account_id,
		"discriminator": sprintf("%s#%d", [grant.policy, grant.index]),
		"message": sprintf("provisioning user %s is granted %s on %s by %s, not limited to one instance", [user.name, concat(", ", grant.actions), resources(grant), grant.policy]),
		"details": {"grant": grant},
	}
}

resources(grant) := concat(", ", grant.resources) if count(grant.resources) > 0
else := "every resource"
