//! Planned resources of one template, as the snapshot model.
//!
//! Each supported resource type becomes what the collector would read once it is deployed:
//! Connect instances, IAM SAML providers, roles (with their inline, attached and separately
//! declared policies), users, Organizations policies, Cognito user pools and their identity
//! providers. A name the template leaves to CloudFormation becomes `<stack>-<LogicalId>`, and
//! an id only a deployment assigns (an instance id, a pool id) is derived from the logical id,
//! so the same template always yields the same ARNs. A resource with a value the template
//! cannot decide is left out and reported as not assessed, with the reason.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::resolve::{Context, Handles, Unresolved, partition};
use super::template::Template;
use crate::snapshot::{
    InlinePolicy, Instance, JsonText, OrgPolicy, PolicyTarget, PrivateKeyRef, Role, SamlProvider,
    Tags, User, UserPool, UserPoolProvider,
};

/// What one template plans.
#[derive(Debug, Default)]
pub(crate) struct Planned {
    pub(crate) instances: Vec<Instance>,
    pub(crate) saml_providers: Vec<SamlProvider>,
    pub(crate) roles: Vec<Role>,
    pub(crate) users: Vec<User>,
    pub(crate) managed_policies: BTreeMap<String, JsonText>,
    pub(crate) user_pools: Vec<UserPool>,
    pub(crate) org_policies: Vec<OrgPolicy>,
    /// ARN of each planned resource → its logical id.
    pub(crate) logical_ids: BTreeMap<String, String>,
    /// Resources left out: logical id, type and why.
    pub(crate) unresolved: Vec<(String, String, String)>,
}

/// Where the template will be deployed.
pub(crate) struct Target<'a> {
    pub(crate) account_id: &'a str,
    pub(crate) region: &'a str,
    pub(crate) stack_name: &'a str,
    pub(crate) management_account_id: &'a str,
    pub(crate) organization_id: &'a str,
}

/// The resource types connect-guard reads from templates.
pub(crate) const SUPPORTED: [&str; 10] = [
    "AWS::Connect::Instance",
    "AWS::IAM::SAMLProvider",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::User",
    "AWS::Organizations::Policy",
    "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolIdentityProvider",
];

