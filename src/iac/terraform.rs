//! Terraform plans (`terraform show -json plan.out`), read as the CloudFormation resources
//! they amount to, so one planning path serves both.
//!
//! From each managed resource change that is not a deletion, the planned values (`change.after`)
//! are mapped to the properties of the matching CloudFormation type (`aws_connect_instance` →
//! `AWS::Connect::Instance`, …). A value the plan marks unknown (`after_unknown`, "known after
//! apply") becomes a reference when the configuration says what it refers to (a role's name, a
//! user pool's id, a policy's ARN or id among the planned resources); otherwise it is unknown,
//! and the resource is reported as not assessed with the attribute named.
//!
//! Locations: the line of `resource "TYPE" "NAME"` in the `.tf` files beside the plan (the
//! root module), else the plan file itself.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::template::Template;

/// Marks a value the plan does not know; the resolver reports the resource holding it.
pub(crate) const UNKNOWN: &str = "ConnectGuard::Unknown";

/// Whether `value` is a Terraform plan in JSON.
pub(crate) fn is_plan(value: &Value) -> bool {
    value.get("format_version").is_some()
        && (value.get("resource_changes").is_some() || value.get("planned_values").is_some())
}

/// A plan as a template, its region (from the `aws` provider configuration) and the location
/// of each resource (by address: file and line).
pub(crate) struct PlanTemplate {
    pub(crate) template: Template,
    pub(crate) region: Option<String>,
    pub(crate) locations: BTreeMap<String, (String, usize)>,
}

/// Reads a plan; `path` names the plan file (its directory holds the root module's `.tf`).
pub(crate) fn read(plan: &Value, path: &Path, display: &str) -> Result<PlanTemplate, String> {
    let changes = plan
        .get("resource_changes")
        .and_then(Value::as_array)
        .ok_or("the plan has no resource_changes")?;
    let references = configuration_references(plan);
    let mut resources = Map::new();
    let mut pending_attachments = Vec::new();
    for change in changes {
        if change.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let actions: Vec<&str> = change
            .pointer("/change/actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if actions == ["delete"] || actions.is_empty() {
            continue;
        }
        let address = change
            .get("address")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let kind = change
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let after = change
            .pointer("/change/after")
            .cloned()
            .unwrap_or(Value::Null);
        let unknown = change
            .pointer("/change/after_unknown")
            .cloned()
            .unwrap_or(Value::Null);
        let attribute =
            |name: &str| -> Value { attribute_value(&after, &unknown, name, address, &references) };
        let (cfn_type, properties) = match kind {
            "aws_connect_instance" => (
                "AWS::Connect::Instance",
                json!({
                    "IdentityManagementType": attribute("identity_management_type"),
                    "InstanceAlias": attribute("instance_alias"),
                    "Attributes": {
                        "InboundCalls": attribute("inbound_calls_enabled"),
                        "OutboundCalls": attribute("outbound_calls_enabled"),
                        "ContactflowLogs": attribute("contact_flow_logs_enabled"),
                        "ContactLens": attribute("contact_lens_enabled"),
                    },
                    "Tags": attribute("tags"),
                }),
            ),
            "aws_iam_saml_provider" => (
                "AWS::IAM::SAMLProvider",
                json!({
                    "Name": attribute("name"),
                    "SamlMetadataDocument": attribute("saml_metadata_document"),
                    "Tags": attribute("tags"),
                }),
            ),
            "aws_iam_role" => {
                let inline: Vec<Value> = after
                    .get("inline_policy")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|p| p.get("name").is_some_and(|n| !n.is_null()))
                    .map(|p| json!({"PolicyName": p["name"], "PolicyDocument": p["policy"]}))
                    .collect();
                (
                    "AWS::IAM::Role",
                    json!({
                        "RoleName": attribute("name"),
                        "Path": attribute("path"),
                        "AssumeRolePolicyDocument": attribute("assume_role_policy"),
                        "Policies": inline,
                        "ManagedPolicyArns": attribute("managed_policy_arns"),
                        "PermissionsBoundary": attribute("permissions_boundary"),
                        "MaxSessionDuration": attribute("max_session_duration"),
                        "Tags": attribute("tags"),
                    }),
                )
            }
            "aws_iam_role_policy" => (
                "AWS::IAM::RolePolicy",
                json!({
                    "PolicyName": attribute("name"),
                    "PolicyDocument": attribute("policy"),
                    "RoleName": attribute("role"),
                }),
            ),
            "aws_iam_policy" => (
                "AWS::IAM::ManagedPolicy",
                json!({
                    "ManagedPolicyName": attribute("name"),
                    "Path": attribute("path"),
                    "PolicyDocument": attribute("policy"),
                }),
            ),
            "aws_iam_user" => (
                "AWS::IAM::User",
                json!({"UserName": attribute("name"), "Path": attribute("path")}),
            ),
            "aws_iam_user_policy" => (
                "AWS::IAM::Policy",
                json!({
                    "PolicyName": attribute("name"),
                    "PolicyDocument": attribute("policy"),
                    "Users": [attribute("user")],
                }),
            ),
            "aws_organizations_policy" => (
                "AWS::Organizations::Policy",
                json!({
                    "Name": attribute("name"),
                    "Type": attribute("type"),
                    "Content": attribute("content"),
                    "Description": attribute("description"),
                }),
            ),
            "aws_cognito_user_pool" => (
                "AWS::Cognito::UserPool",
                json!({
                    "UserPoolName": attribute("name"),
                    "DeletionProtection": attribute("deletion_protection"),
                }),
            ),
            "aws_cognito_identity_provider" => (
                "AWS::Cognito::UserPoolIdentityProvider",
                json!({
                    "UserPoolId": attribute("user_pool_id"),
                    "ProviderName": attribute("provider_name"),
                    "ProviderType": attribute("provider_type"),
                    "ProviderDetails": attribute("provider_details"),
                }),
            ),
            "aws_iam_role_policy_attachment"
            | "aws_iam_user_login_profile"
            | "aws_organizations_policy_attachment" => {
                pending_attachments.push((
                    kind.to_owned(),
                    attribute("role"),
                    attribute("policy_arn"),
                    attribute("user"),
                    attribute("policy_id"),
                    attribute("target_id"),
                ));
                continue;
            }
            _ => continue,
        };
        resources.insert(
            address.to_owned(),
            json!({"Type": cfn_type, "Properties": without_nulls(properties)}),
        );
    }
    for (kind, role, policy_arn, user, policy_id, target_id) in pending_attachments {
        attach(
            &mut resources,
            &kind,
            role,
            policy_arn,
            user,
            policy_id,
            target_id,
        );
    }
    if resources.is_empty() {
        return Err("the plan changes no resource connect-guard reads".to_owned());
    }
    let region = plan
        .pointer("/configuration/provider_config/aws/expressions/region/constant_value")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let locations = locate(&resources, path, display);
    Ok(PlanTemplate {
        template: Template {
            parameters: Map::new(),
            mappings: Map::new(),
            conditions: Map::new(),
            resources,
        },
        region,
        locations,
    })
}

