//! A deterministic synthetic organization of any size, for benchmarks and load tests.
//!
//! [`organization`] builds an AWS Organization shaped like a large contact-center estate:
//! `Root → Prod → Prod-US / Prod-EU / Prod-AP → team OUs`, `NonProd → team OUs` and a flat
//! `Sandbox`, about one OU per 20 accounts; SCPs at root, OU and account level; per account
//! one to three SAML providers, three to six roles and one Amazon Connect instance (a few
//! replicated across two regions). Most resources pass every rule and a realistic share
//! breaks one (unscoped grants, missing `SAML:aud`, dangling providers, expiring
//! certificates, non-SAML production instances, OUs without the deletion SCP, …), so every
//! rule has work and findings.
//!
//! The same `(accounts, seed)` always gives the same snapshot, byte for byte: the random
//! choices come from a self-contained SplitMix64 generator (no crate whose algorithm could
//! change under us), every map is ordered, and the snapshot time is fixed at
//! 2026-11-01T06:00Z like the demo's.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::demo::build::{
    InstanceSpec, account, at, deletion_guard, document, emergency_access_guard, full_aws_access,
    grant_per_user, identity_perimeter, instance, metadata_xml, policy, rcp_full_aws_access,
    replication, role, role_guardrail, saml_provider_parsed, saml_trust, scp,
};
use crate::snapshot::{
    AccountResources, CollectionError, ConnectRegion, Iam, OrgPolicy, Organization,
    OrganizationalUnit, PolicyTypeStatus, Role, Root, SCHEMA_VERSION, SamlMetadata, SamlProvider,
    ScanMetadata, Snapshot,
};

use crate::demo::certs::{
    ENTRA_PROD, IDENTITY_CENTER, OKTA_LEGACY, OKTA_NONPROD, OKTA_PROD, WEAK_1024,
};

const ORG_ID: &str = "o-cg0synth001";
/// The demo helpers write ARNs for the demo organization; synthetic ARNs are rewritten.
const DEMO_ORG_ID: &str = "o-cg0demo0001";
const MANAGEMENT: &str = "100000000001";
const ROOT: &str = "r-syn1";
const OU_PROD: &str = "ou-syn1-prod0000";
const OU_NONPROD: &str = "ou-syn1-nonprod0";
const OU_SANDBOX: &str = "ou-syn1-sandbox0";
/// Region groups under Prod: `(OU id, name, primary region, replica region)`.
const PROD_GROUPS: [(&str, &str, &str, &str); 3] = [
    ("ou-syn1-produs00", "Prod-US", "us-east-1", "us-west-2"),
    ("ou-syn1-prodeu00", "Prod-EU", "eu-central-1", "eu-west-2"),
    (
        "ou-syn1-prodap00",
        "Prod-AP",
        "ap-southeast-2",
        "ap-northeast-1",
    ),
];
const REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "eu-west-2",
    "ap-southeast-2",
    "ap-northeast-1",
];
const TEAMS: [&str; 12] = [
    "payments",
    "claims",
    "support",
    "sales",
    "billing",
    "retention",
    "onboarding",
    "fraud",
    "care",
    "dispatch",
    "outreach",
    "helpdesk",
];
const AUDIENCE: &str = "https://signin.aws.amazon.com/saml";
const BREAK_GLASS: &str = "arn:aws:iam::*:role/BreakGlass*";

/// A SplitMix64 generator (Steele, Lea & Flood, 2014): ten lines, full period, and fast
/// enough that generation never shows up in a profile.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant for picking shapes).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `len` lower-case hex digits.
    fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from_digit((self.next() % 16) as u32, 16).unwrap_or('0'))
            .collect()
    }

    /// A random UUID-shaped instance id.
    fn uuid(&mut self) -> String {
        format!(
            "{}-{}-4{}-8{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(3),
            self.hex(3),
            self.hex(12)
        )
    }

    /// A day between `from` and `from + days`.
    fn date(&mut self, from: DateTime<Utc>, days: usize) -> DateTime<Utc> {
        from + Duration::days(self.below(days) as i64)
    }
}