/// Plans every supported resource of `template`.
pub(crate) fn plan(template: &Template, target: &Target<'_>) -> Planned {
    let handles = handles(template, target);
    let context = Context {
        template,
        account_id: target.account_id,
        region: target.region,
        stack_name: target.stack_name,
        handles: &handles,
    };
    let mut planned = Planned::default();
    // Policies declared on their own attach to roles and users planned first.
    let mut separate_policies = Vec::new();
    let mut identity_providers = Vec::new();
    for (logical_id, resource) in &template.resources {
        let kind = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if kind == "AWS::CloudFormation::Stack" {
            // Its resources are in another template, which may hold instances or roles.
            planned.unresolved.push((
                logical_id.clone(),
                kind.to_owned(),
                "a nested stack: its template is read only when passed with --iac as well"
                    .to_owned(),
            ));
            continue;
        }
        if !SUPPORTED.contains(&kind) {
            continue;
        }
        let properties = match included(&context, resource).and_then(|included| {
            if !included {
                return Ok(None);
            }
            context
                .resolve(resource.get("Properties").unwrap_or(&Value::Null))
                .map(|p| Some(p.unwrap_or(Value::Null)))
        }) {
            Ok(Some(properties)) => properties,
            Ok(None) => continue,
            Err(Unresolved(reason)) => {
                planned
                    .unresolved
                    .push((logical_id.clone(), kind.to_owned(), reason));
                continue;
            }
        };
        let handle = handles.get(logical_id).cloned().unwrap_or_default();
        let arn = handle.attributes.get("Arn").cloned().unwrap_or_default();
        match kind {
            "AWS::Connect::Instance" => {
                planned.instances.push(instance(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::IAM::SAMLProvider" => {
                planned
                    .saml_providers
                    .push(saml_provider(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::IAM::Role" => {
                planned.roles.push(role(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::IAM::User" => {
                planned.users.push(user(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::IAM::ManagedPolicy" => {
                if let Some(document) = properties.get("PolicyDocument") {
                    planned
                        .managed_policies
                        .insert(arn.clone(), JsonText::from(document));
                }
                separate_policies.push((arn, properties));
            }
            "AWS::IAM::Policy" | "AWS::IAM::RolePolicy" => {
                separate_policies.push((String::new(), properties));
            }
            "AWS::Organizations::Policy" => {
                planned.org_policies.push(org_policy(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::Cognito::UserPool" => {
                planned.user_pools.push(user_pool(&properties, &handle));
                planned.logical_ids.insert(arn, logical_id.clone());
            }
            "AWS::Cognito::UserPoolIdentityProvider" => identity_providers.push(properties),
            _ => {}
        }
    }
    for (managed_arn, properties) in separate_policies {
        attach(&mut planned, &managed_arn, &properties);
    }
    for properties in identity_providers {
        let pool_id = text(&properties, "UserPoolId");
        if let Some(pool) = planned.user_pools.iter_mut().find(|p| p.id == pool_id) {
            pool.identity_providers.push(pool_provider(&properties));
            pool.identity_providers.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }
    planned
}

/// Whether the resource's `Condition` (if any) holds.
fn included(context: &Context<'_>, resource: &Value) -> Result<bool, Unresolved> {
    match resource.get("Condition").and_then(Value::as_str) {
        Some(condition) => context.condition(condition),
        None => Ok(true),
    }
}

/// `Ref` and `Fn::GetAtt` values of every resource, from names the template gives or the
/// ones CloudFormation would generate.
fn handles(template: &Template, target: &Target<'_>) -> BTreeMap<String, Handles> {
    let none = BTreeMap::new();
    let names = Context {
        template,
        account_id: target.account_id,
        region: target.region,
        stack_name: target.stack_name,
        handles: &none,
    };
    let partition = partition(target.region);
    let (account, region) = (target.account_id, target.region);
    let mut handles = BTreeMap::new();
    for (logical_id, resource) in &template.resources {
        let kind = resource
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let properties = resource.get("Properties").cloned().unwrap_or(Value::Null);
        let name = |key: &str| -> String {
            properties
                .get(key)
                .and_then(|v| names.resolve(v).ok().flatten())
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("{}-{logical_id}", target.stack_name))
        };
        let path = properties
            .get("Path")
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_owned();
        let attributes = |pairs: Vec<(&str, String)>| -> BTreeMap<String, String> {
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
        };
        // Unique per stack, as the physical ids CloudFormation assigns are.
        let planned_id = format!(
            "planned-{}-{}",
            target.stack_name.to_ascii_lowercase(),
            logical_id.to_ascii_lowercase()
        );
        let handle = match kind {
            "AWS::Connect::Instance" => {
                let arn =
                    format!("arn:{partition}:connect:{region}:{account}:instance/{planned_id}");
                Handles {
                    reference: Some(arn.clone()),
                    attributes: attributes(vec![("Arn", arn), ("Id", planned_id)]),
                }
            }
            "AWS::IAM::SAMLProvider" => {
                let arn = format!(
                    "arn:{partition}:iam::{account}:saml-provider/{}",
                    name("Name")
                );
                Handles {
                    reference: Some(arn.clone()),
                    attributes: attributes(vec![("Arn", arn)]),
                }
            }
            "AWS::IAM::Role" => {
                let role_name = name("RoleName");
                let arn = format!("arn:{partition}:iam::{account}:role{path}{role_name}");
                Handles {
                    reference: Some(role_name),
                    attributes: attributes(vec![
                        ("Arn", arn),
                        (
                            "RoleId",
                            format!("AROAPLANNED{}", logical_id.to_ascii_uppercase()),
                        ),
                    ]),
                }
            }
            "AWS::IAM::User" => {
                let user_name = name("UserName");
                let arn = format!("arn:{partition}:iam::{account}:user{path}{user_name}");
                Handles {
                    reference: Some(user_name),
                    attributes: attributes(vec![("Arn", arn)]),
                }
            }
            "AWS::IAM::ManagedPolicy" => {
                let arn = format!(
                    "arn:{partition}:iam::{account}:policy{path}{}",
                    name("ManagedPolicyName")
                );
                Handles {
                    reference: Some(arn.clone()),
                    attributes: attributes(vec![("Arn", arn.clone()), ("PolicyArn", arn)]),
                }
            }
            "AWS::Organizations::Policy" => {
                let id = format!("p-{}", planned_id);
                let arn = format!(
                    "arn:{partition}:organizations::{}:policy/{}/{}/{id}",
                    target.management_account_id,
                    target.organization_id,
                    policy_kind_path(&properties)
                );
                Handles {
                    reference: Some(id.clone()),
                    attributes: attributes(vec![("Id", id), ("Arn", arn)]),
                }
            }
            "AWS::Organizations::OrganizationalUnit" => {
                let id = format!("ou-{planned_id}");
                Handles {
                    reference: Some(id.clone()),
                    attributes: attributes(vec![("Id", id)]),
                }
            }
            "AWS::Cognito::UserPool" => {
                let id = format!(
                    "{region}_{}{logical_id}",
                    target.stack_name.replace('-', "")
                );
                let arn = format!("arn:{partition}:cognito-idp:{region}:{account}:userpool/{id}");
                Handles {
                    reference: Some(id.clone()),
                    attributes: attributes(vec![
                        ("Arn", arn),
                        ("UserPoolId", id.clone()),
                        (
                            "ProviderName",
                            format!("cognito-idp.{region}.amazonaws.com/{id}"),
                        ),
                    ]),
                }
            }
            "AWS::Cognito::UserPoolIdentityProvider" => Handles {
                reference: Some(name("ProviderName")),
                attributes: BTreeMap::new(),
            },
            _ => Handles::default(),
        };
        handles.insert(logical_id.clone(), handle);
    }
    handles
}

fn policy_kind_path(properties: &Value) -> &'static str {
    match properties.get("Type").and_then(Value::as_str) {
        Some("RESOURCE_CONTROL_POLICY") => "resource_control_policy",
        _ => "service_control_policy",
    }
}

fn text(properties: &Value, key: &str) -> String {
    match properties.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn strings(properties: &Value, key: &str) -> Vec<String> {
    properties
        .get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn tags(properties: &Value) -> Tags {
    match properties.get("Tags") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|t| {
                Some((
                    t.get("Key")?.as_str()?.to_owned(),
                    t.get("Value")?.as_str()?.to_owned(),
                ))
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
            .collect(),
        _ => Tags::new(),
    }
}

/// A policy document as CloudFormation accepts it: an object, or JSON in a string.
fn document(value: Option<&Value>) -> Value {
    match value {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

/// `ContactflowLogs` → `CONTACTFLOW_LOGS`, the attribute names of the Connect API.
fn attribute_name(property: &str) -> String {
    let mut name = String::with_capacity(property.len() + 4);
    for (i, c) in property.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

fn instance(properties: &Value, handle: &Handles) -> Instance {
    let attributes = properties
        .get("Attributes")
        .and_then(Value::as_object)
        .map(|a| {
            a.iter()
                .map(|(k, v)| {
                    let value = match v {
                        Value::String(s) => s.to_ascii_lowercase(),
                        other => other.to_string(),
                    };
                    (attribute_name(k), value)
                })
                .collect()
        })
        .unwrap_or_default();
    Instance {
        id: handle.attributes.get("Id").cloned().unwrap_or_default(),
        arn: handle.attributes.get("Arn").cloned().unwrap_or_default(),
        alias: Some(text(properties, "InstanceAlias")).filter(|a| !a.is_empty()),
        identity_management_type: text(properties, "IdentityManagementType"),
        status: "ACTIVE".to_owned(),
        status_reason: None,
        access_url: None,
        service_role: None,
        created_time: None,
        tags: tags(properties),
        attributes,
        replication: None,
        traffic_distribution_groups: Vec::new(),
    }
}

fn saml_provider(properties: &Value, handle: &Handles) -> SamlProvider {
    let arn = handle.attributes.get("Arn").cloned().unwrap_or_default();
    let document = Some(text(properties, "SamlMetadataDocument")).filter(|d| !d.is_empty());
    let metadata = document
        .as_deref()
        .map(crate::saml::parse_metadata)
        .unwrap_or_default();
    SamlProvider {
        name: arn.rsplit('/').next().unwrap_or_default().to_owned(),
        arn,
        create_date: None,
        valid_until: None,
        uuid: None,
        assertion_encryption_mode: Some(text(properties, "AssertionEncryptionMode"))
            .filter(|m| !m.is_empty()),
        private_keys: private_keys(properties),
        tags: tags(properties),
        metadata_document: document,
        metadata,
    }
}

/// `PrivateKeyList` (key ids), and a key the template adds with `AddPrivateKey` (its id is
/// assigned at deployment; the key itself is never kept).
fn private_keys(properties: &Value) -> Vec<PrivateKeyRef> {
    let mut keys: Vec<PrivateKeyRef> = properties
        .get("PrivateKeyList")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|k| PrivateKeyRef {
            key_id: text(k, "KeyId"),
            timestamp: None,
        })
        .collect();
    if properties.get("AddPrivateKey").is_some() {
        keys.push(PrivateKeyRef {
            key_id: "added-at-deployment".to_owned(),
            timestamp: None,
        });
    }
    keys
}

fn inline_policies(properties: &Value) -> Vec<InlinePolicy> {
    properties
        .get("Policies")
        .and_then(Value::as_array)
        .map(|policies| {
            policies
                .iter()
                .map(|p| InlinePolicy {
                    name: text(p, "PolicyName"),
                    document: document(p.get("PolicyDocument")).into(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn role(properties: &Value, handle: &Handles) -> Role {
    Role {
        name: handle.reference.clone().unwrap_or_default(),
        id: handle.attributes.get("RoleId").cloned().unwrap_or_default(),
        arn: handle.attributes.get("Arn").cloned().unwrap_or_default(),
        path: Some(text(properties, "Path"))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_owned()),
        create_date: None,
        max_session_duration: properties
            .get("MaxSessionDuration")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .and_then(|v| u32::try_from(v).ok()),
        trust: document(properties.get("AssumeRolePolicyDocument")).into(),
        inline: inline_policies(properties),
        attached: strings(properties, "ManagedPolicyArns"),
        boundary: Some(text(properties, "PermissionsBoundary")).filter(|b| !b.is_empty()),
        tags: tags(properties),
        last_used: None,
    }
}

fn user(properties: &Value, handle: &Handles) -> User {
    User {
        name: handle.reference.clone().unwrap_or_default(),
        id: String::new(),
        arn: handle.attributes.get("Arn").cloned().unwrap_or_default(),
        path: Some(text(properties, "Path"))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/".to_owned()),
        create_date: None,
        inline: inline_policies(properties),
        attached: strings(properties, "ManagedPolicyArns"),
        groups: strings(properties, "Groups"),
        password_enabled: Some(properties.get("LoginProfile").is_some()),
        password_last_used: None,
        // Keys are separate resources (AWS::IAM::AccessKey) and new at deployment: no age.
        access_keys: Vec::new(),
    }
}

/// Attaches a separately declared policy (`AWS::IAM::Policy`, `RolePolicy`, `ManagedPolicy`)
/// to the planned roles and users it names.
fn attach(planned: &mut Planned, managed_arn: &str, properties: &Value) {
    let mut roles = strings(properties, "Roles");
    roles.extend(Some(text(properties, "RoleName")).filter(|r| !r.is_empty()));
    let users = strings(properties, "Users");
    let inline = InlinePolicy {
        name: text(properties, "PolicyName"),
        document: document(properties.get("PolicyDocument")).into(),
    };
    for role in planned.roles.iter_mut().filter(|r| roles.contains(&r.name)) {
        if managed_arn.is_empty() {
            role.inline.push(inline.clone());
        } else {
            role.attached.push(managed_arn.to_owned());
        }
    }
    for user in planned.users.iter_mut().filter(|u| users.contains(&u.name)) {
        if managed_arn.is_empty() {
            user.inline.push(inline.clone());
        } else {
            user.attached.push(managed_arn.to_owned());
        }
    }
}

fn org_policy(properties: &Value, handle: &Handles) -> OrgPolicy {
    let document = document(properties.get("Content"));
    let size_chars = document.to_string().chars().count();
    OrgPolicy {
        id: handle.reference.clone().unwrap_or_default(),
        arn: handle.attributes.get("Arn").cloned(),
        name: text(properties, "Name"),
        description: Some(text(properties, "Description")).filter(|d| !d.is_empty()),
        policy_type: Some(text(properties, "Type"))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "SERVICE_CONTROL_POLICY".to_owned()),
        aws_managed: false,
        document,
        size_chars,
        targets: strings(properties, "TargetIds")
            .into_iter()
            .map(|id| PolicyTarget {
                target_type: if id.starts_with("r-") {
                    "ROOT"
                } else if id.starts_with("ou-") {
                    "ORGANIZATIONAL_UNIT"
                } else {
                    "ACCOUNT"
                }
                .to_owned(),
                id,
                name: None,
            })
            .collect(),
        tags: tags(properties),
    }
}

fn user_pool(properties: &Value, handle: &Handles) -> UserPool {
    UserPool {
        id: handle.reference.clone().unwrap_or_default(),
        arn: handle.attributes.get("Arn").cloned().unwrap_or_default(),
        name: text(properties, "UserPoolName"),
        // CloudFormation, like the CreateUserPool API, leaves deletion protection inactive
        // unless the template sets it.
        deletion_protection: Some(
            Some(text(properties, "DeletionProtection"))
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "INACTIVE".to_owned()),
        ),
        creation_date: None,
        identity_providers: Vec::new(),
    }
}

fn pool_provider(properties: &Value) -> UserPoolProvider {
    let details: Map<String, Value> = properties
        .get("ProviderDetails")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut provider = UserPoolProvider::new(
        text(properties, "ProviderName"),
        text(properties, "ProviderType"),
    );
    if provider.provider_type == "SAML" {
        let values: BTreeMap<String, String> = details
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect();
        provider.apply_saml_details(|key| values.get(key).map(String::as_str));
    }
    provider
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_resources_connect_guard_reads_can_be_not_assessed() {
        let template = super::super::template::parse(concat!(
            "Parameters:\n",
            "  Prefix: {Type: String}\n",
            "  Alias: {Type: String}\n",
            "Resources:\n",
            "  Domain:\n",
            "    Type: AWS::Cognito::UserPoolDomain\n",
            "    Properties:\n",
            "      Domain: !Ref Prefix\n",
            "  Agents:\n",
            "    Type: AWS::Connect::Instance\n",
            "    Properties:\n",
            "      IdentityManagementType: SAML\n",
            "      InstanceAlias: !Ref Alias\n",
        ))
        .expect("template");
        let target = Target {
            account_id: "111122223333",
            region: "us-east-1",
            stack_name: "cc",
            management_account_id: "000000000000",
            organization_id: "o-planned",
        };
        let planned = plan(&template, &target);
        let unresolved: Vec<&str> = planned
            .unresolved
            .iter()
            .map(|(id, _, _)| id.as_str())
            .collect();
        assert_eq!(
            unresolved,
            ["Agents"],
            "the domain is not read, so not reported"
        );
    }

    #[test]
    fn connect_attribute_names_follow_the_api() {
        assert_eq!(attribute_name("ContactflowLogs"), "CONTACTFLOW_LOGS");
        assert_eq!(attribute_name("InboundCalls"), "INBOUND_CALLS");
        assert_eq!(attribute_name("ContactLens"), "CONTACT_LENS");
    }
}