/// The planned value of `name`: the value, a reference to a planned resource when the plan
/// does not know it but the configuration says what it refers to, or an unknown marker.
fn attribute_value(
    after: &Value,
    unknown: &Value,
    name: &str,
    address: &str,
    references: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
) -> Value {
    if unknown.get(name) != Some(&Value::Bool(true)) {
        return after.get(name).cloned().unwrap_or(Value::Null);
    }
    let referenced = references
        .get(&config_address(address))
        .and_then(|r| r.get(name))
        .and_then(|refs| refs.iter().find(|r| r.matches('.').count() >= 2));
    if let Some(reference) = referenced {
        let (resource, attribute) = reference.rsplit_once('.').unwrap_or((reference, ""));
        let resource = module_prefix(address) + resource;
        return match attribute {
            "arn" => json!({"Fn::GetAtt": [resource, "Arn"]}),
            "id" | "name" => json!({"Ref": resource}),
            other => {
                json!({UNKNOWN: format!("{name} is known only after apply ({other} of {resource})")})
            }
        };
    }
    json!({UNKNOWN: format!("{name} is known only after apply")})
}

/// `module.a.aws_x.y[0]` → `module.a.aws_x.y`: configuration addresses have no index.
fn config_address(address: &str) -> String {
    match address.rfind('[') {
        Some(i) if address.ends_with(']') => address[..i].to_owned(),
        _ => address.to_owned(),
    }
}

/// `module.a.module.b.aws_x.y` → `module.a.module.b.`.
fn module_prefix(address: &str) -> String {
    let mut prefix = String::new();
    let mut parts = address.split('.').peekable();
    while let Some(part) = parts.next() {
        if part == "module"
            && let Some(name) = parts.next()
        {
            prefix.push_str("module.");
            prefix.push_str(name);
            prefix.push('.');
        } else {
            break;
        }
    }
    prefix
}

/// Configuration references of every resource: address → attribute → referenced addresses.
fn configuration_references(plan: &Value) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut out = BTreeMap::new();
    if let Some(root) = plan.pointer("/configuration/root_module") {
        collect_references(root, "", &mut out);
    }
    out
}

