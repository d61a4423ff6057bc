//! Infrastructure as code: CloudFormation templates (JSON or YAML, including the templates
//! the AWS CDK synthesizes into `cdk.out`) and Terraform plans (`terraform show -json`) read
//! as the organization they would deploy.
//!
//! Every planned resource becomes the snapshot model, so the same rules judge a template
//! before deployment that judge the organization after it. [`load`] returns that planned
//! snapshot and, for each planned resource's ARN, the file and line it is declared at, which
//! the reports show and SARIF hands to GitHub to annotate the pull request.
//!
//! A template alone does not say which SCPs and RCPs will govern its account: rules that
//! need the organization (tag `organization`) are not evaluated on templates alone. Laid over
//! a collected snapshot ([`overlay`]), they are, and the scan shows what the change does.

mod lines;
mod overlay;
mod resolve;
mod resources;
mod template;
mod terraform;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::demo::build;
pub use crate::finding::SourceLocation;
use crate::snapshot::{AccountResources, CollectionError, SCHEMA_VERSION, ScanMetadata, Snapshot};
pub use overlay::overlay;

/// The planned organization's id and management account, and its root.
const ORGANIZATION_ID: &str = "o-planned";
const MANAGEMENT_ACCOUNT_ID: &str = "000000000000";
const ROOT_ID: &str = "r-planned";

/// Account and region a template is planned into when nothing else says (a CDK stack's
/// environment does).
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// See [`DEFAULT_ACCOUNT_ID`].
pub const DEFAULT_REGION: &str = "us-east-1";

/// The rule tag of rules that need the organization's SCPs and RCPs.
pub const ORGANIZATION_TAG: &str = "organization";

/// What templates plan.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The organization the templates would deploy, as a snapshot.
    pub snapshot: Snapshot,
    /// Where each planned resource is declared, by ARN.
    pub locations: BTreeMap<String, SourceLocation>,
    /// The templates read.
    pub templates: Vec<String>,
}

/// Where templates are deployed when the templates do not say.
#[derive(Debug, Clone)]
pub struct Options {
    /// 12-digit account id.
    pub account_id: String,
    /// Region.
    pub region: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            account_id: DEFAULT_ACCOUNT_ID.to_owned(),
            region: DEFAULT_REGION.to_owned(),
        }
    }
}

/// Why templates could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IacError {
    /// A file or directory could not be read.
    #[error("{path}: cannot read: {message}")]
    Unreadable {
        /// The path.
        path: String,
        /// What failed.
        message: String,
    },
    /// A template does not parse.
    #[error("{path}: not a CloudFormation template: {message}")]
    Invalid {
        /// The path.
        path: String,
        /// What is wrong, in one line.
        message: String,
    },
    /// No template was found under the paths.
    #[error("no CloudFormation template found in {0}")]
    NoTemplate(String),
    /// Templates laid over a snapshot deploy to an account the organization does not have.
    #[error(
        "the templates deploy to account {account_id}, which is not in organization {organization_id}"
    )]
    NotInOrganization {
        /// The templates' account.
        account_id: String,
        /// The snapshot's organization.
        organization_id: String,
    },
}

/// One template to plan, and where it deploys.
struct Source {
    /// The path as reports show it.
    path: String,
    /// The file itself (a Terraform plan's `.tf` files are found beside it).
    file: PathBuf,
    text: String,
    stack_name: String,
    account_id: String,
    region: String,
}