/// An identity provider every account may upload: its metadata is parsed once here and the
/// parsed form cloned into each provider, because X.509 parsing would otherwise dominate
/// generation time.
struct Idp {
    name: &'static str,
    document: String,
    metadata: SamlMetadata,
}

impl Idp {
    fn new(name: &'static str, entity_id: &str, sso_url: &str, pem: &str) -> Self {
        let document = metadata_xml(entity_id, sso_url, &[pem]);
        let metadata = crate::saml::parse_metadata(&document);
        Self {
            name,
            document,
            metadata,
        }
    }
}

/// The catalogue of identity providers, indexed by the `IDP_*` constants.
fn idps() -> Vec<Idp> {
    vec![
        Idp::new(
            "Okta",
            "http://www.okta.com/exk1acmeprod0001",
            "https://acme.okta.com/app/amazon_aws_connect/exk1acmeprod0001/sso/saml",
            OKTA_PROD,
        ),
        Idp::new(
            "IdentityCenter",
            "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMz",
            "https://portal.sso.us-east-1.amazonaws.com/saml/assertion/MTExMTIyMjIzMzMz",
            IDENTITY_CENTER,
        ),
        // Expires 18 days after the snapshot: every account using it gets a warning.
        Idp::new(
            "EntraID",
            "https://sts.windows.net/5b1f8e2a-93c4-4d6e-b7a1-2f0c9d8e7a61/",
            "https://login.microsoftonline.com/5b1f8e2a-93c4-4d6e-b7a1-2f0c9d8e7a61/saml2",
            ENTRA_PROD,
        ),
        Idp::new(
            "OktaNonProd",
            "http://www.okta.com/exk1acmetest0001",
            "https://acme-test.okta.com/app/amazon_aws_connect/exk1acmetest0001/sso/saml",
            OKTA_NONPROD,
        ),
        // Expired three weeks before the snapshot.
        Idp::new(
            "OktaLegacy",
            "http://www.okta.com/exk0legacy00001",
            "https://acme-legacy.okta.com/app/amazon_aws/exk0legacy00001/sso/saml",
            OKTA_LEGACY,
        ),
        Idp::new(
            "LegacyADFS",
            "http://legacy-adfs.example.com/adfs/services/trust",
            "https://legacy-adfs.example.com/adfs/ls/",
            WEAK_1024,
        ),
    ]
}

const IDP_OKTA: usize = 0;
const IDP_IDENTITY_CENTER: usize = 1;
const IDP_ENTRA: usize = 2;
const IDP_OKTA_NONPROD: usize = 3;
const IDP_OKTA_LEGACY: usize = 4;
const IDP_ADFS: usize = 5;

/// Where an account sits, which decides how well it is looked after.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Prod,
    NonProd,
    Sandbox,
}

/// A team OU: its id, name, parent and the regions its instances live in.
struct Team {
    id: String,
    name: String,
    parent: &'static str,
    kind: Kind,
    primary_region: &'static str,
    replica_region: &'static str,
}