fn collect_references(
    module: &Value,
    prefix: &str,
    out: &mut BTreeMap<String, BTreeMap<String, Vec<String>>>,
) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(address) = resource.get("address").and_then(Value::as_str) else {
            continue;
        };
        let mut attributes = BTreeMap::new();
        for (name, expression) in resource
            .get("expressions")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(refs) = expression.get("references").and_then(Value::as_array) {
                attributes.insert(
                    name.clone(),
                    refs.iter()
                        .filter_map(|r| r.as_str().map(str::to_owned))
                        .collect(),
                );
            }
        }
        out.insert(format!("{prefix}{address}"), attributes);
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(child) = call.get("module") {
            collect_references(child, &format!("{prefix}module.{name}."), out);
        }
    }
}

fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Applies an attachment resource to the planned resource it names.
fn attach(
    resources: &mut Map<String, Value>,
    kind: &str,
    role: Value,
    policy_arn: Value,
    user: Value,
    policy_id: Value,
    target_id: Value,
) {
    let find_by = |resources: &Map<String, Value>, key: &str, value: &Value| -> Option<String> {
        resources
            .iter()
            .find(|(address, r)| {
                r.pointer(&format!("/Properties/{key}")) == Some(value)
                    || value == &json!({"Ref": address})
                    || value == &json!({"Fn::GetAtt": [address, "Arn"]})
            })
            .map(|(address, _)| address.clone())
    };
    match kind {
        "aws_iam_role_policy_attachment" => {
            let Some(role) = find_by(resources, "RoleName", &role) else {
                return;
            };
            match find_by(resources, "ManagedPolicyName", &policy_arn) {
                // A policy planned beside it.
                Some(policy) => push(resources, &policy, "Roles", json!({"Ref": role})),
                // An existing or AWS-managed policy, by ARN.
                None if policy_arn.is_string() => {
                    push(resources, &role, "ManagedPolicyArns", policy_arn);
                }
                None => {}
            }
        }
        "aws_iam_user_login_profile" => {
            if let Some(user) = find_by(resources, "UserName", &user)
                && let Some(properties) = resources
                    .get_mut(&user)
                    .and_then(|r| r.get_mut("Properties"))
                    .and_then(Value::as_object_mut)
            {
                properties.insert("LoginProfile".to_owned(), json!({}));
            }
        }
        "aws_organizations_policy_attachment" => {
            if let Some(policy) = find_by(resources, "Name", &policy_id) {
                push(resources, &policy, "TargetIds", target_id);
            }
        }
        _ => {}
    }
}

fn push(resources: &mut Map<String, Value>, address: &str, key: &str, value: Value) {
    if let Some(properties) = resources
        .get_mut(address)
        .and_then(|r| r.get_mut("Properties"))
        .and_then(Value::as_object_mut)
    {
        match properties.entry(key).or_insert_with(|| json!([])) {
            Value::Array(items) => items.push(value),
            other => *other = json!([other.clone(), value]),
        }
    }
}

/// Where each resource is declared: `resource "TYPE" "NAME"` in a `.tf` file beside the plan
/// (root module resources), else the line of its address in the plan.
fn locate(
    resources: &Map<String, Value>,
    plan_path: &Path,
    display: &str,
) -> BTreeMap<String, (String, usize)> {
    let directory = plan_path.parent().unwrap_or(Path::new("."));
    let mut sources: Vec<(String, String)> = std::fs::read_dir(directory)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let shown = display
                .rsplit_once('/')
                .map(|(dir, _)| format!("{dir}/"))
                .unwrap_or_default()
                + &p.file_name()?.to_string_lossy();
            Some((shown, text))
        })
        .collect();
    sources.sort();
    let plan_text = std::fs::read_to_string(plan_path).unwrap_or_default();
    let mut out = BTreeMap::new();
    for address in resources.keys() {
        // Root-module resources only: a module's `.tf` files are elsewhere.
        let declared = (!address.starts_with("module.")).then(|| {
            let config = config_address(address);
            let (kind, name) = config.split_once('.')?;
            let needle = format!("resource \"{kind}\" \"{name}\"");
            sources.iter().find_map(|(file, text)| {
                text.lines()
                    .position(|l| l.trim_start().starts_with(&needle))
                    .map(|i| (file.clone(), i + 1))
            })
        });
        let location = declared.flatten().unwrap_or_else(|| {
            let needle = format!("\"address\": \"{address}\"");
            let compact = format!("\"address\":\"{address}\"");
            let line = plan_text
                .lines()
                .position(|l| l.contains(&needle) || l.contains(&compact))
                .map_or(1, |i| i + 1);
            (display.to_owned(), line)
        });
        out.insert(address.clone(), location);
    }
    out
}
