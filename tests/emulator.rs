//! End-to-end tests of the live collector against the moto emulator.
//!
//! `scripts/test.sh` starts `tests/emulator/moto_shim.py` on a free loopback port, seeds it
//! with `tests/emulator/seed.py` and exports `CONNECT_GUARD_EMULATOR_URL` (the endpoint) and
//! `CONNECT_GUARD_EMULATOR_MANIFEST` (what was seeded). Without the URL these tests print a
//! note and pass; with a URL that does not answer they fail, loudly.
//!
//! The real `connect-guard` binary talks to the emulator through the AWS SDK with
//! `AWS_ENDPOINT_URL`; nothing in connect-guard is mocked. The shim's faults (a member whose
//! role cannot be assumed, a suspended account, a refused region and an opt-in region) are
//! part of the seeded organization, so the default run is incomplete by design and the
//! complete run excludes them.

mod common;

use std::collections::BTreeSet;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use connect_guard::iam::{NamedDocument, PolicyDocument, RequestContext, evaluate_identity};

/// Regions of the seeded instances, the refused region and the opt-in region.
const REGIONS: &str = "us-east-1,us-west-2,eu-west-2,ca-central-1,af-south-1";

struct Emulator {
    url: String,
    manifest: Value,
}

impl Emulator {
    /// The emulator from the environment; `None` (with a note) when the tests are not wired.
    fn get() -> Option<Self> {
        let Ok(url) = std::env::var("CONNECT_GUARD_EMULATOR_URL") else {
            eprintln!(
                "note: CONNECT_GUARD_EMULATOR_URL is not set; skipping the emulator tests \
                 (scripts/test.sh starts the emulator and sets it)"
            );
            return None;
        };
        let authority = url
            .trim_start_matches("http://")
            .trim_start_matches("https://")
            .trim_end_matches('/');
        let address = authority
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .unwrap_or_else(|| panic!("CONNECT_GUARD_EMULATOR_URL={url} is not host:port"));
        TcpStream::connect_timeout(&address, Duration::from_secs(5)).unwrap_or_else(|e| {
            panic!("CONNECT_GUARD_EMULATOR_URL={url} is set but the emulator does not answer: {e}")
        });
        let manifest_path = std::env::var("CONNECT_GUARD_EMULATOR_MANIFEST").unwrap_or_else(|_| {
            panic!("CONNECT_GUARD_EMULATOR_URL is set but CONNECT_GUARD_EMULATOR_MANIFEST is not")
        });
        let manifest = serde_json::from_str(
            &std::fs::read_to_string(&manifest_path)
                .unwrap_or_else(|e| panic!("{manifest_path}: {e}")),
        )
        .unwrap_or_else(|e| panic!("{manifest_path}: {e}"));
        Some(Self { url, manifest })
    }

    fn account(&self, name: &str) -> String {
        self.manifest["accounts"][name]
            .as_str()
            .unwrap_or_else(|| panic!("no seeded account {name}"))
            .to_owned()
    }