/// A synthetic organization with `accounts` member accounts (plus the management account),
/// the same for the same `(accounts, seed)`.
pub fn organization(accounts: usize, seed: u64) -> Snapshot {
    let mut rng = Rng(seed);
    let idps = idps();
    let teams = teams(accounts, &mut rng);
    let started_at = at(2026, 11, 1) + Duration::hours(6);

    let mut org_accounts = vec![with_org_arn(account(
        MANAGEMENT,
        "management",
        "ACTIVE",
        &[ROOT],
        &[],
    ))];
    let mut resources = BTreeMap::new();
    resources.insert(MANAGEMENT.to_owned(), management_resources());
    let mut errors = Vec::new();
    // Account-level attachments of the deletion SCP (teams that protect a single account).
    let mut account_deletion_targets = Vec::new();

    for index in 0..accounts {
        let id = format!("{:012}", 200_000_000_000_u64 + index as u64);
        // One account in eight is a developer sandbox; the rest belong to a team.
        let team = (!rng.chance(12)).then(|| &teams[rng.below(teams.len())]);
        let (kind, team_name) =
            team.map_or((Kind::Sandbox, "sandbox"), |t| (t.kind, t.name.as_str()));
        let name = format!("{team_name}-{index:05}");
        let ancestry: Vec<&str> = match team {
            Some(t) if t.kind == Kind::Prod => vec![ROOT, OU_PROD, t.parent, &t.id],
            Some(t) => vec![ROOT, t.parent, &t.id],
            None => vec![ROOT, OU_SANDBOX],
        };
        let suspended = rng.chance(1);
        let environment = match kind {
            Kind::Prod => "prod",
            Kind::NonProd => *rng.pick(&["test", "uat", "dev"]),
            Kind::Sandbox => "dev",
        };
        let mut entry = with_org_arn(account(
            &id,
            &name,
            if suspended { "SUSPENDED" } else { "ACTIVE" },
            &ancestry,
            &[("environment", environment), ("cost-center", team_name)],
        ));
        if suspended {
            entry.tags.clear();
            errors.push(collection_error(
                &id,
                None,
                "sts",
                "AssumeRole",
                "AccountSuspended",
                "account is SUSPENDED; its role cannot be assumed",
            ));
            org_accounts.push(entry);
            continue;
        }
        org_accounts.push(entry);
        if kind == Kind::NonProd && rng.chance(5) {
            account_deletion_targets.push(id.clone());
        }
        let (primary, replica) = match team {
            Some(t) if t.kind == Kind::Prod => (t.primary_region, t.replica_region),
            _ => {
                let primary = *rng.pick(&REGIONS);
                (
                    primary,
                    if primary == "us-east-1" {
                        "us-west-2"
                    } else {
                        "us-east-1"
                    },
                )
            }
        };
        if rng.chance(1) {
            errors.push(collection_error(
                &id,
                Some(replica),
                "connect",
                "ListInstances",
                "ThrottlingException",
                "rate exceeded after 5 attempts",
            ));
        }
        let generator = AccountGenerator {
            id: &id,
            alias: &name,
            kind,
            environment,
            primary,
            replica,
            idps: &idps,
        };
        resources.insert(id.clone(), generator.resources(&mut rng));
    }

    let policies = policies(&teams, &org_accounts, &account_deletion_targets, &mut rng);
    let mut ous = vec![
        ou(OU_PROD, "Prod", ROOT),
        ou(OU_NONPROD, "NonProd", ROOT),
        ou(OU_SANDBOX, "Sandbox", ROOT),
    ];
    ous.extend(
        PROD_GROUPS
            .iter()
            .map(|(id, name, _, _)| ou(id, name, OU_PROD)),
    );
    ous.extend(teams.iter().map(|t| ou(&t.id, &t.name, t.parent)));

    Snapshot {
        schema_version: SCHEMA_VERSION,
        scan: ScanMetadata {
            started_at,
            // A collector manages about ten accounts a second.
            finished_at: Some(started_at + Duration::seconds(accounts as i64 / 10 + 1)),
            scanner_principal_arn: Some(format!(
                "arn:aws:sts::{MANAGEMENT}:assumed-role/ConnectGuardScanner/connect-guard"
            )),
            tool_version: Some("synthetic".to_owned()),
            regions: REGIONS.map(str::to_owned).to_vec(),
            errors,
            skipped_regions: Vec::new(),
            api_calls: Default::default(),
        },
        organization: Organization {
            id: ORG_ID.to_owned(),
            arn: Some(format!(
                "arn:aws:organizations::{MANAGEMENT}:organization/{ORG_ID}"
            )),
            feature_set: "ALL".to_owned(),
            management_account_id: MANAGEMENT.to_owned(),
            roots: vec![Root {
                id: ROOT.to_owned(),
                arn: Some(format!(
                    "arn:aws:organizations::{MANAGEMENT}:root/{ORG_ID}/{ROOT}"
                )),
                name: "Root".to_owned(),
                policy_types: ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]
                    .map(|kind| PolicyTypeStatus {
                        policy_type: kind.to_owned(),
                        status: "ENABLED".to_owned(),
                    })
                    .to_vec(),
            }],
            ous,
            accounts: org_accounts,
            policies,
        },
        accounts: resources,
    }
}

