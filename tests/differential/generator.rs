//! Deterministic generator of differential-test cases: an identity policy, SCPs across the
//! levels root → OU(s) → account, and one concrete request (action, resource, principal and
//! request-context values).
//!
//! Everything is drawn from a SplitMix64 stream seeded by [`SEED`], so the same cases come
//! out on every machine and every run. The vocabulary (actions, ARNs, context keys, condition
//! operators) is chosen to exercise the evaluator where mistakes are easy: `Action` /
//! `NotAction`, `Resource` / `NotResource`, wildcards at the start, middle and end of action
//! names, case-insensitive actions against case-sensitive ARNs, every condition operator
//! family with `IfExists` and set qualifiers, and break-glass exceptions on
//! `aws:PrincipalArn`.

#![allow(unreachable_pub)]
// `*rng.pick(..)` on string tables reads better than the auto-deref clippy suggests, which
// rustc then fails to infer.
#![allow(clippy::explicit_auto_deref)]

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The seed of the case stream. Changing it changes every case.
pub const SEED: u64 = 0x00C0_FFEE_C0DE_2025;

/// The member account every request is made in.
pub const ACCOUNT: &str = "111122223333";
/// Another account, for resources outside the caller's account.
pub const OTHER_ACCOUNT: &str = "444455556666";

/// SplitMix64 (Steele, Lea & Flood, 2014): tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream starting at `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One level of the SCP chain: the node and the SCPs attached to it.
#[derive(Debug, Clone)]
pub struct Level {
    /// `r-…`, `ou-…` or the account id.
    pub target: String,
    /// (policy name, document).
    pub policies: Vec<(String, Value)>,
}

/// One generated case.
#[derive(Debug, Clone)]
pub struct Case {
    /// Position in the stream, from 0.
    pub id: usize,
    /// The caller's account.
    pub account_id: String,
    /// The caller: `aws:PrincipalArn`.
    pub principal: String,
    /// The action as the request names it.
    pub action: String,
    /// The resource ARN (or `*` for actions without resource types).
    pub resource: String,
    /// The account that owns the resource.
    pub resource_account: String,
    /// Every context key of [`CONTEXT_KEYS`] that the request carries, with its values;
    /// keys not listed are absent from the request.
    pub context: BTreeMap<String, Vec<String>>,
    /// The principal's identity policies.
    pub identity: Vec<Value>,
    /// The SCP chain, root first, account last.
    pub scps: Vec<Level>,
    /// The custom RCPs over the resource's account, root first, account last; empty for the
    /// SCP cases. `RCPFullAWSAccess` is implied at every level, as AWS attaches it.
    pub rcps: Vec<Level>,
}

impl Case {
    /// The JSON the oracle runner reads.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "account_id": self.account_id,
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "resource_account": self.resource_account,
            "context": self.context.iter().map(|(k, v)| {
                (k.clone(), if is_multivalued(k) { json!(v) } else { json!(v[0]) })
            }).collect::<serde_json::Map<_, _>>(),
            "identity": self.identity,
            "scps": levels_json(&self.scps),
            "rcps": levels_json(&self.rcps),
        })
    }

    /// The policy text of the case, for feature accounting and disagreement reports.
    pub fn policy_text(&self) -> String {
        let mut text = String::new();
        for d in &self.identity {
            text.push_str(&d.to_string());
        }
        for l in self.scps.iter().chain(&self.rcps) {
            for (_, d) in &l.policies {
                text.push_str(&d.to_string());
            }
        }
        text
    }
}