    fn management(&self) -> String {
        self.manifest["management_account_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// `connect-guard` with management-account credentials for the emulator and nothing of
    /// the developer's AWS setup.
    fn command(&self, dir: &Path) -> assert_cmd::Command {
        let mut command = common::connect_guard();
        command
            .envs(self.aws_env(dir))
            .timeout(Duration::from_secs(300));
        command
    }

    /// The environment of an AWS SDK pointed at the emulator with management-account
    /// credentials, and an empty AWS configuration written under `dir`.
    fn aws_env(&self, dir: &Path) -> Vec<(&'static str, std::ffi::OsString)> {
        let empty = dir.join("empty-aws-config");
        std::fs::write(&empty, "").expect("writes");
        vec![
            ("AWS_ENDPOINT_URL", self.url.clone().into()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
            ("AWS_CONFIG_FILE", empty.clone().into()),
            ("AWS_SHARED_CREDENTIALS_FILE", empty.into()),
        ]
    }

    /// `connect-guard` as another caller: the seeded session `who` (a manifest key holding
    /// moto's fake keys) instead of the management account's credentials.
    fn command_as(&self, dir: &Path, who: &str) -> assert_cmd::Command {
        let creds = &self.manifest[who];
        let value = |key: &str| {
            creds[key]
                .as_str()
                .unwrap_or_else(|| panic!("manifest {who}.{key} missing"))
                .to_owned()
        };
        let mut command = self.command(dir);
        command
            .env("AWS_ACCESS_KEY_ID", value("access_key_id"))
            .env("AWS_SECRET_ACCESS_KEY", value("secret_access_key"))
            .env("AWS_SESSION_TOKEN", value("session_token"));
        command
    }

    /// Runs `collect` with `args` and returns the exit code and the snapshot.
    fn collect(&self, args: &[&str]) -> (i32, Value, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("snapshot.json");
        let output = self
            .command(dir.path())
            .args(["collect", "--out"])
            .arg(&out)
            .args(args)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let code = output.status.code().unwrap_or(-1);
        let text = std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("no snapshot (exit {code}): {e}\n{stderr}"));
        (
            code,
            serde_json::from_str(&text).expect("snapshot is JSON"),
            stderr,
        )
    }
}

fn errors(snapshot: &Value) -> Vec<(String, String, String, String)> {
    snapshot["scan"]["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    let s = |k: &str| e[k].as_str().unwrap_or("").to_owned();
                    (s("account_id"), s("region"), s("operation"), s("code"))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn collect_snapshot_matches_the_seeded_organization() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let (code, snapshot, stderr) = emulator.collect(&["--regions", REGIONS]);
    assert_eq!(code, 3, "incomplete by design (faults); stderr:\n{stderr}");

    let m = &emulator.manifest;
    let org = &snapshot["organization"];
    assert_eq!(org["id"], m["organization_id"]);
    assert_eq!(org["management_account_id"], m["management_account_id"]);
    let policy_types: BTreeSet<&str> = org["roots"][0]["policy_types"]
        .as_array()
        .expect("policy types")
        .iter()
        .filter_map(|t| t["type"].as_str())
        .collect();
    assert!(
        policy_types.contains("SERVICE_CONTROL_POLICY")
            && policy_types.contains("RESOURCE_CONTROL_POLICY")
    );

    // Every account, in every state, with its ancestry.
    let accounts = org["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 8, "management + 7 members");
    let by_id = |id: &str| {
        accounts
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(by_id(&emulator.account("suspended"))["state"], "SUSPENDED");
    let prod = by_id(&emulator.account("cc-prod"));
    let ous = &m["ous"];
    assert_eq!(
        prod["ancestry"],
        serde_json::json!([
            m["root_id"],
            ous["Workloads"],
            ous["Contact Centers"],
            ous["Production"],
            emulator.account("cc-prod")
        ])
    );
    assert_eq!(prod["tags"]["environment"], "prod");
    assert_eq!(org["ous"].as_array().map(Vec::len), Some(6));

    // SCPs and the RCP at root, OU and account level, with their targets.
    let policies = org["policies"].as_array().expect("policies");
    for (name, seeded) in m["policies"].as_object().expect("seeded policies") {
        let policy = policies
            .iter()
            .find(|p| p["name"] == name.as_str())
            .unwrap_or_else(|| panic!("policy {name} missing"));
        assert_eq!(policy["type"], seeded["type"]);
        assert!(policy["document"]["Statement"].is_array(), "{name} parsed");
        let targets: Vec<&str> = policy["targets"]
            .as_array()
            .expect("targets")
            .iter()
            .filter_map(|t| t["id"].as_str())
            .collect();
        assert!(
            targets.contains(&seeded["target"].as_str().unwrap_or_default()),
            "{name}: {targets:?}"
        );
        assert_eq!(policy["tags"]["owner"], "security");
    }
    assert!(
        policies
            .iter()
            .any(|p| p["name"] == "FullAWSAccess" && p["aws_managed"] == true)
    );

    // Resources: read for every reachable account, absent for the faulty ones.
    let collected: BTreeSet<String> = snapshot["accounts"]
        .as_object()
        .expect("accounts")
        .keys()
        .cloned()
        .collect();
    let expected: BTreeSet<String> = [
        "cc-prod",
        "cc-prod-eu",
        "cc-nonprod",
        "cc-directory",
        "sandbox",
    ]
    .iter()
    .map(|n| emulator.account(n))
    .chain([emulator.management()])
    .collect();
    assert_eq!(collected, expected);

    // Every seeded instance, where it was seeded, as it was seeded.
    for seeded in m["instances"].as_array().expect("instances") {
        let account = seeded["account"].as_str().unwrap_or_default();
        if account == emulator.account("no-role") {
            continue;
        }
        let region = seeded["region"].as_str().unwrap_or_default();
        let instances = snapshot["accounts"][account]["connect"][region]["instances"]
            .as_array()
            .unwrap_or_else(|| panic!("no {region} for {account}"));
        let instance = instances
            .iter()
            .find(|i| i["id"] == seeded["id"])
            .unwrap_or_else(|| panic!("instance {} missing", seeded["alias"]));
        assert_eq!(instance["alias"], seeded["alias"]);
        assert_eq!(
            instance["identity_management_type"],
            seeded["identity_management_type"]
        );
        assert_eq!(instance["status"], "ACTIVE");
        assert!(instance["created_time"].is_string(), "CreatedTime parsed");
        let logs = if seeded["contactflow_logs"] == true {
            "true"
        } else {
            "false"
        };
        assert_eq!(instance["attributes"]["CONTACTFLOW_LOGS"], logs);
        assert_eq!(
            instance["attributes"].as_object().map(|a| a.len()),
            Some(12),
            "all pages of attributes"
        );
        for (key, value) in seeded["tags"].as_object().expect("tags") {
            assert_eq!(&instance["tags"][key], value);
        }
        assert_replication(instance, seeded);
    }

    // AWS-managed policies: attached where seeded, the document as the emulator serves it,
    // and fetched once for the whole scan although several accounts attach it.
    let mut sharing_accounts = BTreeSet::new();
    for seeded in m["roles"].as_array().expect("roles") {
        let account = seeded["account"].as_str().unwrap_or_default();
        for arn in seeded["managed"].as_array().into_iter().flatten() {
            let arn = arn.as_str().unwrap_or_default();
            let role = snapshot["accounts"][account]["iam"]["roles"]
                .as_array()
                .and_then(|r| r.iter().find(|r| r["arn"] == seeded["arn"]))
                .expect("role collected");
            assert!(
                role["attached"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == arn)),
                "{arn} attached: {role}"
            );
            assert_eq!(
                snapshot["accounts"][account]["iam"]["managed_policies"][arn],
                m["managed_policies"][arn],
                "{arn} document in {account}"
            );
            sharing_accounts.insert(account.to_owned());
        }
    }
    assert!(sharing_accounts.len() >= 2, "{sharing_accounts:?}");

    // IAM users with their own and their groups' policies, and the credential report's
    // password and key metadata; never a key id or secret.
    let seeded_users = m["users"].as_array().expect("users");
    assert!(!seeded_users.is_empty());
    for seeded in seeded_users {
        let account = seeded["account"].as_str().unwrap_or_default();
        let iam = &snapshot["accounts"][account]["iam"];
        let user = iam["users"]
            .as_array()
            .and_then(|u| u.iter().find(|u| u["arn"] == seeded["arn"]))
            .unwrap_or_else(|| panic!("user {} collected: {iam}", seeded["arn"]));
        assert_eq!(user["inline"][0]["name"], "connect-provisioning", "{user}");
        assert_eq!(
            user["groups"],
            serde_json::json!([seeded["group"]]),
            "{user}"
        );
        let group = iam["groups"]
            .as_array()
            .and_then(|g| g.iter().find(|g| g["name"] == seeded["group"]))
            .expect("group collected");
        assert_eq!(group["inline"][0]["name"], "describe", "{group}");
        assert_eq!(user["password_enabled"], true, "{user}");
        let keys = user["access_keys"].as_array().expect("access keys");
        assert_eq!(keys.len(), 1, "{user}");
        assert_eq!(keys[0]["status"], "Active", "{user}");
        let key_id = seeded["access_key_id"].as_str().unwrap_or_default();
        assert!(!key_id.is_empty() && !snapshot.to_string().contains(key_id));
    }
    // Cognito user pools: SAML settings and metadata of pools with a SAML provider; of an OIDC
    // provider only its name and type (its details hold the client secret); pools without
    // SAML listed but not described.
    let seeded_pools = m["user_pools"].as_array().expect("user pools");
    assert_eq!(seeded_pools.len(), 3);
    for seeded in seeded_pools {
        let account = seeded["account"].as_str().unwrap_or_default();
        let region = seeded["region"].as_str().unwrap_or_default();
        let pools = &snapshot["accounts"][account]["cognito"][region]["user_pools"];
        let pool = pools
            .as_array()
            .and_then(|p| p.iter().find(|p| p["id"] == seeded["id"]))
            .unwrap_or_else(|| panic!("user pool {} collected: {pools}", seeded["id"]));
        assert_eq!(pool["name"], seeded["name"]);
        assert_eq!(
            pool["arn"],
            format!(
                "arn:aws:cognito-idp:{region}:{account}:userpool/{}",
                seeded["id"].as_str().unwrap_or_default()
            )
        );
        let providers: Vec<&str> = pool["identity_providers"]
            .as_array()
            .expect("providers")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(serde_json::json!(providers), seeded["providers"], "{pool}");
        let Some(saml) = seeded["saml"].as_object() else {
            assert!(
                pool.get("deletion_protection").is_none(),
                "not described: {pool}"
            );
            continue;
        };
        assert_eq!(pool["deletion_protection"], seeded["deletion_protection"]);
        let okta = &pool["identity_providers"][0];
        assert_eq!(okta["provider_type"], "SAML");
        assert_eq!(okta["idp_initiated"], saml["IDPInit"] == "true", "{okta}");
        if saml.contains_key("MetadataFile") {
            assert_eq!(okta["metadata_source"], "file", "{okta}");
            assert_eq!(
                okta["metadata"]["signing_certs"].as_array().map(Vec::len),
                Some(1)
            );
        } else {
            assert_eq!(okta["metadata_url"], saml["MetadataURL"], "{okta}");
            assert!(
                okta.get("metadata_document").is_none(),
                "not fetched: {okta}"
            );
        }
        let partner = &pool["identity_providers"][1];
        assert_eq!(
            partner
                .as_object()
                .map(|o| o.keys().cloned().collect::<Vec<_>>()),
            Some(vec![
                "name".to_owned(),
                "provider_type".to_owned(),
                "last_modified_date".to_owned()
            ]),
            "{partner}"
        );
    }
    assert!(
        !snapshot
            .to_string()
            .contains("oidc-client-secret-never-stored")
    );

    let calls = &snapshot["scan"]["api_calls"];
    // cc-nonprod refuses its credential report: its user was read one call at a time (the
    // loop above checked it reads the same), and no other account needed that.
    assert_eq!(calls["iam:ListAccessKeys"], 1, "{calls}");
    assert_eq!(calls["iam:GetAccessKeyLastUsed"], 1, "{calls}");
    assert_eq!(calls["iam:GetLoginProfile"], 1, "{calls}");
    assert_eq!(calls["iam:GetPolicy"], 1, "once per scan: {calls}");
    assert_eq!(calls["iam:GetPolicyVersion"], 1, "once per scan: {calls}");

    // SAML providers with parsed certificates; moto's fake ValidUntil is not what rules use.
    for seeded in m["saml_providers"].as_array().expect("providers") {
        let account = seeded["account"].as_str().unwrap_or_default();
        let providers = snapshot["accounts"][account]["iam"]["saml_providers"]
            .as_array()
            .expect("providers");
        let provider = providers
            .iter()
            .find(|p| p["arn"] == seeded["arn"])
            .expect("provider collected");
        assert_eq!(provider["name"], seeded["name"]);
        assert!(
            provider["metadata"].get("parse_error").is_none(),
            "{provider}"
        );
        assert_eq!(
            provider["metadata"]["signing_certs"]
                .as_array()
                .map(Vec::len),
            Some(1)
        );
        assert_eq!(
            provider["metadata"]["signing_certs"][0]["sha256"]
                .as_str()
                .map(str::len),
            Some(64)
        );
    }
    let legacy = &snapshot["accounts"][emulator.account("cc-prod-eu")]["iam"]["saml_providers"][0];
    assert_eq!(
        legacy["metadata"]["signing_certs"][0]["not_after"],
        "2026-10-12T00:00:00Z"
    );

    // Roles with decoded trust and inline policies.
    for seeded in m["roles"].as_array().expect("roles") {
        let account = seeded["account"].as_str().unwrap_or_default();
        let roles = snapshot["accounts"][account]["iam"]["roles"]
            .as_array()
            .expect("roles");
        let role = roles
            .iter()
            .find(|r| r["arn"] == seeded["arn"])
            .expect("role collected");
        assert!(
            role["trust"]["Statement"].is_array(),
            "trust decoded: {role}"
        );
        assert!(
            role["inline"]
                .as_array()
                .is_some_and(|i| i.iter().all(|p| p["document"].is_object()))
        );
    }

    // The faults, recorded as data.
    let errors = errors(&snapshot);
    let no_role = emulator.account("no-role");
    let suspended = emulator.account("suspended");
    assert!(
        errors.contains(&(
            no_role.clone(),
            String::new(),
            "AssumeRole".into(),
            "AccessDenied".into()
        )),
        "{errors:?}"
    );
    assert!(
        errors.contains(&(
            suspended.clone(),
            String::new(),
            "AssumeRole".into(),
            "AccountSuspended".into()
        )),
        "{errors:?}"
    );
    for account in &expected {
        assert!(
            errors.contains(&(
                account.clone(),
                "ca-central-1".into(),
                "ListInstances".into(),
                "UnrecognizedClientException".into()
            )),
            "refused region recorded for {account}: {errors:?}"
        );
    }
    assert_eq!(
        errors.len(),
        2 + expected.len(),
        "nothing else failed: {errors:?}"
    );
    let skipped = snapshot["scan"]["skipped_regions"]
        .as_array()
        .expect("skipped regions");
    assert_eq!(skipped.len(), expected.len());
    assert!(skipped.iter().all(|s| s["region"] == "af-south-1"));
    assert_eq!(
        snapshot["scan"]["regions"],
        serde_json::json!([
            "af-south-1",
            "ca-central-1",
            "eu-west-2",
            "us-east-1",
            "us-west-2"
        ])
    );
    assert!(
        snapshot["scan"]["scanner_principal_arn"]
            .as_str()
            .is_some_and(|a| a.contains(&emulator.management()))
    );
}

/// A replicated instance (Global Resiliency) as seeded: the source carries the default traffic
/// distribution group with the seeded sign-in configuration, read through
/// `ListTrafficDistributionGroups` and `GetTrafficDistribution`; the replica (same id, other
/// region) carries the replication configuration and no group of its own.
fn assert_replication(instance: &Value, seeded: &Value) {
    let alias = &seeded["alias"];
    if let Some(source_region) = seeded["replica_of"].as_str() {
        assert_eq!(
            instance["replication"]["source_region"], source_region,
            "{alias}"
        );
        assert_eq!(
            instance["traffic_distribution_groups"],
            serde_json::json!([])
        );
        return;
    }
    let Some(replica_region) = seeded["replica_region"].as_str() else {
        assert!(instance["replication"].is_null(), "{alias}: {instance}");
        assert_eq!(
            instance["traffic_distribution_groups"],
            serde_json::json!([]),
            "{alias}: not replicated, no groups"
        );
        return;
    };
    assert_eq!(instance["replication"]["source_region"], seeded["region"]);
    let regions: BTreeSet<&str> = instance["replication"]["statuses"]
        .as_array()
        .expect("replication statuses")
        .iter()
        .filter_map(|s| s["region"].as_str())
        .collect();
    assert!(regions.contains(replica_region), "{regions:?}");
    let groups = instance["traffic_distribution_groups"]
        .as_array()
        .expect("groups");
    assert_eq!(groups.len(), 1, "{alias}: {groups:?}");
    let group = &groups[0];
    let expected = &seeded["traffic_distribution_group"];
    assert_eq!(group["id"], expected["id"]);
    assert_eq!(group["is_default"], true);
    assert_eq!(group["status"], "ACTIVE");
    let sign_in: Vec<Value> = expected["sign_in"]
        .as_array()
        .expect("seeded sign-in")
        .iter()
        .map(|d| serde_json::json!({"region": d["Region"], "enabled": d["Enabled"]}))
        .collect();
    assert_eq!(group["distribution"]["sign_in"], Value::Array(sign_in));
}

#[test]
fn scan_reports_the_expected_findings_and_an_incomplete_scan() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let kept = dir.path().join("kept.json");
    let output = emulator
        .command(dir.path())
        .args([
            "scan",
            "--format",
            "json",
            "--quiet",
            "--regions",
            REGIONS,
            "--snapshot-out",
        ])
        .arg(&kept)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(4),
        "findings and incomplete; stderr:\n{stderr}"
    );
    assert!(stderr.is_empty(), "--quiet: {stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["summary"]["incomplete"], true);
    let findings = report["findings"].as_array().expect("findings");
    let has = |rule: &str, needle: &str| {
        findings.iter().any(|f| {
            f["rule_id"] == rule
                && (f["resource"].as_str().is_some_and(|r| r.contains(needle))
                    || f["account_id"].as_str() == Some(needle)
                    || f["message"].as_str().is_some_and(|m| m.contains(needle)))
        })
    };
    let instance_id = |alias: &str| {
        emulator.manifest["instances"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["alias"] == alias))
            .and_then(|i| i["id"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let expectations = [
        ("account-not-assessed", emulator.account("no-role")),
        ("account-not-assessed", emulator.account("suspended")),
        ("account-not-assessed", "ca-central-1".to_owned()),
        (
            "connect-instance-in-management-account",
            instance_id("acme-hq"),
        ),
        (
            "idp-signing-cert-expired",
            "saml-provider/OktaLegacy".to_owned(),
        ),
        (
            "saml-trust-references-missing-provider",
            "role/DanglingFederation".to_owned(),
        ),
        (
            "production-instance-not-saml",
            instance_id("acme-prod-eu-agents"),
        ),
        (
            "instance-deletion-not-denied-by-scp",
            instance_id("acme-uat"),
        ),
        // The seeded provisioning user, read from the credential report.
        (
            "provisioning-user-console-password",
            "user/okta-provisioning".to_owned(),
        ),
    ];
    let summary: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f["rule_id"], f["resource"]))
        .collect();
    for (rule, needle) in expectations {
        assert!(
            has(rule, &needle),
            "expected {rule} for {needle}; findings:\n{}",
            summary.join("\n")
        );
    }
    // The well-protected production instance is not flagged for deletion.
    assert!(
        !has(
            "instance-deletion-not-denied-by-scp",
            &instance_id("acme-prod")
        ),
        "{}",
        summary.join("\n")
    );
    // Its permissions name the instance, and its one key is new.
    for rule in [
        "provisioning-permissions-not-instance-scoped",
        "provisioning-access-key-too-old",
        "provisioning-user-multiple-active-keys",
    ] {
        assert!(
            !has(rule, "user/okta-provisioning"),
            "{rule}: {}",
            summary.join("\n")
        );
    }
    // The agents' user pools: cc-prod's accepts IdP-initiated sign-in and has no deletion
    // protection; cc-prod-eu's does neither; the application pool without SAML is not judged.
    let pool = |name: &str| {
        emulator.manifest["user_pools"]
            .as_array()
            .and_then(|a| a.iter().find(|p| p["name"] == name))
            .and_then(|p| p["id"].as_str())
            .map(|id| format!("userpool/{id}"))
            .unwrap_or_default()
    };
    // cc-prod-eu's provider reads its metadata from a URL this scan did not fetch: its
    // certificates are reported as not assessed, not as passing.
    assert!(
        has("account-not-assessed", &pool("contact-center-agents-eu")),
        "{}",
        summary.join("\n")
    );
    assert!(!has(
        "cognito-idp-signing-cert-expired",
        &pool("contact-center-agents-eu")
    ));
    for rule in [
        "cognito-idp-initiated-sign-in",
        "cognito-user-pool-deletion-protection-off",
        "cognito-user-pool-not-denied-by-scp",
    ] {
        assert!(
            has(rule, &pool("contact-center-agents")),
            "{rule}: {}",
            summary.join("\n")
        );
        for quiet in ["contact-center-agents-eu", "customer-app"] {
            if rule != "cognito-user-pool-not-denied-by-scp" || quiet == "customer-app" {
                assert!(
                    !has(rule, &pool(quiet)),
                    "{rule} on {quiet}: {}",
                    summary.join("\n")
                );
            }
        }
    }
    let kept: Value =
        serde_json::from_str(&std::fs::read_to_string(&kept).expect("--snapshot-out written"))
            .expect("JSON");
    assert_eq!(
        kept["organization"]["id"],
        emulator.manifest["organization_id"]
    );
}

#[test]
fn metadata_urls_are_fetched_only_when_asked_and_then_assessed() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let account = emulator.account("cc-prod-eu");
    let output = emulator
        .command(dir.path())
        .args([
            "scan",
            "--format",
            "json",
            "--quiet",
            "--regions",
            "eu-west-2",
        ])
        .args(["--account", &account, "--fetch-saml-metadata-urls"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let findings = report["findings"].as_array().expect("findings");
    let on_pool = |rule: &str| {
        findings.iter().any(|f| {
            f["rule_id"] == rule
                && f["resource"]
                    .as_str()
                    .is_some_and(|r| r.contains(":userpool/"))
        })
    };
    // The document at the URL carries the expired legacy certificate.
    assert!(
        on_pool("cognito-idp-signing-cert-expired"),
        "{findings:?}\n{stderr}"
    );
    assert!(!on_pool("account-not-assessed"), "{findings:?}");
    assert_eq!(report["summary"]["incomplete"], false, "{stderr}");
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}

#[test]
fn a_scan_without_the_faulty_accounts_and_regions_is_complete() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let (code, snapshot, stderr) = emulator.collect(&[
        "--regions",
        "us-east-1,us-west-2,eu-west-2",
        "--exclude-account",
        &emulator.account("no-role"),
        "--exclude-account",
        &emulator.account("suspended"),
        "--concurrency",
        "3",
    ]);
    assert_eq!(
        code,
        0,
        "complete; errors {:?}\n{stderr}",
        errors(&snapshot)
    );
    assert_eq!(
        snapshot["organization"]["accounts"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );
    // Not a TTY: plain progress lines, one per account.
    assert_eq!(
        stderr.lines().filter(|l| l.contains(" done")).count(),
        6,
        "{stderr}"
    );
}

#[test]
fn ou_and_account_scopes_narrow_the_collection() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let production = emulator.manifest["ous"]["Production"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (code, snapshot, stderr) =
        emulator.collect(&["--regions", "us-east-1", "--ou", &production, "--quiet"]);
    assert_eq!(code, 0, "{stderr}");
    let ids: BTreeSet<&str> = snapshot["organization"]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    let prod = emulator.account("cc-prod");
    let prod_eu = emulator.account("cc-prod-eu");
    assert_eq!(ids, BTreeSet::from([prod.as_str(), prod_eu.as_str()]));
    assert_eq!(
        snapshot["organization"]["ous"].as_array().map(Vec::len),
        Some(6),
        "the tree stays whole"
    );

    let sandbox = emulator.account("sandbox");
    let (code, snapshot, _) =
        emulator.collect(&["--regions", "us-east-1", "--account", &sandbox, "--quiet"]);
    assert_eq!(code, 0);
    assert_eq!(
        snapshot["accounts"]
            .as_object()
            .map(|a| a.keys().cloned().collect::<Vec<_>>()),
        Some(vec![sandbox])
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let output = emulator
        .command(dir.path())
        .args(["collect", "--out", "-", "--quiet", "--ou", "ou-nope-nope"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--ou ou-nope-nope"));
}

/// The error lines of a failed run: exactly one `error:` line, and the `help:` line.
fn error_and_help(stderr: &str) -> (String, String) {
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {stderr}");
    let help = stderr
        .lines()
        .find(|l| l.starts_with("help: "))
        .unwrap_or_else(|| panic!("a help line: {stderr}"));
    (errors[0].to_owned(), help.to_owned())
}

#[test]
fn a_member_account_caller_gets_a_clear_error() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let creds = &emulator.manifest["member_credentials"];
    let dir = tempfile::tempdir().expect("tempdir");
    let output = emulator
        .command_as(dir.path(), "member_credentials")
        .args(["scan", "--quiet", "--regions", "us-east-1"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let account = creds["account"].as_str().unwrap_or_default();
    let (error, help) = error_and_help(&stderr);
    assert_eq!(
        error,
        format!(
            "error: account {account} is neither the organization's management account ({}) \
             nor a delegated administrator allowed to read it: organizations ListRoots failed \
             with AccessDeniedException",
            emulator.management()
        )
    );
    assert!(
        help.starts_with(
            "help: run connect-guard with credentials of the organization's management account \
             or of a delegated administrator"
        ),
        "{help}"
    );
    assert!(
        !stderr.contains(creds["secret_access_key"].as_str().unwrap_or("?")),
        "no secret in errors"
    );
    assert!(output.stdout.is_empty(), "no report");
}

#[test]
fn an_account_outside_any_organization_gets_a_clear_error() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("snapshot.json");
    let output = emulator
        .command_as(dir.path(), "outside_credentials")
        .args(["collect", "--quiet", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let (error, _) = error_and_help(&stderr);
    let account = emulator.manifest["outside_credentials"]["account"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        error,
        format!("error: account {account} is not a member of an AWS Organization")
    );
    assert!(!out.exists(), "no snapshot for a failed collection");
}

#[test]
fn a_delegated_administrator_collects_the_organization() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let admin = emulator.manifest["delegated_admin_credentials"]["account"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(admin, emulator.account("cc-nonprod"), "seeded as admin");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("snapshot.json");
    let output = emulator
        .command_as(dir.path(), "delegated_admin_credentials")
        .args(["collect", "--quiet", "--regions", "us-east-1,us-west-2"])
        .args(["--exclude-account", &emulator.account("no-role")])
        .args(["--exclude-account", &emulator.account("suspended")])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "complete: {stderr}");
    let snapshot: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("snapshot")).expect("JSON");

    // The management account's organization, not the admin's own (empty) view of it.
    let org = &snapshot["organization"];
    assert_eq!(org["id"], emulator.manifest["organization_id"]);
    assert_eq!(org["management_account_id"], emulator.management());
    assert_eq!(org["ous"].as_array().map(Vec::len), Some(6));
    assert!(
        org["policies"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "ProtectConnectInstances"))
    );
    let expected: BTreeSet<String> = [
        "cc-prod",
        "cc-prod-eu",
        "cc-nonprod",
        "cc-directory",
        "sandbox",
    ]
    .iter()
    .map(|n| emulator.account(n))
    .chain([emulator.management()])
    .collect();
    let collected: BTreeSet<String> = snapshot["accounts"]
        .as_object()
        .expect("accounts")
        .keys()
        .cloned()
        .collect();
    assert_eq!(collected, expected);
    assert!(
        snapshot["scan"]["scanner_principal_arn"]
            .as_str()
            .is_some_and(|a| a.contains(&admin)),
        "{}",
        snapshot["scan"]["scanner_principal_arn"]
    );
    // The admin's own account is read with its own credentials; every other one (the
    // management account included) through the member role.
    assert_eq!(
        snapshot["scan"]["api_calls"]["sts:AssumeRole"],
        expected.len() - 1
    );
    // Resources of another member, read through its role, are there.
    let prod = &snapshot["accounts"][emulator.account("cc-prod")];
    assert!(
        prod["connect"]["us-east-1"]["instances"]
            .as_array()
            .is_some_and(|i| i.iter().any(|i| i["alias"] == "acme-prod")),
        "{prod}"
    );
}

/// Test (c): every AWS operation the collector invoked is allowed by the published policy,
/// and the session-minting actions are denied by it.
#[test]
fn every_invoked_operation_is_allowed_by_the_scanner_policy() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let (_, snapshot, _) = emulator.collect(&["--regions", REGIONS, "--quiet"]);
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/scanner-iam-policy.json"
    ))
    .expect("policy");
    let document =
        PolicyDocument::parse(&serde_json::from_str(&text).expect("JSON")).expect("valid policy");
    let policies = [NamedDocument {
        name: "scanner-iam-policy",
        document: &document,
    }];
    let context = RequestContext::new();
    let calls = snapshot["scan"]["api_calls"]
        .as_object()
        .expect("api_calls recorded");
    assert!(calls.len() >= 15, "{calls:?}");
    for action in calls.keys() {
        let resource = if action == "sts:AssumeRole" {
            format!(
                "arn:aws:iam::{}:role/OrganizationAccountAccessRole",
                emulator.account("cc-prod")
            )
        } else {
            "*".to_owned()
        };
        let decision = evaluate_identity(&policies, action, &resource, &context);
        assert!(
            decision.allowed.is_true(),
            "{action} is invoked but not allowed by docs/scanner-iam-policy.json"
        );
    }
    for action in [
        "connect:GetFederationToken",
        "connect:AdminGetEmergencyAccessToken",
        "connect:GetFederationTokens",
    ] {
        let decision = evaluate_identity(&policies, action, "*", &context);
        assert!(
            decision.explicitly_denied.is_true(),
            "{action} must be explicitly denied"
        );
        assert!(
            !calls.contains_key(action),
            "{action} must never be invoked"
        );
    }
    // The policy is exact: the seeded organization exercises every action it allows.
    let allowed: BTreeSet<String> =
        serde_json::from_str::<Value>(&text).expect("JSON")["Statement"]
            .as_array()
            .expect("statements")
            .iter()
            .filter(|s| s["Effect"] == "Allow")
            .flat_map(|s| match &s["Action"] {
                Value::String(a) => vec![a.clone()],
                Value::Array(a) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => vec![],
            })
            .collect();
    let unused: BTreeSet<&str> = allowed
        .iter()
        .map(String::as_str)
        .filter(|a| !calls.contains_key(*a))
        .collect();
    assert!(unused.is_empty(), "allowed but never invoked: {unused:?}");
}

/// Test (d): nothing credential-like reaches the snapshot.
#[test]
fn the_snapshot_contains_no_credentials() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("snapshot.json");
    emulator
        .command(dir.path())
        .args(["collect", "--quiet", "--regions", REGIONS, "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    let text = std::fs::read_to_string(&out).expect("snapshot");
    for marker in [
        "SecretAccessKey",
        "SessionToken",
        "secret_access_key",
        "session_token",
        "aws_secret",
        "X-Amz-Security-Token",
    ] {
        assert!(
            !text
                .to_ascii_lowercase()
                .contains(&marker.to_ascii_lowercase()),
            "{marker} in snapshot"
        );
    }
    let bytes = text.as_bytes();
    for (i, window) in bytes.windows(20).enumerate() {
        let key_like = (window.starts_with(b"AKIA") || window.starts_with(b"ASIA"))
            && window[4..]
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        assert!(
            !key_like,
            "access key id in snapshot: {}",
            String::from_utf8_lossy(window)
        );
    }
    // The member session the seed created, and moto's fake keys, are nowhere.
    let creds = &emulator.manifest["member_credentials"];
    for key in ["access_key_id", "secret_access_key", "session_token"] {
        let value = creds[key].as_str().unwrap_or("x");
        assert!(!text.contains(value), "{key} in snapshot");
    }
    assert!(!text.contains("\"testing\""));
}

#[test]
fn an_unreachable_endpoint_fails_in_seconds() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    // A port that was free a moment ago: connection refused, retried, then a clear error.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    let output = emulator
        .command(dir.path())
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .args(["collect", "--out", "-", "--quiet"])
        .output()
        .expect("runs");
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot identify the caller"), "{stderr}");
    assert!(elapsed < Duration::from_secs(45), "took {elapsed:?}");
}

#[test]
fn collecting_two_shards_and_merging_equals_one_full_collection() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let collect_to = |name: &str, args: &[&str]| {
        let path = dir.path().join(name);
        let output = emulator
            .command(dir.path())
            .args(["collect", "--quiet", "--regions", REGIONS, "--out"])
            .arg(&path)
            .args(args)
            .output()
            .expect("runs");
        assert!(
            matches!(output.status.code(), Some(0 | 3)),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        path
    };
    // Two shards that partition the accounts: some named, and all the others.
    let named = [emulator.account("cc-prod"), emulator.account("sandbox")];
    let mut first_args = Vec::new();
    let mut second_args = Vec::new();
    for id in &named {
        first_args.extend(["--account", id.as_str()]);
        second_args.extend(["--exclude-account", id.as_str()]);
    }
    let first = collect_to("shard1.json", &first_args);
    let second = collect_to("shard2.json", &second_args);
    let full = collect_to("full.json", &[]);
    let merged = dir.path().join("merged.json");
    let output = emulator
        .command(dir.path())
        .args(["merge"])
        .arg(&first)
        .arg(&second)
        .arg("--out")
        .arg(&merged)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let findings = |snapshot: &Path| -> Value {
        let output = emulator
            .command(dir.path())
            .args(["scan", "--format", "json", "--snapshot"])
            .arg(snapshot)
            .output()
            .expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        report["findings"].clone()
    };
    let whole = findings(&full);
    assert!(whole.as_array().is_some_and(|f| !f.is_empty()));
    assert_eq!(
        findings(&merged),
        whole,
        "merged shards give the same findings as one collection"
    );
}

/// The GitHub Action's live path: `scripts/action-scan.sh` with the `role` and `regions`
/// inputs collects through the named member role and scans the result. The emulator refuses
/// AssumeRole into the account seeded without a scanner role and names the role it was asked
/// for, so the recorded error shows which role the collector assumed.
#[test]
fn action_script_collects_live_with_the_role_input() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let runner_temp = dir.path().join("runner-temp");
    std::fs::create_dir_all(&runner_temp).expect("mkdir");
    let json = dir.path().join("report.json");
    let output = common::action_scan()
        .env("RUNNER_TEMP", &runner_temp)
        .envs(emulator.aws_env(dir.path()))
        .env("INPUT_ROLE", "ConnectGuardScanner")
        .env("INPUT_REGIONS", "us-east-1,eu-west-2")
        .env("INPUT_FETCH_SAML_METADATA_URLS", "true")
        .env("INPUT_FAIL_ON", "none")
        .env("INPUT_JSON_REPORT", &json)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Collected and scanned: incomplete (the seeded faults), never an input error (2).
    assert_eq!(output.status.code(), Some(3), "{stdout}\n{stderr}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("report")).expect("JSON");
    let no_role = emulator.account("no-role");
    let refused = report["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["account_id"] == no_role.as_str() && e["operation"] == "AssumeRole")
        .unwrap_or_else(|| panic!("no AssumeRole error for {no_role}: {report}"));
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains(&format!("{no_role}:role/ConnectGuardScanner"))),
        "{refused}"
    );
    assert!(report["snapshot"]["accounts"].as_u64().unwrap_or(0) > 3);
    // fetch-saml-metadata-urls reached the collector: the URL-configured provider was read.
    assert!(
        report["findings"].as_array().is_some_and(|f| f
            .iter()
            .any(|f| f["rule_id"] == "cognito-idp-signing-cert-expired")),
        "{report}"
    );
}

/// A fault-injecting proxy (`tests/emulator/fault_proxy.py`) in front of the emulator: 500s,
/// throttling in each protocol's shape, resets, delays and cut bodies (with and without a
/// matching `Content-Length`) at 5 %, 20 % and 50 % of requests. Whatever the collector
/// writes must be either what a clean collection reads, or covered by a recorded error:
/// never data missing without a trace.
#[test]
fn injected_faults_never_lose_data_silently() {
    let Some(emulator) = Emulator::get() else {
        return;
    };
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let python = if python.exists() {
        python
    } else {
        Path::new("python3").to_path_buf()
    };
    let (code, clean, stderr) = emulator.collect(&["--regions", REGIONS]);
    assert_eq!(code, 3, "{stderr}");
    for (rate, seed) in [("0.05", 5), ("0.2", 20), ("0.5", 50)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let port_file = dir.path().join("port");
        let proxy = std::process::Command::new(&python)
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emulator/fault_proxy.py"))
            .args(["--target", &emulator.url, "--rate", rate, "--seed"])
            .arg(seed.to_string())
            .arg("--port-file")
            .arg(&port_file)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the proxy starts");
        let started = Instant::now();
        let port = loop {
            if let Ok(port) = std::fs::read_to_string(&port_file)
                && !port.is_empty()
            {
                break port;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "proxy did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let proxied = Emulator {
            url: format!("http://127.0.0.1:{port}"),
            manifest: emulator.manifest.clone(),
        };
        let out = dir.path().join("snapshot.json");
        let output = proxied
            .command(dir.path())
            .args(["collect", "--regions", REGIONS, "--out"])
            .arg(&out)
            .output()
            .expect("runs");
        let _ = std::process::Command::new("kill")
            .arg(proxy.id().to_string())
            .status();
        let report = proxy.wait_with_output().expect("proxy stops");
        let counts = String::from_utf8_lossy(&report.stdout).into_owned();
        eprintln!("fault rate {rate}: {counts}");
        let code = output.status.code().unwrap_or(-1);
        let stderr = String::from_utf8_lossy(&output.stderr);
        if code == 2 {
            // The organization itself could not be read: a clear error and no snapshot.
            assert!(!out.exists(), "{rate}: no snapshot on failure");
            assert!(stderr.lines().any(|l| l.starts_with("error: ")), "{stderr}");
            continue;
        }
        assert!(matches!(code, 0 | 3), "{rate}: exit {code}: {stderr}");
        let faulted: Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("snapshot")).expect("JSON");
        assert_complete_or_explained(&clean, &faulted, rate);
    }
}

/// IAM data without `last_used`, which the emulator moves forward at every AssumeRole.
fn stable_iam(iam: &Value) -> Value {
    let mut iam = iam.clone();
    for role in iam["roles"].as_array_mut().into_iter().flatten() {
        if let Some(fields) = role.as_object_mut() {
            fields.remove("last_used");
        }
    }
    iam
}

/// Every account's IAM data and every Connect region of `faulted` equals `clean`, unless an
/// error recorded in `faulted` covers it.
fn assert_complete_or_explained(clean: &Value, faulted: &Value, rate: &str) {
    let errors = faulted["scan"]["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let covered = |account: &str, service: &str, region: Option<&str>| {
        errors.iter().any(|e| {
            e["account_id"] == account
                && (e["service"] == "sts"
                    || (e["service"] == service
                        && (e["region"].is_null() || region.is_none_or(|r| e["region"] == r))))
        })
    };
    // The organization's tree is read whole or not at all (exit 2). A policy whose document
    // or targets could not be read is left out or detached only with an error naming it.
    let mut tree = faulted["organization"].clone();
    let mut clean_tree = clean["organization"].clone();
    // Each account's tags are read on their own (`ListTagsForResource`, with the account):
    // tags that could not be read are left empty, with an error naming the account.
    for account in tree["accounts"].as_array_mut().into_iter().flatten() {
        let id = account["id"].as_str().unwrap_or_default().to_owned();
        let clean_tags = clean_tree["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["id"] == id.as_str())
            .map(|a| a["tags"].clone())
            .unwrap_or_default();
        let unread = errors.iter().any(|e| {
            e["account_id"] == id.as_str()
                && e["service"] == "organizations"
                && e["operation"] == "ListTagsForResource"
        });
        if account["tags"] != clean_tags && unread {
            assert_eq!(
                account["tags"],
                serde_json::json!({}),
                "{rate}: tags of {id} that could not be read are left empty, not partly read"
            );
            eprintln!("{rate}: the tags of {id} could not be read, explained by an error");
            account["tags"] = clean_tags;
        }
    }
    let faulted_policies = tree["policies"].take();
    let clean_policies = clean_tree["policies"].take();
    assert_eq!(
        tree, clean_tree,
        "{rate}: the organization is read whole or not at all"
    );
    for policy in clean_policies.as_array().into_iter().flatten() {
        let id = policy["id"].as_str().unwrap_or_default();
        let same = faulted_policies
            .as_array()
            .is_some_and(|list| list.iter().any(|p| p == policy));
        let named = errors.iter().any(|e| {
            e["service"] == "organizations" && e["message"].as_str().is_some_and(|m| m.contains(id))
        });
        assert!(
            same || named,
            "{rate}: policy {id} differs without an error naming it"
        );
    }
    let mut compared = 0;
    let mut explained = 0;
    for (account, resources) in clean["accounts"].as_object().into_iter().flatten() {
        let got = &faulted["accounts"][account];
        if stable_iam(&got["iam"]) == stable_iam(&resources["iam"]) {
            compared += 1;
        } else {
            assert!(
                covered(account, "iam", None),
                "{rate}: account {account}: IAM data differs with no recorded error"
            );
            explained += 1;
        }
        for (region, data) in resources["connect"].as_object().into_iter().flatten() {
            if got["connect"][region] == *data {
                compared += 1;
            } else {
                assert!(
                    covered(account, "connect", Some(region)),
                    "{rate}: account {account} {region}: Connect data differs with no recorded error"
                );
                explained += 1;
            }
        }
    }
    eprintln!("fault rate {rate}: {compared} parts identical, {explained} explained by errors");
    assert!(compared + explained > 0);
}