/// Team OUs: about one OU per 20 accounts overall, spread over the three Prod region groups
/// and NonProd.
fn teams(accounts: usize, rng: &mut Rng) -> Vec<Team> {
    let fixed = 3 + PROD_GROUPS.len();
    let count = (accounts / 20).saturating_sub(fixed).max(4);
    (0..count)
        .map(|index| {
            let team = TEAMS[index % TEAMS.len()];
            let slot = index % 4;
            let (parent, prefix, kind, primary, replica) = match PROD_GROUPS.get(slot) {
                Some((id, name, primary, replica)) => (*id, *name, Kind::Prod, *primary, *replica),
                None => {
                    let primary = *rng.pick(&REGIONS);
                    (OU_NONPROD, "NonProd", Kind::NonProd, primary, primary)
                }
            };
            Team {
                id: format!("ou-syn1-{}", rng.hex(8)),
                name: format!("{prefix}-{team}-{index:03}"),
                parent,
                kind,
                primary_region: primary,
                replica_region: replica,
            }
        })
        .collect()
}

fn ou(id: &str, name: &str, parent: &str) -> OrganizationalUnit {
    OrganizationalUnit {
        id: id.to_owned(),
        arn: Some(format!(
            "arn:aws:organizations::{MANAGEMENT}:ou/{ORG_ID}/{id}"
        )),
        name: name.to_owned(),
        parent_id: parent.to_owned(),
    }
}

fn with_org_arn(mut account: crate::snapshot::Account) -> crate::snapshot::Account {
    account.arn = account.arn.map(|arn| arn.replace(DEMO_ORG_ID, ORG_ID));
    account
}

fn collection_error(
    account_id: &str,
    region: Option<&str>,
    service: &str,
    operation: &str,
    code: &str,
    message: &str,
) -> CollectionError {
    CollectionError {
        account_id: Some(account_id.to_owned()),
        region: region.map(str::to_owned),
        service: service.to_owned(),
        operation: operation.to_owned(),
        code: code.to_owned(),
        message: message.to_owned(),
    }
}

/// The head-office instance nobody moved out of the management account.
fn management_resources() -> AccountResources {
    let hq = instance(&InstanceSpec {
        account_id: MANAGEMENT,
        region: "us-east-1",
        id: "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a",
        alias: "acme-hq",
        identity: "CONNECT_MANAGED",
        created: at(2020, 1, 15),
        tags: &[("environment", "prod")],
    });
    AccountResources {
        iam: Iam::default(),
        connect: BTreeMap::from([(
            "us-east-1".to_owned(),
            ConnectRegion {
                instances: vec![hq],
            },
        )]),
        cognito: BTreeMap::new(),
    }
}

/// Builds the resources of one member account.
struct AccountGenerator<'a> {
    id: &'a str,
    alias: &'a str,
    kind: Kind,
    environment: &'a str,
    primary: &'a str,
    replica: &'a str,
    idps: &'a [Idp],
}