fn levels_json(levels: &[Level]) -> Value {
    levels
        .iter()
        .map(|l| {
            json!({
                "target": l.target,
                "policies": l.policies.iter().map(|(n, d)| json!({"name": n, "document": d})).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// Context keys the cases use. `aws:PrincipalArn` and `aws:PrincipalAccount` are always
/// present; the others are present or absent per case.
pub const CONTEXT_KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:SourceIp",
    "aws:RequestedRegion",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:PrincipalTag/team",
    "aws:CalledVia",
    "aws:SecureTransport",
    "aws:PrincipalOrgID",
    "aws:ResourceAccount",
    "aws:PrincipalIsAWSService",
];

/// Multivalued keys (the oracle wants a list for them, a scalar for the others).
pub fn is_multivalued(key: &str) -> bool {
    key == "aws:CalledVia"
}

/// Requests: (action, resource template). `{region}`, `{account}` and `{id}` are filled per
/// case.
const REQUESTS: &[(&str, &str)] = &[
    (
        "connect:AdminGetEmergencyAccessToken",
        "arn:aws:connect:{region}:{account}:instance/{id}",
    ),
    (
        "connect:GetFederationToken",
        "arn:aws:connect:{region}:{account}:instance/{id}",
    ),
    (
        "connect:DescribeInstance",
        "arn:aws:connect:{region}:{account}:instance/{id}",
    ),
    (
        "connect:DeleteInstance",
        "arn:aws:connect:{region}:{account}:instance/{id}",
    ),
    (
        "connect:DescribeUser",
        "arn:aws:connect:{region}:{account}:instance/{id}/agent/agent-7",
    ),
    (
        "connect:DescribeQueue",
        "arn:aws:connect:{region}:{account}:instance/{id}/queue/q-1",
    ),
    ("connect:ListInstances", "*"),
    ("iam:DeleteRole", "arn:aws:iam::{account}:role/{role}"),
    (
        "iam:UpdateAssumeRolePolicy",
        "arn:aws:iam::{account}:role/{role}",
    ),
    ("iam:PutRolePolicy", "arn:aws:iam::{account}:role/{role}"),
    (
        "iam:UpdateSAMLProvider",
        "arn:aws:iam::{account}:saml-provider/{saml}",
    ),
    (
        "iam:DeleteSAMLProvider",
        "arn:aws:iam::{account}:saml-provider/{saml}",
    ),
    (
        "sts:AssumeRoleWithSAML",
        "arn:aws:iam::{account}:role/{role}",
    ),
    ("s3:GetObject", "arn:aws:s3:::{bucket}/{key}"),
];

const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-2"];
const INSTANCE_IDS: &[&str] = &["abc", "ABC", "prod-1"];
const ROLE_NAMES: &[&str] = &[
    "BreakGlassAdmin",
    "ConnectFederation",
    "Admin",
    "ops/BreakGlassOps",
    "breakglassadmin",
];
const SAML_NAMES: &[&str] = &["Okta", "okta", "EntraID"];
const BUCKETS: &[&str] = &["audit-logs", "Audit-Logs", "recordings"];
const KEYS: &[&str] = &["2025/call.wav", "report.csv"];

/// Principals (in [`ACCOUNT`]); role paths and case vary on purpose.
const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:role/BreakGlassAdmin",
    "arn:aws:iam::111122223333:role/BreakGlassSecondary",
    "arn:aws:iam::111122223333:role/breakglassadmin",
    "arn:aws:iam::111122223333:role/ops/BreakGlassOps",
    "arn:aws:iam::111122223333:role/ConnectFederation",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::111122223333:user/alice",
];

/// Action patterns for `Action` / `NotAction`: wildcards at the start, middle and end, `?`,
/// odd case, both names of the emergency-access action, and exact names.
const ACTION_PATTERNS: &[&str] = &[
    "*",
    "connect:*",
    "connect:Get*",
    "connect:*Instance",
    "connect:*Federation*",
    "connect:Describe*",
    "connect:GetFederationTokens",
    "connect:GetFederationToken",
    "connect:AdminGetEmergencyAccessToken",
    "CONNECT:admingetemergencyaccesstoken",
    "connect:?escribeInstance",
    "connect:Admin*Token",
    "connect:*User",
    "connect:List*",
    "iam:*",
    "iam:Delete*",
    "iam:*Role*",
    "iam:*SAMLProvider",
    "IAM:deleterole",
    "iam:DeleteRol?",
    "sts:AssumeRole*",
    "sts:*",
    "s3:Get*",
    "s3:*Object",
    "connect:*Emergency*",
    "iam:*SAML*",
];

/// Resource patterns for `Resource` / `NotResource`.
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:connect:*:*:instance/*",
    "arn:aws:connect:us-east-1:111122223333:instance/abc",
    "arn:aws:connect:us-east-1:111122223333:instance/ABC",
    "arn:aws:connect:*:111122223333:instance/abc/*",
    "arn:aws:connect:us-?ast-1:*:instance/*",
    "arn:aws:connect:*:*:instance/*/queue/*",
    "arn:aws:connect:eu-west-2:*:*",
    "arn:aws:iam::*:role/BreakGlass*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::${aws:PrincipalAccount}:role/*",
    "arn:aws:iam::*:role/*/BreakGlass*",
    "arn:aws:iam::*:saml-provider/*",
    "arn:aws:iam::111122223333:saml-provider/Okta",
    "arn:aws:s3:::audit-logs/*",
    "arn:aws:s3:::*-logs/*",
    "arn:aws:*:*:444455556666:*",
];

/// A condition: operator, key, values.
type Cond = (String, &'static str, Vec<&'static str>);

fn if_exists(rng: &mut SplitMix64, op: &str) -> String {
    if rng.chance(25) {
        format!("{op}IfExists")
    } else {
        op.to_owned()
    }
}

/// One random condition over the context keys.
fn condition(rng: &mut SplitMix64) -> Cond {
    match rng.below(11) {
        0 | 1 => {
            let op = *rng.pick(&[
                "ArnLike",
                "ArnNotLike",
                "ArnEquals",
                "ArnNotEquals",
                "StringLike",
                "StringNotLike",
            ]);
            let values = rng
                .pick(&[
                    &["arn:aws:iam::*:role/BreakGlass*"][..],
                    &["arn:aws:iam::111122223333:role/Admin"],
                    &["arn:aws:iam::*:role/*/BreakGlass*"],
                    &[
                        "arn:aws:iam::111122223333:role/BreakGlassAdmin",
                        "arn:aws:iam::111122223333:role/ConnectFederation",
                    ],
                    &["arn:aws:iam::*:role/BreakGlass?dmin"],
                ])
                .to_vec();
            (if_exists(rng, op), "aws:PrincipalArn", values)
        }
        2 => {
            let op = *rng.pick(&[
                "StringEquals",
                "StringNotEquals",
                "StringEqualsIgnoreCase",
                "StringNotEqualsIgnoreCase",
                "StringLike",
                "StringNotLike",
            ]);
            let values = rng
                .pick(&[
                    &["us-east-1"][..],
                    &["us-*"],
                    &["US-EAST-1"],
                    &["eu-west-2", "us-west-2"],
                ])
                .to_vec();
            (if_exists(rng, op), "aws:RequestedRegion", values)
        }
        3 => {
            let op = *rng.pick(&[
                "StringEquals",
                "StringNotEquals",
                "StringLike",
                "StringNotLike",
                "StringEqualsIgnoreCase",
            ]);
            let values = rng
                .pick(&[&["breakglass"][..], &["ops*"], &["BreakGlass"]])
                .to_vec();
            (if_exists(rng, op), "aws:PrincipalTag/team", values)
        }
        4 => {
            let op = *rng.pick(&[
                "NumericEquals",
                "NumericNotEquals",
                "NumericLessThan",
                "NumericLessThanEquals",
                "NumericGreaterThan",
                "NumericGreaterThanEquals",
            ]);
            let values = rng.pick(&[&["3600"][..], &["300"], &["600.0"]]).to_vec();
            (if_exists(rng, op), "aws:MultiFactorAuthAge", values)
        }
        5 => {
            let op = *rng.pick(&[
                "DateEquals",
                "DateNotEquals",
                "DateLessThan",
                "DateLessThanEquals",
                "DateGreaterThan",
                "DateGreaterThanEquals",
            ]);
            if rng.chance(70) {
                let values = rng
                    .pick(&[
                        &["2025-01-01T00:00:00Z"][..],
                        &["2030-06-01T00:00:00Z"],
                        &["2026-03-01T00:00:00Z"],
                    ])
                    .to_vec();
                (if_exists(rng, op), "aws:CurrentTime", values)
            } else {
                let values = rng.pick(&[&["1735689600"][..], &["1900000000"]]).to_vec();
                (if_exists(rng, op), "aws:EpochTime", values)
            }
        }
        6 => {
            let key = *rng.pick(&["aws:MultiFactorAuthPresent", "aws:SecureTransport"]);
            let values = rng.pick(&[&["true"][..], &["false"]]).to_vec();
            (if_exists(rng, "Bool"), key, values)
        }
        7 => {
            let key = *rng.pick(&[
                "aws:MultiFactorAuthPresent",
                "aws:SourceIp",
                "aws:PrincipalTag/team",
                "aws:CalledVia",
                "aws:RequestedRegion",
            ]);
            let values = rng.pick(&[&["true"][..], &["false"]]).to_vec();
            ("Null".to_owned(), key, values)
        }
        8 => {
            let op = *rng.pick(&["IpAddress", "NotIpAddress"]);
            let values = rng
                .pick(&[
                    &["203.0.113.0/24"][..],
                    &["10.0.0.0/8", "192.0.2.1/32"],
                    &["2001:db8::/32"],
                    &["198.51.100.7"],
                ])
                .to_vec();
            (if_exists(rng, op), "aws:SourceIp", values)
        }
        9 => {
            let qualifier = *rng.pick(&["ForAnyValue", "ForAllValues"]);
            let op = *rng.pick(&["StringEquals", "StringLike", "StringNotEquals"]);
            let values = rng
                .pick(&[
                    &["cloudformation.amazonaws.com"][..],
                    &["*.amazonaws.com"],
                    &["athena.amazonaws.com", "cloudformation.amazonaws.com"],
                ])
                .to_vec();
            (format!("{qualifier}:{op}"), "aws:CalledVia", values)
        }
        _ => {
            let op = *rng.pick(&["StringEquals", "StringNotEquals"]);
            let values = rng
                .pick(&[&["111122223333"][..], &["444455556666"]])
                .to_vec();
            (if_exists(rng, op), "aws:PrincipalAccount", values)
        }
    }
}

fn condition_block(conditions: &[Cond]) -> Value {
    let mut block = serde_json::Map::new();
    for (op, key, values) in conditions {
        let entry = block
            .entry(op.clone())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
        if let Value::Object(map) = entry {
            // A key may appear once per operator; later duplicates are dropped.
            map.entry((*key).to_owned()).or_insert_with(|| {
                if values.len() == 1 {
                    json!(values[0])
                } else {
                    json!(values)
                }
            });
        }
    }
    Value::Object(block)
}

fn one_or_list(rng: &mut SplitMix64, pool: &[&str], max: usize) -> Value {
    let n = 1 + rng.below(max);
    let mut items: Vec<&str> = Vec::new();
    for _ in 0..n {
        let item = *rng.pick(pool);
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.len() == 1 && rng.chance(50) {
        json!(items[0])
    } else {
        json!(items)
    }
}

/// A random statement.
fn statement(rng: &mut SplitMix64, effect: &str, sid: usize) -> Value {
    let mut s = serde_json::Map::new();
    s.insert("Sid".into(), json!(format!("S{sid}")));
    s.insert("Effect".into(), json!(effect));
    let actions = one_or_list(rng, ACTION_PATTERNS, 2);
    if rng.chance(20) {
        s.insert("NotAction".into(), actions);
    } else {
        s.insert("Action".into(), actions);
    }
    resources_and_conditions(rng, &mut s, RESOURCE_PATTERNS, 55);
    Value::Object(s)
}

/// Adds `NotResource` (15 %), `Resource: "*"` (up to `star_below` %) or `Resource` from
/// `patterns` (whose first entry is `*`), then conditions 55 % of the time.
fn resources_and_conditions(
    rng: &mut SplitMix64,
    s: &mut serde_json::Map<String, Value>,
    patterns: &[&str],
    star_below: usize,
) {
    let roll = rng.below(100);
    if roll < 15 {
        s.insert("NotResource".into(), one_or_list(rng, &patterns[1..], 2));
    } else if roll < star_below {
        s.insert("Resource".into(), json!("*"));
    } else {
        s.insert("Resource".into(), one_or_list(rng, patterns, 2));
    }
    if rng.chance(55) {
        let n = 1 + rng.below(2);
        let conditions: Vec<Cond> = (0..n).map(|_| condition(rng)).collect();
        s.insert("Condition".into(), condition_block(&conditions));
    }
}

fn document(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn full_aws_access() -> Value {
    document(vec![
        json!({"Effect": "Allow", "Action": "*", "Resource": "*"}),
    ])
}

/// The break-glass guardrail as customers write it: deny the emergency-access and
/// role-tampering actions to everyone but the break-glass roles.
fn break_glass_deny(rng: &mut SplitMix64) -> Value {
    let op = *rng.pick(&[
        "ArnNotLike",
        "ArnNotEquals",
        "StringNotLike",
        "ArnNotLikeIfExists",
    ]);
    let pattern = *rng.pick(&[
        "arn:aws:iam::*:role/BreakGlass*",
        "arn:aws:iam::111122223333:role/BreakGlassAdmin",
        "arn:aws:iam::*:role/*BreakGlass*",
    ]);
    let actions = rng
        .pick(&[
            &[
                "connect:AdminGetEmergencyAccessToken",
                "connect:GetFederationTokens",
            ][..],
            &["connect:*Emergency*", "iam:DeleteRole", "iam:Update*"],
            &["iam:*SAMLProvider", "sts:AssumeRoleWithSAML"],
            &["*"],
        ])
        .to_vec();
    let mut s = json!({
        "Sid": "BreakGlassOnly",
        "Effect": "Deny",
        "Action": actions,
        "Resource": "*",
        "Condition": {op: {"aws:PrincipalArn": pattern}},
    });
    if rng.chance(30) {
        // A second exception key in the same statement: both must miss for the deny.
        s["Condition"]["StringNotEquals"] = json!({"aws:PrincipalTag/team": "breakglass"});
    }
    document(vec![s])
}

fn fill(template: &str, rng: &mut SplitMix64) -> (String, String) {
    let account = if rng.chance(15) {
        OTHER_ACCOUNT
    } else {
        ACCOUNT
    };
    let resource = template
        .replace("{region}", *rng.pick(REGIONS))
        .replace("{account}", account)
        .replace("{id}", *rng.pick(INSTANCE_IDS))
        .replace("{role}", *rng.pick(ROLE_NAMES))
        .replace("{saml}", *rng.pick(SAML_NAMES))
        .replace("{bucket}", *rng.pick(BUCKETS))
        .replace("{key}", *rng.pick(KEYS));
    let owner = if template.contains("{account}") {
        account
    } else {
        ACCOUNT
    };
    (resource, owner.to_owned())
}

fn request_context(rng: &mut SplitMix64, principal: &str) -> BTreeMap<String, Vec<String>> {
    let mut c = BTreeMap::new();
    let mut put = |k: &str, v: Vec<&str>| {
        c.insert(k.to_owned(), v.into_iter().map(str::to_owned).collect());
    };
    put("aws:PrincipalArn", vec![principal]);
    put("aws:PrincipalAccount", vec![ACCOUNT]);
    if rng.chance(80) {
        put(
            "aws:SourceIp",
            vec![*rng.pick(&[
                "203.0.113.9",
                "10.1.2.3",
                "192.0.2.1",
                "198.51.100.7",
                "2001:db8::1",
            ])],
        );
    }
    if rng.chance(85) {
        put("aws:RequestedRegion", vec![*rng.pick(REGIONS)]);
    }
    if rng.chance(70) {
        put(
            "aws:MultiFactorAuthPresent",
            vec![*rng.pick(&["true", "false"])],
        );
    }
    if rng.chance(60) {
        put(
            "aws:MultiFactorAuthAge",
            vec![*rng.pick(&["30", "300", "600", "3600", "7200"])],
        );
    }
    if rng.chance(90) {
        put(
            "aws:CurrentTime",
            vec![*rng.pick(&[
                "2024-06-01T12:00:00Z",
                "2026-03-01T00:00:00Z",
                "2031-01-01T00:00:00Z",
            ])],
        );
    }
    if rng.chance(60) {
        put(
            "aws:EpochTime",
            vec![*rng.pick(&["1700000000", "1735689600", "1900000001"])],
        );
    }
    if rng.chance(50) {
        put(
            "aws:PrincipalTag/team",
            vec![*rng.pick(&["breakglass", "ops-eu", "dev", "BreakGlass"])],
        );
    }
    if rng.chance(40) {
        let values: &[&str] = *rng.pick(&[
            &["cloudformation.amazonaws.com"][..],
            &["athena.amazonaws.com"],
            &["cloudformation.amazonaws.com", "athena.amazonaws.com"],
        ]);
        put("aws:CalledVia", values.to_vec());
    }
    if rng.chance(80) {
        put("aws:SecureTransport", vec![*rng.pick(&["true", "false"])]);
    }
    c
}

/// The chain: root, one to three OUs, the account.
fn chain_targets(rng: &mut SplitMix64) -> Vec<String> {
    let ous = 1 + rng.below(3);
    let mut targets = vec!["r-root".to_owned()];
    targets.extend((0..ous).map(|i| format!("ou-root-{i}")));
    targets.push(ACCOUNT.to_owned());
    targets
}

/// `FullAWSAccess` at every level of the chain.
fn full_access_levels(targets: &[String]) -> Vec<Level> {
    targets
        .iter()
        .map(|t| Level {
            target: t.clone(),
            policies: vec![("FullAWSAccess".to_owned(), full_aws_access())],
        })
        .collect()
}

/// Adds `count` deny policies named `{prefix}-{n}` at random levels: with `special.0` percent
/// chance the policy `special.1` writes, otherwise one or two statements from `statement`.
fn add_denies(
    rng: &mut SplitMix64,
    levels: &mut [Level],
    count: usize,
    prefix: &str,
    special: (u64, fn(&mut SplitMix64) -> Value),
    statement: impl Fn(&mut SplitMix64, usize) -> Value,
) {
    for d in 0..count {
        let level = rng.below(levels.len());
        let doc = if rng.chance(special.0) {
            (special.1)(rng)
        } else {
            let n = 1 + rng.below(2);
            document((0..n).map(|i| statement(rng, i)).collect())
        };
        levels[level].policies.push((format!("{prefix}-{d}"), doc));
    }
}

/// Generates `count` cases from [`SEED`].
pub fn generate(count: usize) -> Vec<Case> {
    let mut rng = SplitMix64::new(SEED);
    (0..count).map(|id| one_case(&mut rng, id)).collect()
}

fn one_case(rng: &mut SplitMix64, id: usize) -> Case {
    let &(action, template) = rng.pick(REQUESTS);
    let (resource, resource_account) = fill(template, rng);
    let principal = (*rng.pick(PRINCIPALS)).to_owned();
    let context = request_context(rng, &principal);

    // Identity: Allow * half the time (so the SCP side decides), otherwise random statements.
    let identity = if rng.chance(40) {
        vec![full_aws_access()]
    } else {
        let n = 1 + rng.below(3);
        let statements = (0..n)
            .map(|i| {
                let effect = if rng.chance(25) { "Deny" } else { "Allow" };
                statement(rng, effect, i)
            })
            .collect();
        vec![document(statements)]
    };

    let targets = chain_targets(rng);
    let mut scps = full_access_levels(&targets);
    // FullAWSAccess removed at one level, replaced by a narrower Allow or by nothing.
    if rng.chance(35) {
        let level = rng.below(scps.len());
        scps[level].policies.clear();
        if rng.chance(70) {
            let n = 1 + rng.below(2);
            let statements = (0..n).map(|i| statement(rng, "Allow", i)).collect();
            scps[level]
                .policies
                .push((format!("Allow-{level}"), document(statements)));
        }
    }
    // Deny SCPs at random levels.
    let denies = rng.below(4);
    add_denies(
        rng,
        &mut scps,
        denies,
        "Deny",
        (35, break_glass_deny),
        |rng, i| statement(rng, "Deny", i),
    );
    Case {
        id,
        account_id: ACCOUNT.to_owned(),
        principal,
        action: action.to_owned(),
        resource,
        resource_account,
        context,
        identity,
        scps,
        rcps: Vec::new(),
    }
}

/// Seed of the RCP cases, a stream of their own so the SCP cases stay as they were.
pub const RCP_SEED: u64 = 0x00C0_FFEE_0DA7_A2EB;

/// The organization id of [`ACCOUNT`]'s principals in the RCP cases.
pub const ORG_ID: &str = "o-differential";

/// Requests on resources of [`ACCOUNT`]: services RCPs cover, and two they do not.
const RCP_REQUESTS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::{bucket}/{key}"),
    ("s3:PutObject", "arn:aws:s3:::{bucket}/{key}"),
    ("sts:AssumeRole", "arn:aws:iam::111122223333:role/{role}"),
    (
        "kms:Decrypt",
        "arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ),
    (
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:{region}:111122223333:secret:db-AbCdEf",
    ),
    (
        "sqs:SendMessage",
        "arn:aws:sqs:{region}:111122223333:orders",
    ),
    (
        "connect:DescribeInstance",
        "arn:aws:connect:{region}:111122223333:instance/{id}",
    ),
    ("iam:DeleteRole", "arn:aws:iam::111122223333:role/{role}"),
];

/// Callers in the RCP cases: the organization's own, and another account's.
const RCP_PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:role/BreakGlassAdmin",
    "arn:aws:iam::111122223333:role/ConnectFederation",
    "arn:aws:iam::111122223333:role/Admin",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:role/Partner",
    "arn:aws:iam::444455556666:user/bob",
];

/// `Action` patterns an RCP accepts (never `*`; `NotAction` is not allowed in RCPs).
const RCP_ACTION_PATTERNS: &[&str] = &[
    "s3:*",
    "s3:Get*",
    "s3:*Object",
    "S3:getobject",
    "sts:*",
    "sts:AssumeRole*",
    "sts:AssumeRole",
    "kms:*",
    "kms:Decrypt",
    "kms:?ecrypt",
    "secretsmanager:Get*",
    "sqs:*",
    "sqs:Send*",
    "connect:*",
    "iam:Delete*",
];

/// `Resource` / `NotResource` patterns for RCP statements.
const RCP_RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::audit-logs/*",
    "arn:aws:s3:::*-logs/*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::*:role/BreakGlass*",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:secretsmanager:us-east-1:*:secret:*",
    "arn:aws:sqs:*:*:orders",
    "arn:aws:*:*:111122223333:*",
];

/// A random RCP statement: a Deny on `"Principal": "*"`.
fn rcp_statement(rng: &mut SplitMix64, sid: usize) -> Value {
    let mut s = serde_json::Map::new();
    s.insert("Sid".into(), json!(format!("R{sid}")));
    s.insert("Effect".into(), json!("Deny"));
    s.insert("Principal".into(), json!("*"));
    s.insert("Action".into(), one_or_list(rng, RCP_ACTION_PATTERNS, 2));
    resources_and_conditions(rng, &mut s, RCP_RESOURCE_PATTERNS, 60);
    Value::Object(s)
}

/// The identity perimeter as AWS's data-perimeter examples write it, with variations.
fn perimeter(rng: &mut SplitMix64) -> Value {
    let actions = rng
        .pick(&[
            &["s3:*", "sts:*"][..],
            &["s3:GetObject", "kms:*"],
            &["sts:AssumeRole"],
            &["secretsmanager:*", "sqs:*"],
            &["s3:*", "sts:*", "kms:*", "sqs:*", "secretsmanager:*"],
        ])
        .to_vec();
    let mut condition = serde_json::Map::new();
    if rng.chance(70) {
        let op = *rng.pick(&["StringNotEqualsIfExists", "StringNotEquals"]);
        condition.insert(op.into(), json!({"aws:PrincipalOrgID": ORG_ID}));
    } else {
        condition.insert(
            "StringNotEquals".into(),
            json!({"aws:PrincipalAccount": ["111122223333"]}),
        );
    }
    if rng.chance(60) {
        let op = *rng.pick(&["BoolIfExists", "Bool"]);
        condition.insert(op.into(), json!({"aws:PrincipalIsAWSService": "false"}));
    }
    document(vec![json!({
        "Sid": "EnforceOrgIdentities",
        "Effect": "Deny",
        "Principal": "*",
        "Action": actions,
        "Resource": "*",
        "Condition": condition,
    })])
}

/// Generates `count` RCP cases from [`RCP_SEED`], with ids from `first_id`.
pub fn generate_rcp(count: usize, first_id: usize) -> Vec<Case> {
    let mut rng = SplitMix64::new(RCP_SEED);
    (0..count)
        .map(|i| one_rcp_case(&mut rng, first_id + i))
        .collect()
}

fn one_rcp_case(rng: &mut SplitMix64, id: usize) -> Case {
    let &(action, template) = rng.pick(RCP_REQUESTS);
    let (resource, _) = fill(template, rng);
    let principal = (*rng.pick(RCP_PRINCIPALS)).to_owned();
    let principal_account = principal.split(':').nth(4).unwrap_or(ACCOUNT).to_owned();
    let mut context = request_context(rng, &principal);
    let mut put = |k: &str, v: &str| {
        context.insert(k.to_owned(), vec![v.to_owned()]);
    };
    put("aws:PrincipalAccount", &principal_account);
    put("aws:ResourceAccount", ACCOUNT);
    if principal_account == ACCOUNT {
        if rng.chance(90) {
            put("aws:PrincipalOrgID", ORG_ID);
        }
    } else if rng.chance(50) {
        put("aws:PrincipalOrgID", "o-partner");
    }
    if rng.chance(70) {
        put("aws:PrincipalIsAWSService", "false");
    }

    let targets = chain_targets(rng);
    let scps = full_access_levels(&targets);
    let mut rcps: Vec<Level> = targets
        .iter()
        .map(|t| Level {
            target: t.clone(),
            policies: Vec::new(),
        })
        .collect();
    let denies = 1 + rng.below(3);
    add_denies(
        rng,
        &mut rcps,
        denies,
        "Rcp",
        (40, perimeter),
        rcp_statement,
    );
    Case {
        id,
        account_id: ACCOUNT.to_owned(),
        principal,
        action: action.to_owned(),
        resource,
        resource_account: ACCOUNT.to_owned(),
        context,
        identity: vec![full_aws_access()],
        scps,
        rcps,
    }
}