/// Reads the templates at `paths` (files, or directories searched for templates and CDK
/// cloud assemblies) and plans them into one organization.
pub fn load(paths: &[PathBuf], options: &Options) -> Result<Planned, IacError> {
    let mut sources = Vec::new();
    for path in paths {
        discover(path, options, true, &mut sources)?;
    }
    if sources.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| display(p)).collect();
        return Err(IacError::NoTemplate(named.join(", ")));
    }
    // Sources are independent: parse and plan them on every core, merge in order.
    let per_source: Vec<SourcePlan> = {
        use rayon::prelude::*;
        let results: Vec<Result<SourcePlan, IacError>> =
            sources.par_iter_mut().map(plan_source).collect();
        // The first broken file in command-line order is the one reported.
        results.into_iter().collect::<Result<_, _>>()?
    };
    let mut accounts: BTreeMap<String, AccountResources> = BTreeMap::new();
    let mut org_policies = Vec::new();
    let mut errors = Vec::new();
    let mut locations = BTreeMap::new();
    let mut regions = Vec::new();
    for (source, plan) in sources.iter().zip(per_source) {
        let SourcePlan {
            planned,
            locations: located,
            errors: unresolved,
        } = plan;
        locations.extend(located);
        errors.extend(unresolved);
        let resources = accounts.entry(source.account_id.clone()).or_default();
        resources.iam.saml_providers.extend(planned.saml_providers);
        resources.iam.roles.extend(planned.roles);
        resources.iam.users.extend(planned.users);
        resources
            .iam
            .managed_policies
            .extend(planned.managed_policies);
        if !planned.instances.is_empty() {
            resources
                .connect
                .entry(source.region.clone())
                .or_default()
                .instances
                .extend(planned.instances);
        }
        if !planned.user_pools.is_empty() {
            resources
                .cognito
                .entry(source.region.clone())
                .or_default()
                .user_pools
                .extend(planned.user_pools);
        }
        org_policies.extend(planned.org_policies);
        regions.push(source.region.clone());
    }
    regions.sort();
    regions.dedup();
    let planned_accounts: Vec<_> = accounts
        .keys()
        .map(|id| build::account(id, &format!("planned-{id}"), "ACTIVE", &[ROOT_ID], &[]))
        .collect();
    let every_node: Vec<(&str, &str)> = std::iter::once((ROOT_ID, "ROOT"))
        .chain(accounts.keys().map(|id| (id.as_str(), "ACCOUNT")))
        .collect();
    let known: Vec<String> = every_node.iter().map(|(id, _)| (*id).to_owned()).collect();
    for policy in &mut org_policies {
        // Targets outside the planned organization (an OU the template does not create)
        // cannot be placed; the policy is still read for its own rules.
        policy.targets.retain(|t| known.contains(&t.id));
    }
    let mut policies = vec![
        build::full_aws_access(&every_node),
        build::rcp_full_aws_access(&every_node),
    ];
    policies.extend(org_policies);
    let now = chrono::Utc::now();
    let organization = build::organization(
        ORGANIZATION_ID,
        MANAGEMENT_ACCOUNT_ID,
        ROOT_ID,
        &[],
        planned_accounts,
        policies,
    );
    for resources in accounts.values_mut() {
        for role in &mut resources.iam.roles {
            role.attached.sort();
            role.attached.dedup();
        }
    }
    Ok(Planned {
        snapshot: Snapshot {
            schema_version: SCHEMA_VERSION,
            scan: ScanMetadata {
                started_at: now,
                finished_at: Some(now),
                scanner_principal_arn: None,
                tool_version: Some(format!(
                    "connect-guard {} (templates)",
                    env!("CARGO_PKG_VERSION")
                )),
                regions,
                errors,
                skipped_regions: Vec::new(),
                api_calls: Default::default(),
            },
            organization,
            accounts,
        },
        locations,
        templates: sources.into_iter().map(|s| s.path).collect(),
    })
}

/// What one template or plan contributes.
struct SourcePlan {
    planned: resources::Planned,
    /// Where each planned resource is declared, by ARN.
    locations: BTreeMap<String, SourceLocation>,
    /// Resources left out because a value is decided only at deployment.
    errors: Vec<CollectionError>,
}

/// Parses and plans one source (a Terraform plan may set the source's region).
fn plan_source(source: &mut Source) -> Result<SourcePlan, IacError> {
    let invalid = |message: String| IacError::Invalid {
        path: source.path.clone(),
        message,
    };
    // A Terraform plan in JSON, or a CloudFormation template; both become a template.
    let plan = (source.text.trim_start().starts_with('{'))
        .then(|| serde_json::from_str::<serde_json::Value>(&source.text).ok())
        .flatten()
        .filter(terraform::is_plan);
    let terraform = plan.is_some();
    let (template, locations_in_file) = match plan {
        Some(plan) => {
            let read = terraform::read(&plan, &source.file, &source.path).map_err(invalid)?;
            if let Some(region) = read.region {
                source.region = region;
            }
            (read.template, read.locations)
        }
        None => {
            let template = template::parse(&source.text).map_err(invalid)?;
            let lines =
                lines::resource_lines(&source.text, template.resources.keys().map(String::as_str));
            let locations: BTreeMap<String, (String, usize)> = lines
                .into_iter()
                .map(|(id, line)| (id, (source.path.clone(), line)))
                .collect();
            (template, locations)
        }
    };
    let source = &*source;
    let target = resources::Target {
        account_id: &source.account_id,
        region: &source.region,
        stack_name: &source.stack_name,
        management_account_id: MANAGEMENT_ACCOUNT_ID,
        organization_id: ORGANIZATION_ID,
    };
    let planned = resources::plan(&template, &target);
    let at = |logical_id: &str| {
        let (path, line) = locations_in_file
            .get(logical_id)
            .cloned()
            .unwrap_or_else(|| (source.path.clone(), 1));
        SourceLocation {
            path,
            line,
            logical_id: logical_id.to_owned(),
        }
    };
    let locations = planned
        .logical_ids
        .iter()
        .map(|(arn, logical_id)| (arn.clone(), at(logical_id)))
        .collect();
    let errors = planned
        .unresolved
        .iter()
        .map(|(logical_id, kind, reason)| {
            let location = at(logical_id);
            // Named as the author wrote it: `terraform aws_iam_role`, `cloudformation
            // AWS::IAM::Role`.
            let (service, operation) = if terraform {
                let kind = logical_id.split('.').find(|p| p.starts_with("aws_"));
                ("terraform", kind.unwrap_or(logical_id).to_owned())
            } else {
                ("cloudformation", kind.clone())
            };
            CollectionError {
                account_id: Some(source.account_id.clone()),
                region: Some(source.region.clone()),
                service: service.to_owned(),
                operation,
                code: "Unresolved".to_owned(),
                message: format!(
                    "resource {logical_id} ({}:{}) is not assessed: {reason}",
                    location.path, location.line
                ),
            }
        })
        .collect();
    Ok(SourcePlan {
        planned,
        locations,
        errors,
    })
}