impl AccountGenerator<'_> {
    fn resources(&self, rng: &mut Rng) -> AccountResources {
        let identity = match (self.kind, rng.below(100)) {
            (Kind::Prod, 0..85) | (Kind::NonProd, 0..60) | (Kind::Sandbox, 0..45) => "SAML",
            (Kind::Prod, 85..95) | (Kind::NonProd, 60..90) | (Kind::Sandbox, 45..90) => {
                "CONNECT_MANAGED"
            }
            _ => "EXISTING_DIRECTORY",
        };
        let saml = identity == "SAML";
        // Global Resiliency needs SAML; a few production SAML instances are replicated.
        let replicated = saml && self.kind == Kind::Prod && rng.chance(6);
        let gr_planned = self.kind == Kind::Prod && (replicated || rng.chance(15));

        let providers = self.providers(rng);
        let instance_id = rng.uuid();
        let mut regions = vec![self.primary];
        if replicated {
            regions.push(self.replica);
        }

        let mut roles = Vec::new();
        let mut managed_policies = BTreeMap::new();
        if saml {
            let (federation, managed) =
                self.federation_role(rng, &providers, &instance_id, &regions);
            roles.push(federation);
            if let Some((arn, document)) = managed {
                managed_policies.insert(arn, document.into());
            }
        }
        let break_glass_share = if self.kind == Kind::Prod { 90 } else { 25 };
        if rng.chance(break_glass_share) {
            roles.push(self.break_glass_role(rng));
        }
        roles.push(self.organization_access_role(rng));
        managed_policies.insert(
            "arn:aws:iam::aws:policy/AdministratorAccess".to_owned(),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}).into(),
        );
        let target = 3 + rng.below(4);
        let mut extra = 0;
        while roles.len() < target {
            roles.push(self.unrelated_role(rng, extra));
            extra += 1;
        }

        let mut tags = vec![("environment", self.environment)];
        if self.kind == Kind::Prod && rng.chance(10) {
            // Untagged production instance: still production through its OU.
            tags.clear();
        }
        if gr_planned {
            tags.push(("gr:planned", "true"));
        }
        let created = rng.date(at(2019, 1, 1), 2500);
        let mut connect = BTreeMap::new();
        let mut replication_config = None;
        if replicated {
            replication_config = Some(replication(
                self.primary,
                &instance_id,
                self.replica,
                "INSTANCE_REPLICATION_COMPLETE",
            ));
        }
        for (position, region) in regions.iter().enumerate() {
            let mut item = instance(&InstanceSpec {
                account_id: self.id,
                region,
                id: &instance_id,
                alias: self.alias,
                identity,
                created: created + Duration::days(position as i64 * 90),
                tags: &tags,
            });
            item.replication = replication_config.clone();
            connect.insert(
                (*region).to_owned(),
                ConnectRegion {
                    instances: vec![item],
                },
            );
        }
        AccountResources {
            iam: crate::snapshot::Iam {
                saml_providers: providers,
                roles,
                managed_policies,
                users: Vec::new(),
                groups: Vec::new(),
            },
            connect,
            cognito: BTreeMap::new(),
        }
    }

    /// One to three SAML providers: production accounts usually have an independent backup
    /// IdP, sometimes only a copy of the primary under a second name, sometimes a forgotten
    /// expired one.
    fn providers(&self, rng: &mut Rng) -> Vec<SamlProvider> {
        let mut chosen: Vec<(usize, String)> = Vec::new();
        let primary = match self.kind {
            Kind::Prod => {
                *rng.pick(&[IDP_OKTA, IDP_OKTA, IDP_OKTA, IDP_IDENTITY_CENTER, IDP_ENTRA])
            }
            Kind::NonProd => *rng.pick(&[IDP_OKTA_NONPROD, IDP_OKTA_NONPROD, IDP_IDENTITY_CENTER]),
            Kind::Sandbox => *rng.pick(&[IDP_OKTA, IDP_OKTA_NONPROD]),
        };
        chosen.push((primary, self.idps[primary].name.to_owned()));
        let backup_share = match self.kind {
            Kind::Prod => 60,
            Kind::NonProd => 15,
            Kind::Sandbox => 5,
        };
        if rng.chance(backup_share) {
            if rng.chance(85) {
                let other = if primary == IDP_IDENTITY_CENTER {
                    IDP_OKTA
                } else {
                    IDP_IDENTITY_CENTER
                };
                chosen.push((other, self.idps[other].name.to_owned()));
            } else {
                // The same metadata uploaded twice is no backup.
                chosen.push((primary, format!("{}Secondary", self.idps[primary].name)));
            }
        }
        if rng.chance(8) {
            let stale = if self.kind == Kind::Prod {
                IDP_OKTA_LEGACY
            } else {
                *rng.pick(&[IDP_OKTA_LEGACY, IDP_ADFS])
            };
            chosen.push((stale, self.idps[stale].name.to_owned()));
        }
        chosen
            .into_iter()
            .map(|(index, name)| {
                let idp = &self.idps[index];
                saml_provider_parsed(
                    self.id,
                    &name,
                    rng.date(at(2021, 1, 1), 2000),
                    idp.document.clone(),
                    idp.metadata.clone(),
                )
            })
            .collect()
    }

    /// `ConnectFederation`, in one of the documented grant forms, sometimes misconfigured.
    /// Returns the customer-managed policy holding the grant when it is not inline.
    fn federation_role(
        &self,
        rng: &mut Rng,
        providers: &[SamlProvider],
        instance_id: &str,
        regions: &[&str],
    ) -> (Role, Option<(String, Value)>) {
        // The expired legacy provider is usually left untrusted; sometimes it still is.
        let mut trusted: Vec<&str> = providers
            .iter()
            .filter(|p| !p.name.starts_with("OktaLegacy") || rng.chance(30))
            .map(|p| p.name.as_str())
            .collect();
        if rng.chance(4) {
            trusted.push("OktaBackup"); // deleted provider still named in the trust
        }
        let regional: Vec<String> = regions
            .iter()
            .map(|r| format!("https://{r}.signin.aws.amazon.com/saml"))
            .collect();
        let mut audiences: Vec<&str> = std::iter::once(AUDIENCE)
            .chain(regional.iter().map(String::as_str))
            .collect();
        let audience_case = rng.below(100);
        if audience_case >= 92 {
            audiences.push("https://idp-test.example.net/acs");
        }
        let mut trust = saml_trust(
            self.id,
            &trusted,
            (audience_case >= 8).then_some(audiences.as_slice()),
        );
        let extra_principal = rng.chance(4);
        if let Some(statements) = trust["Statement"]
            .as_array_mut()
            .filter(|_| extra_principal)
        {
            statements.push(json!({"Sid": "LetTestAutomationIn", "Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{}:root", self.id)}, "Action": "sts:AssumeRole"}));
        }

        let pinned: Vec<(&str, &str, &str)> =
            regions.iter().map(|r| (*r, self.id, instance_id)).collect();
        let grant = match rng.below(100) {
            0..60 => grant_per_user(&pinned),
            60..82 => json!({"Version": "2012-10-17", "Statement": [{"Sid": "FederateIntoConnect",
                "Effect": "Allow", "Action": "connect:GetFederationToken", "Resource": "*",
                "Condition": {"StringEquals": {"connect:InstanceId": instance_id}}}]}),
            82..90 => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": "connect:GetFederationToken", "Resource": "*"}]}),
            90..95 => json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": "connect:GetFederationToken",
                "Resource": format!("arn:aws:connect:{}:{}:instance/*", self.primary, self.id)}]}),
            _ => {
                let mut document = grant_per_user(&pinned);
                document["Statement"][0]["Action"] = json!(["connect:Get*", "connect:List*"]);
                document
            }
        };
        let created = rng.date(at(2020, 1, 1), 2000);
        let role_id = format!("AROA{}", rng.hex(16).to_uppercase());
        if rng.chance(15) {
            // The grant lives in a customer-managed policy instead of an inline one.
            let arn = format!("arn:aws:iam::{}:policy/ConnectFederate", self.id);
            let mut federation = role(self.id, "ConnectFederation", &role_id, created, trust, &[]);
            federation.attached.push(arn.clone());
            (federation, Some((arn, grant)))
        } else {
            let federation = role(
                self.id,
                "ConnectFederation",
                &role_id,
                created,
                trust,
                &[("federate", grant)],
            );
            (federation, None)
        }
    }

    fn break_glass_role(&self, rng: &mut Rng) -> Role {
        role(
            self.id,
            "BreakGlassAdmin",
            &format!("AROA{}", rng.hex(16).to_uppercase()),
            rng.date(at(2020, 1, 1), 2000),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{MANAGEMENT}:root")}, "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}),
            &[(
                "emergency",
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["connect:AdminGetEmergencyAccessToken", "connect:DescribeInstance", "connect:ListInstances"],
                "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}),
            )],
        )
    }

    /// The role Organizations creates in every account; `AdministratorAccess` grants
    /// `connect:GetFederationToken` through `*`, but without SAML trust it federates nothing.
    fn organization_access_role(&self, rng: &mut Rng) -> Role {
        let mut access = role(
            self.id,
            "OrganizationAccountAccessRole",
            &format!("AROA{}", rng.hex(16).to_uppercase()),
            rng.date(at(2019, 1, 1), 1500),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": format!("arn:aws:iam::{MANAGEMENT}:root")}, "Action": "sts:AssumeRole"}]}),
            &[],
        );
        access
            .attached
            .push("arn:aws:iam::aws:policy/AdministratorAccess".to_owned());
        access
    }

    /// Roles that have nothing to do with Connect federation.
    fn unrelated_role(&self, rng: &mut Rng, index: usize) -> Role {
        let role_id = format!("AROA{}", rng.hex(16).to_uppercase());
        let created = rng.date(at(2020, 1, 1), 2200);
        match index % 3 {
            0 => role(
                self.id,
                "ContactFlowLambda",
                &role_id,
                created,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
                &[(
                    "contact-flow",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["connect:StartOutboundVoiceContact", "connect:UpdateContactAttributes"],
                    "Resource": format!("arn:aws:connect:{}:{}:instance/*", self.primary, self.id)}]}),
                )],
            ),
            1 => role(
                self.id,
                "GitHubDeploy",
                &role_id,
                created,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Federated": format!("arn:aws:iam::{}:oidc-provider/token.actions.githubusercontent.com", self.id)},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}),
                &[(
                    "deploy",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["cloudformation:*", "s3:PutObject", "connect:Describe*", "connect:List*"], "Resource": "*"}]}),
                )],
            ),
            _ => role(
                self.id,
                "ReportingReadOnly",
                &role_id,
                created,
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": format!("arn:aws:iam::{MANAGEMENT}:root")}, "Action": "sts:AssumeRole"}]}),
                &[(
                    "read-reports",
                    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}),
                )],
            ),
        }
    }
}

