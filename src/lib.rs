//! connect-guard: a policy-as-code compliance scanner for Amazon Connect identity posture.
//!
//! The pipeline is `snapshot` → `facts` → `engine` → `report`:
//!
//! - [`snapshot`] is the versioned model of an organization (collected live or loaded from a
//!   file, or the bundled [`demo`] organization);
//! - [`saml`] and [`iam`] hold what Rego should not do: SAML metadata and X.509 parsing, and
//!   IAM/SCP policy semantics;
//! - [`facts`] joins the snapshot into per-resource facts (federation roles, SCP decisions)
//!   so rules stay short and fast;
//! - [`engine`] loads the Rego rules under `policies/`, validates their metadata and
//!   evaluates them with regorus;
//! - [`report`] renders findings as a table, JSON, SARIF, GitHub annotations, Markdown or a
//!   self-contained HTML page;
//! - [`collect`] reads a live organization with the AWS SDK into a snapshot;
//! - [`iac`] reads CloudFormation templates, CDK cloud assemblies and Terraform plans as the
//!   organization they would deploy, alone or laid over a snapshot.
//!
//! [`synthetic`] generates organizations of any size for benchmarks.

pub mod baseline;
pub mod cli;
pub mod collect;
pub mod config;
pub mod demo;
pub mod engine;
pub mod facts;
pub mod finding;
pub mod iac;
pub mod iam;
pub mod merge;
pub mod output;
pub mod params;
pub mod report;
pub mod saml;
pub mod scan;
pub mod snapshot;
pub mod suggest;
pub mod synthetic;
pub mod timings;
pub mod untrusted;
pub mod verdict;
pub mod waiver;