/// `path` with `/` separators, as reports and SARIF name it; an absolute path inside the
/// working directory (the repository, in CI) becomes relative to it, as code scanning needs.
fn display(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    let path = relative.as_deref().unwrap_or(path);
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

fn unreadable(path: &Path, error: impl std::fmt::Display) -> IacError {
    IacError::Unreadable {
        path: display(path),
        message: error.to_string(),
    }
}

/// Adds the templates at `path`. A file named on the command line must be a template; under
/// a directory, only files that look like templates are taken, and a CDK cloud assembly
/// (`manifest.json` with stack artifacts) is read through its manifest.
fn discover(
    path: &Path,
    options: &Options,
    named: bool,
    sources: &mut Vec<Source>,
) -> Result<(), IacError> {
    let metadata = std::fs::metadata(path).map_err(|e| unreadable(path, e))?;
    if metadata.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, e))?;
        if named || looks_like_template(path, &text) {
            sources.push(Source {
                path: display(path),
                file: path.to_path_buf(),
                stack_name: stack_name(path),
                account_id: options.account_id.clone(),
                region: options.region.clone(),
                text,
            });
        }
        return Ok(());
    }
    let manifest = path.join("manifest.json");
    if manifest.is_file() && cloud_assembly(path, &manifest, options, sources)? {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| unreadable(path, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') || matches!(name, "node_modules" | "target") {
            continue;
        }
        discover(&entry, options, false, sources)?;
    }
    Ok(())
}

/// A file under a directory is a template when its extension is one templates use and it
/// declares a template version or `Resources` with an `AWS::` type.
fn looks_like_template(path: &Path, text: &str) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    matches!(extension, "json" | "yaml" | "yml" | "template")
        && (text.contains("AWSTemplateFormatVersion")
            || (text.contains("Resources") && text.contains("AWS::"))
            || (text.contains("\"format_version\"") && text.contains("\"resource_changes\"")))
}

fn stack_name(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("stack");
    let name = name.split('.').next().unwrap_or(name);
    if name.is_empty() {
        "stack".to_owned()
    } else {
        name.to_owned()
    }
}

/// Reads a CDK cloud assembly: each `aws:cloudformation:stack` artifact's template, deployed
/// where its environment says (`aws://<account>/<region>`; `unknown-account` and
/// `unknown-region`, from environment-agnostic stacks, fall back to `options`). Returns false
/// when the manifest has no stack artifacts (then the directory is searched as usual).
fn cloud_assembly(
    directory: &Path,
    manifest: &Path,
    options: &Options,
    sources: &mut Vec<Source>,
) -> Result<bool, IacError> {
    let text = std::fs::read_to_string(manifest).map_err(|e| unreadable(manifest, e))?;
    let manifest_value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| IacError::Invalid {
            path: display(manifest),
            message: format!("invalid cloud assembly manifest: {e}"),
        })?;
    let Some(artifacts) = manifest_value.get("artifacts").and_then(|a| a.as_object()) else {
        return Ok(false);
    };
    let mut found = false;
    for (artifact_id, artifact) in artifacts {
        if artifact.get("type").and_then(|t| t.as_str()) != Some("aws:cloudformation:stack") {
            continue;
        }
        let Some(file) = artifact
            .pointer("/properties/templateFile")
            .and_then(|f| f.as_str())
        else {
            continue;
        };
        let path = directory.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
        let environment = artifact
            .get("environment")
            .and_then(|e| e.as_str())
            .and_then(|e| e.strip_prefix("aws://"))
            .and_then(|e| e.split_once('/'));
        let (account_id, region) = match environment {
            Some((account, region)) => (
                Some(account)
                    .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                    .map_or_else(|| options.account_id.clone(), str::to_owned),
                Some(region)
                    .filter(|r| !r.starts_with("unknown"))
                    .map_or_else(|| options.region.clone(), str::to_owned),
            ),
            None => (options.account_id.clone(), options.region.clone()),
        };
        let stack_name = artifact
            .pointer("/properties/stackName")
            .and_then(|s| s.as_str())
            .unwrap_or(artifact_id)
            .to_owned();
        sources.push(Source {
            path: display(&path),
            file: path.clone(),
            text,
            stack_name,
            account_id,
            region,
        });
        found = true;
    }
    Ok(found)
}