/// SCPs and RCPs: FullAWSAccess on every node as AWS attaches it; the deletion guard on most
/// production team OUs (some with a hand-typed copy that misspells `DeleteInstance`, some
/// with none); role guardrails on Prod; emergency access restricted to break-glass roles on
/// two region groups (the third uses a tag exception, which is not approved); a region guard
/// on Sandbox; the deletion guard attached directly to a few NonProd accounts; and identity
/// perimeter RCPs on Prod (correct) and Sandbox (one that also denies SAML sign-in).
fn policies(
    teams: &[Team],
    accounts: &[crate::snapshot::Account],
    account_deletion_targets: &[String],
    rng: &mut Rng,
) -> Vec<OrgPolicy> {
    let mut every_node: Vec<(&str, &str)> = vec![(ROOT, "ROOT")];
    every_node.extend(
        [OU_PROD, OU_NONPROD, OU_SANDBOX]
            .into_iter()
            .chain(PROD_GROUPS.iter().map(|g| g.0))
            .map(|id| (id, "ORGANIZATIONAL_UNIT")),
    );
    every_node.extend(teams.iter().map(|t| (t.id.as_str(), "ORGANIZATIONAL_UNIT")));
    every_node.extend(accounts.iter().map(|a| (a.id.as_str(), "ACCOUNT")));

    let mut full_deletion: Vec<(&str, &str)> = Vec::new();
    let mut partial_deletion: Vec<(&str, &str)> = Vec::new();
    for team in teams {
        let target = (team.id.as_str(), "ORGANIZATIONAL_UNIT");
        match (team.kind, rng.below(100)) {
            (Kind::Prod, 0..65) | (Kind::NonProd, 0..20) => full_deletion.push(target),
            (Kind::Prod, 65..85) | (Kind::NonProd, 20..35) => partial_deletion.push(target),
            _ => {}
        }
    }
    full_deletion.extend(
        account_deletion_targets
            .iter()
            .map(|id| (id.as_str(), "ACCOUNT")),
    );
    let ou = |id: &'static str| [(id, "ORGANIZATIONAL_UNIT")];
    let deletion =
        |actions: Value| deletion_guard(actions, json!(["arn:aws:connect:*:*:instance/*"]));
    let perimeter = |actions: Value| identity_perimeter(ORG_ID, actions);
    let policies = vec![
        full_aws_access(&every_node),
        rcp_full_aws_access(&every_node),
        scp(
            "p-syn1noleave",
            "deny-leave-organization",
            "Accounts cannot leave the organization",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}),
            &[(ROOT, "ROOT")],
        ),
        scp(
            "p-syn1denydel",
            "connect-deny-deletion",
            "AWS best practice: deny deletion of Connect instances and the federation role",
            deletion(json!(["connect:DeleteInstance"])),
            &full_deletion,
        ),
        scp(
            "p-syn1typodel",
            "typed-deny-deletion",
            "Deny deletion of the Connect instance and role (typed by hand)",
            deletion(json!(["connect:DeleteInstances"])),
            &partial_deletion,
        ),
        scp(
            "p-syn1fedguard",
            "federation-role-guardrails",
            "Only break-glass roles may change the Connect federation role",
            document(vec![role_guardrail(
                &json!({"ArnNotLike": {"aws:PrincipalArn": BREAK_GLASS}}),
            )]),
            &ou(OU_PROD),
        ),
        scp(
            "p-syn1emerg",
            "emergency-access-break-glass",
            "Emergency access to Connect only for break-glass roles",
            emergency_access_guard(json!({"ArnNotLike": {"aws:PrincipalArn": [BREAK_GLASS]}})),
            &[
                (PROD_GROUPS[0].0, "ORGANIZATIONAL_UNIT"),
                (PROD_GROUPS[1].0, "ORGANIZATIONAL_UNIT"),
            ],
        ),
        scp(
            "p-syn1emergtag",
            "emergency-access-admins-tag",
            "Emergency access to Connect only for sessions tagged as Connect admins",
            emergency_access_guard(
                json!({"StringNotEquals": {"aws:PrincipalTag/team": "connect-admins"}}),
            ),
            &ou(PROD_GROUPS[2].0),
        ),
        scp(
            "p-syn1region",
            "sandbox-region-guard",
            "Sandbox accounts may only use the two US regions",
            json!({"Version": "2012-10-17", "Statement": [{
                "Sid": "DenyOutsideUS", "Effect": "Deny",
                "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*"], "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "us-west-2"]}}}]}),
            &ou(OU_SANDBOX),
        ),
        // An identity perimeter on production that leaves SAML sign-in alone, and one on
        // Sandbox written for "sts:*", which denies it.
        policy(
            "p-syn1rcpprod",
            "identity-perimeter",
            "Only principals of the organization may use production S3 and STS resources",
            "RESOURCE_CONTROL_POLICY",
            perimeter(json!([
                "s3:*",
                "sts:AssumeRole",
                "sts:GetSessionToken",
                "sts:GetFederationToken"
            ])),
            &ou(OU_PROD),
        ),
        policy(
            "p-syn1rcpsbx",
            "identity-perimeter-sandbox",
            "Only principals of the organization may use sandbox S3 and STS resources",
            "RESOURCE_CONTROL_POLICY",
            perimeter(json!(["s3:*", "sts:*"])),
            &ou(OU_SANDBOX),
        ),
    ];
    policies
        .into_iter()
        .map(|mut p| {
            p.arn = p.arn.map(|arn| arn.replace(DEMO_ORG_ID, ORG_ID));
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let a = serde_json::to_string(&organization(60, 7)).unwrap();
        let b = serde_json::to_string(&organization(60, 7)).unwrap();
        assert_eq!(a, b);
        let c = serde_json::to_string(&organization(60, 8)).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn shape() {
        let snapshot = organization(200, 1);
        let org = &snapshot.organization;
        assert_eq!(org.accounts.len(), 201);
        // Root → Prod → Prod-<group> → team: accounts four levels down.
        assert!(org.accounts.iter().any(|a| a.ancestry.len() == 5));
        assert!(org.ous.len() >= 200 / 20);
        let text = snapshot.to_json_pretty();
        let parsed = Snapshot::from_json_str(&text, "synthetic").unwrap();
        assert_eq!(parsed, snapshot);
    }
}
