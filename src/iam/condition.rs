//! Three-valued evaluation of `Condition` entries against a partly known request context.
//!
//! connect-guard reasons about requests that have not happened ("could anyone but the
//! break-glass role call `connect:AdminGetEmergencyAccessToken`?"), so most context keys are
//! simply not known. Every key is therefore in one of three states in a [`RequestContext`]:
//! *unknown* (the default), *known absent* ([`RequestContext::without`]) or *known present*
//! with one or more values ([`RequestContext::with`]); and every condition evaluates to a
//! [`Tristate`].
//!
//! Semantics, all from "IAM JSON policy elements: Condition operators" unless noted:
//!
//! - A key missing from the request makes a positive operator false and a negated one
//!   (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …) true; `…IfExists` is true; `Null`
//!   tests presence itself.
//! - "Set operators for multivalued context keys": `ForAllValues` is true when the key is
//!   missing or empty, `ForAnyValue` is false.
//! - Several values for one key are OR'd; a negated operator therefore requires the request
//!   value to match none of them ("Creating a condition with multiple keys or values").
//! - `ArnEquals` behaves as `ArnLike`: the ARN section of the operator page documents the
//!   same wildcard matching for both.
//! - Dates are ISO 8601 or epoch seconds; numbers are integers or decimals.
//! - Policy variables are substituted in string, ARN and Bool values (see the `variables`
//!   module); an unknown variable makes that value Unknown. Documents whose `Version` is not
//!   `2012-10-17` treat `${…}` as literal text ("IAM JSON policy elements: Version"); the
//!   `*_with` forms take that switch.
//!
//! Operators this module does not know evaluate to Unknown, never to an error or a panic.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use ipnet::IpNet;
use schemars::JsonSchema;
use serde::Serialize;

use super::document::{Condition, SetQualifier};
use super::variables::{Resolved, resolve};
use super::wildcard::{arn_tokens, glob_tokens};

/// A truth value that may be unknown (Kleene's strong three-valued logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Tristate {
    /// Certainly true.
    True,
    /// Certainly false.
    False,
    /// Depends on something not known.
    Unknown,
}

impl Tristate {
    /// `True` or `False`.
    pub fn from_bool(value: bool) -> Self {
        if value { Self::True } else { Self::False }
    }

    /// Three-valued AND: false wins, then unknown.
    #[must_use]
    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::False, _) | (_, Self::False) => Self::False,
            (Self::True, Self::True) => Self::True,
            _ => Self::Unknown,
        }
    }

    /// Three-valued OR: true wins, then unknown.
    #[must_use]
    pub fn or(self, other: Self) -> Self {
        match (self, other) {
            (Self::True, _) | (_, Self::True) => Self::True,
            (Self::False, Self::False) => Self::False,
            _ => Self::Unknown,
        }
    }

    /// Three-valued NOT: unknown stays unknown.
    #[must_use]
    #[allow(clippy::should_implement_trait)] // `!x` on a three-valued type reads wrongly.
    pub fn not(self) -> Self {
        match self {
            Self::True => Self::False,
            Self::False => Self::True,
            Self::Unknown => Self::Unknown,
        }
    }

    /// AND over any number of values (true when there are none).
    pub fn all(values: impl IntoIterator<Item = Self>) -> Self {
        values.into_iter().fold(Self::True, Self::and)
    }

    /// OR over any number of values (false when there are none).
    pub fn any(values: impl IntoIterator<Item = Self>) -> Self {
        values.into_iter().fold(Self::False, Self::or)
    }

    /// True only for [`Tristate::True`].
    pub fn is_true(self) -> bool {
        self == Self::True
    }

    /// True only for [`Tristate::False`].
    pub fn is_false(self) -> bool {
        self == Self::False
    }
}

/// What is known about a request: each key is unknown unless set.
///
/// Key names are case-insensitive ("IAM JSON policy elements: Condition": "Condition key
/// names are not case-sensitive"); values keep their case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestContext {
    keys: BTreeMap<String, Option<Vec<String>>>,
}

/// The state of one key in a [`RequestContext`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Nothing is known about the key.
    Unknown,
    /// The key is known not to be in the request.
    Absent,
    /// The key is in the request with these values (at least one).
    Present(&'a [String]),
}

impl RequestContext {
    /// A context in which every key is unknown.
    pub fn new() -> Self {
        Self::default()
    }

    /// The key is present with these values. An empty list is the same as [`Self::without`]:
    /// IAM treats an empty multivalued key like a missing one.
    #[must_use]
    pub fn with<I, S>(mut self, key: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.set(key, values);
        self
    }

    /// The key is known to be absent from the request.
    #[must_use]
    pub fn without(mut self, key: &str) -> Self {
        self.set_absent(key);
        self
    }

    /// In-place form of [`Self::with`].
    pub fn set<I, S>(&mut self, key: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let state = if values.is_empty() {
            None
        } else {
            Some(values)
        };
        self.keys.insert(key.to_lowercase(), state);
    }

    /// In-place form of [`Self::without`].
    pub fn set_absent(&mut self, key: &str) {
        self.keys.insert(key.to_lowercase(), None);
    }

    /// What is known about `key`.
    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        match self.keys.get(&key.to_lowercase()) {
            None => Lookup::Unknown,
            Some(None) => Lookup::Absent,
            Some(Some(values)) => Lookup::Present(values),
        }
    }

    /// True when the key is known present or known absent.
    pub fn is_known(&self, key: &str) -> bool {
        self.keys.contains_key(&key.to_lowercase())
    }
}

/// The result of evaluating one or more conditions, with the keys that kept it open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The truth value.
    pub value: Tristate,
    /// Context keys whose being unknown made the result (or part of it) Unknown; sorted and
    /// without duplicates.
    pub unknown_keys: Vec<String>,
}

impl Evaluation {
    /// A decided result.
    pub fn known(value: bool) -> Self {
        Self {
            value: Tristate::from_bool(value),
            unknown_keys: Vec::new(),
        }
    }

    /// AND of two evaluations, keeping the unknown keys only while they can matter.
    #[must_use]
    pub fn and(mut self, other: Self) -> Self {
        self.value = self.value.and(other.value);
        if self.value.is_false() {
            self.unknown_keys.clear();
        } else {
            self.unknown_keys.extend(other.unknown_keys);
            self.unknown_keys.sort();
            self.unknown_keys.dedup();
        }
        self
    }
}

/// Evaluates one condition (one operator, one key, its values) against `context`.
pub fn evaluate(condition: &Condition, context: &RequestContext) -> Tristate {
    evaluate_detailed(condition, context).value
}

/// Evaluates all `conditions` (AND'd, as IAM does across keys and operators).
pub fn evaluate_all(conditions: &[Condition], context: &RequestContext) -> Evaluation {
    evaluate_all_with(conditions, context, true)
}

/// [`evaluate_all`], with policy variables substituted only when `policy_variables` is true
/// (documents with `Version` `2012-10-17`).
pub fn evaluate_all_with(
    conditions: &[Condition],
    context: &RequestContext,
    policy_variables: bool,
) -> Evaluation {
    conditions
        .iter()
        .map(|c| evaluate_with(c, context, policy_variables))
        .fold(Evaluation::known(true), Evaluation::and)
}

/// Evaluates one condition and reports which keys left it open.
pub fn evaluate_detailed(condition: &Condition, context: &RequestContext) -> Evaluation {
    evaluate_with(condition, context, true)
}

/// [`evaluate_detailed`], with policy variables substituted only when `policy_variables` is
/// true.
pub fn evaluate_with(
    condition: &Condition,
    context: &RequestContext,
    policy_variables: bool,
) -> Evaluation {
    let mut unknown = Vec::new();
    let value = eval_inner(condition, context, policy_variables, &mut unknown);
    if value != Tristate::Unknown {
        unknown.clear();
    }
    unknown.sort();
    unknown.dedup();
    Evaluation {
        value,
        unknown_keys: unknown,
    }
}

/// Comparison for numeric and date operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// The operator families.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    String { ignore_case: bool },
    StringLike,
    Arn,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Null,
}

/// A base operator: its family and whether it is the negated form.
fn parse_base(base: &str) -> Option<(Family, bool)> {
    let lower = base.to_ascii_lowercase();
    let cmp = |suffix: &str| match suffix {
        "equals" => Some((Cmp::Eq, false)),
        "notequals" => Some((Cmp::Eq, true)),
        "lessthan" => Some((Cmp::Lt, false)),
        "lessthanequals" => Some((Cmp::Le, false)),
        "greaterthan" => Some((Cmp::Gt, false)),
        "greaterthanequals" => Some((Cmp::Ge, false)),
        _ => None,
    };
    let parsed = match lower.as_str() {
        "stringequals" => (Family::String { ignore_case: false }, false),
        "stringnotequals" => (Family::String { ignore_case: false }, true),
        "stringequalsignorecase" => (Family::String { ignore_case: true }, false),
        "stringnotequalsignorecase" => (Family::String { ignore_case: true }, true),
        "stringlike" => (Family::StringLike, false),
        "stringnotlike" => (Family::StringLike, true),
        "arnequals" | "arnlike" => (Family::Arn, false),
        "arnnotequals" | "arnnotlike" => (Family::Arn, true),
        "bool" => (Family::Bool, false),
        "binaryequals" => (Family::Binary, false),
        "ipaddress" => (Family::Ip, false),
        "notipaddress" => (Family::Ip, true),
        "null" => (Family::Null, false),
        other => {
            if let Some((c, neg)) = other.strip_prefix("numeric").and_then(cmp) {
                (Family::Numeric(c), neg)
            } else if let Some((c, neg)) = other.strip_prefix("date").and_then(cmp) {
                (Family::Date(c), neg)
            } else {
                return None;
            }
        }
    };
    Some(parsed)
}

/// True for operators whose result is the negation of a positive match
/// (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …).
pub fn is_negated_operator(base_operator: &str) -> bool {
    parse_base(base_operator).is_some_and(|(_, negated)| negated)
}

fn eval_inner(
    condition: &Condition,
    context: &RequestContext,
    policy_variables: bool,
    unknown: &mut Vec<String>,
) -> Tristate {
    let Some((family, negated)) = parse_base(condition.base_operator()) else {
        unknown.push(condition.key.clone());
        return Tristate::Unknown;
    };
    let qualifier = condition.set_qualifier();
    let values = match context.lookup(&condition.key) {
        Lookup::Unknown => {
            unknown.push(condition.key.clone());
            return Tristate::Unknown;
        }
        Lookup::Absent => {
            return Tristate::from_bool(if family == Family::Null {
                condition
                    .values
                    .iter()
                    .any(|v| v.eq_ignore_ascii_case("true"))
            } else if condition.if_exists() {
                true
            } else {
                match qualifier {
                    SetQualifier::ForAllValues => true,
                    SetQualifier::ForAnyValue => false,
                    SetQualifier::None => negated,
                }
            });
        }
        Lookup::Present(values) => values,
    };
    if family == Family::Null {
        return Tristate::from_bool(
            condition
                .values
                .iter()
                .any(|v| v.eq_ignore_ascii_case("false")),
        );
    }
    // Resolve the policy values once; variables only where the operator allows them.
    let substitutes = policy_variables
        && matches!(
            family,
            Family::String { .. } | Family::StringLike | Family::Arn | Family::Bool
        );
    let policy: Vec<Resolved> = condition
        .values
        .iter()
        .map(|v| {
            if substitutes {
                resolve(v, context)
            } else {
                // No variables: `*` and `?` keep their meaning for the Like operators.
                Resolved::Value(super::wildcard::tokens(v))
            }
        })
        .collect();
    for p in &policy {
        if let Resolved::Unknown(key) = p {
            unknown.push(key.clone());
        }
    }
    let per_value = values.iter().map(|v| {
        let positive = Tristate::any(policy.iter().map(|p| match p {
            Resolved::Value(tokens) => Tristate::from_bool(match_one(family, v, tokens)),
            Resolved::NoValue => Tristate::False,
            Resolved::Unknown(_) => Tristate::Unknown,
        }));
        if negated { positive.not() } else { positive }
    });
    match qualifier {
        SetQualifier::ForAllValues => Tristate::all(per_value),
        SetQualifier::ForAnyValue => Tristate::any(per_value),
        // Without a set operator a negated operator needs every request value to miss.
        SetQualifier::None if negated => Tristate::all(per_value),
        SetQualifier::None => Tristate::any(per_value),
    }
}

/// Positive match of one request value against one resolved policy value.
fn match_one(family: Family, request: &str, policy: &[super::wildcard::Tok]) -> bool {
    match family {
        Family::String { ignore_case } => {
            let text = Resolved::text(policy);
            if ignore_case {
                text.to_lowercase() == request.to_lowercase()
            } else {
                text == request
            }
        }
        Family::StringLike => glob_tokens(policy, request, false),
        Family::Arn => arn_tokens(policy, request),
        Family::Bool => Resolved::text(policy).eq_ignore_ascii_case(request),
        Family::Binary => Resolved::text(policy) == request,
        Family::Numeric(cmp) => {
            let text = Resolved::text(policy);
            match (request.trim().parse::<f64>(), text.trim().parse::<f64>()) {
                (Ok(a), Ok(b)) => compare(a.partial_cmp(&b), cmp),
                _ => false,
            }
        }
        Family::Date(cmp) => {
            let text = Resolved::text(policy);
            match (parse_date(request), parse_date(&text)) {
                (Some(a), Some(b)) => compare(Some(a.cmp(&b)), cmp),
                _ => false,
            }
        }
        Family::Ip => {
            let text = Resolved::text(policy);
            // Families must agree ("IP address condition operators"): `contains` is false
            // for an IPv4 address and an IPv6 network.
            match (parse_cidr(request), parse_cidr(&text)) {
                (Some(address), Some(network)) => network.contains(&address.addr()),
                _ => false,
            }
        }
        Family::Null => false,
    }
}

fn compare(ordering: Option<std::cmp::Ordering>, cmp: Cmp) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match (ordering, cmp) {
        (None, _) => false,
        (Some(o), Cmp::Eq) => o == Equal,
        (Some(o), Cmp::Lt) => o == Less,
        (Some(o), Cmp::Le) => o != Greater,
        (Some(o), Cmp::Gt) => o == Greater,
        (Some(o), Cmp::Ge) => o != Less,
    }
}

/// ISO 8601 (with or without offset or time) or epoch seconds ("Date condition operators").
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Some(naive.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|n| n.and_utc());
    }
    if let Ok(secs) = text.parse::<i64>() {
        return DateTime::from_timestamp(secs, 0);
    }
    text.parse::<f64>().ok().and_then(|secs| {
        if secs.is_finite() && secs.abs() < 1e15 {
            // Truncation to whole milliseconds is intended.
            #[allow(clippy::cast_possible_truncation)]
            DateTime::from_timestamp_millis((secs * 1000.0) as i64)
        } else {
            None
        }
    })
}

/// An address with an optional `/prefix`; a bare address is a host route.
fn parse_cidr(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Tristate::{False as F, True as T, Unknown as U};

    fn cond(operator: &str, key: &str, values: &[&str]) -> Condition {
        Condition {
            operator: operator.to_owned(),
            key: key.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    fn check(cases: &[(&str, &str, &[&str], Tristate)], ctx: &RequestContext) {
        for (op, key, values, want) in cases {
            let got = evaluate(&cond(op, key, values), ctx);
            assert_eq!(got, *want, "{op} {key} {values:?}");
        }
    }

    #[test]
    fn tristate_logic() {
        assert_eq!(T.and(U), U);
        assert_eq!(F.and(U), F);
        assert_eq!(T.or(U), T);
        assert_eq!(F.or(U), U);
        assert_eq!(U.not(), U);
        assert_eq!(Tristate::all([]), T);
        assert_eq!(Tristate::any([]), F);
    }

    #[test]
    fn context_keys_are_case_insensitive() {
        let ctx = RequestContext::new().with("AWS:SourceIp", ["10.0.0.1"]);
        assert_eq!(
            ctx.lookup("aws:sourceip"),
            Lookup::Present(&["10.0.0.1".to_owned()])
        );
        assert_eq!(ctx.lookup("aws:other"), Lookup::Unknown);
        let ctx = ctx.with("k", Vec::<String>::new());
        assert_eq!(ctx.lookup("K"), Lookup::Absent);
    }

    #[test]
    fn strings() {
        let ctx = RequestContext::new().with("k", ["Value"]);
        check(
            &[
                ("StringEquals", "k", &["Value"], T),
                ("StringEquals", "k", &["value"], F),
                ("StringEquals", "k", &["x", "Value"], T),
                ("StringNotEquals", "k", &["Value"], F),
                ("StringNotEquals", "k", &["x", "y"], T),
                ("StringNotEquals", "k", &["x", "Value"], F),
                ("StringEqualsIgnoreCase", "k", &["VALUE"], T),
                ("StringNotEqualsIgnoreCase", "k", &["VALUE"], F),
                ("StringLike", "k", &["V*e"], T),
                ("StringLike", "k", &["v*"], F),
                ("StringNotLike", "k", &["V?lue"], F),
                ("StringNotLike", "k", &["x*"], T),
                ("StringEqualsIfExists", "k", &["Value"], T),
                ("StringEqualsIfExists", "k", &["other"], F),
                ("stringequals", "K", &["Value"], T),
            ],
            &ctx,
        );
    }

    #[test]
    fn absent_and_unknown_keys() {
        let ctx = RequestContext::new().without("gone");
        check(
            &[
                // Positive operators on a missing key are false, negated ones true.
                ("StringEquals", "gone", &["x"], F),
                ("StringNotEquals", "gone", &["x"], T),
                ("StringNotLike", "gone", &["x"], T),
                ("ArnNotLike", "gone", &["arn:*"], T),
                ("ArnLike", "gone", &["*"], F),
                ("NotIpAddress", "gone", &["10.0.0.0/8"], T),
                ("IpAddress", "gone", &["10.0.0.0/8"], F),
                ("NumericLessThan", "gone", &["3"], F),
                ("Bool", "gone", &["false"], F),
                // IfExists is true on a missing key, whatever the operator.
                ("StringEqualsIfExists", "gone", &["x"], T),
                ("BoolIfExists", "gone", &["false"], T),
                // Null.
                ("Null", "gone", &["true"], T),
                ("Null", "gone", &["false"], F),
                // Set operators.
                ("ForAllValues:StringEquals", "gone", &["x"], T),
                ("ForAnyValue:StringEquals", "gone", &["x"], F),
                ("ForAnyValue:StringNotEquals", "gone", &["x"], F),
                // Unknown keys are unknown, whatever the operator.
                ("StringEquals", "nobody-knows", &["x"], U),
                ("StringNotEquals", "nobody-knows", &["x"], U),
                ("Null", "nobody-knows", &["true"], U),
                ("StringEqualsIfExists", "nobody-knows", &["x"], U),
                // Unknown operators are unknown.
                ("StringSortOf", "gone", &["x"], U),
                ("ForSomeValues:StringEquals", "gone", &["x"], U),
            ],
            &ctx,
        );
        let present = RequestContext::new().with("here", ["v"]);
        check(
            &[
                ("Null", "here", &["true"], F),
                ("Null", "here", &["false"], T),
            ],
            &present,
        );
    }

    #[test]
    fn set_operators() {
        let ctx = RequestContext::new().with("aws:TagKeys", ["env", "team"]);
        check(
            &[
                (
                    "ForAllValues:StringEquals",
                    "aws:TagKeys",
                    &["env", "team", "x"],
                    T,
                ),
                ("ForAllValues:StringEquals", "aws:TagKeys", &["env"], F),
                ("ForAnyValue:StringEquals", "aws:TagKeys", &["env"], T),
                ("ForAnyValue:StringEquals", "aws:TagKeys", &["x"], F),
                ("ForAnyValue:StringLike", "aws:TagKeys", &["te*"], T),
                ("ForAllValues:StringLike", "aws:TagKeys", &["*e*"], T),
                ("ForAllValues:StringNotEquals", "aws:TagKeys", &["x"], T),
                ("ForAllValues:StringNotEquals", "aws:TagKeys", &["env"], F),
                ("ForAnyValue:StringNotEquals", "aws:TagKeys", &["env"], T),
                (
                    "ForAnyValue:StringNotEquals",
                    "aws:TagKeys",
                    &["env", "team"],
                    F,
                ),
            ],
            &ctx,
        );
    }

    #[test]
    fn arns() {
        let ctx = RequestContext::new().with(
            "aws:PrincipalArn",
            ["arn:aws:iam::111122223333:role/BreakGlassAdmin"],
        );
        check(
            &[
                (
                    "ArnLike",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/BreakGlass*"],
                    T,
                ),
                (
                    "ArnEquals",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/BreakGlass*"],
                    T,
                ),
                (
                    "ArnNotLike",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/BreakGlass*"],
                    F,
                ),
                (
                    "ArnNotEquals",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/Other"],
                    T,
                ),
                (
                    "ArnLike",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/breakglass*"],
                    F,
                ),
                (
                    "ArnNotLikeIfExists",
                    "aws:PrincipalArn",
                    &["arn:aws:iam::*:role/X", "arn:aws:iam::*:role/Break*"],
                    F,
                ),
            ],
            &ctx,
        );
    }

    #[test]
    fn numbers_dates_bools_binary() {
        let ctx = RequestContext::new()
            .with("n", ["10"])
            .with("d", ["2026-03-01T12:00:00Z"])
            .with("b", ["true"])
            .with("bin", ["QmluYXJ5"])
            .with("junk", ["abc"]);
        check(
            &[
                ("NumericEquals", "n", &["10"], T),
                ("NumericEquals", "n", &["10.0"], T),
                ("NumericNotEquals", "n", &["10"], F),
                ("NumericLessThan", "n", &["11"], T),
                ("NumericLessThan", "n", &["10"], F),
                ("NumericLessThanEquals", "n", &["10"], T),
                ("NumericGreaterThan", "n", &["9.5"], T),
                ("NumericGreaterThanEquals", "n", &["11"], F),
                ("NumericEquals", "junk", &["1"], F),
                ("NumericEquals", "n", &["ten"], F),
                ("DateEquals", "d", &["2026-03-01T12:00:00Z"], T),
                ("DateEquals", "d", &["1772366400"], T),
                ("DateNotEquals", "d", &["2026-03-01T12:00:00+01:00"], T),
                ("DateLessThan", "d", &["2026-03-02"], T),
                ("DateLessThanEquals", "d", &["2026-03-01T12:00:00"], T),
                ("DateGreaterThan", "d", &["2026-03-02"], F),
                ("DateGreaterThanEquals", "d", &["2020-01-01T00:00:00Z"], T),
                ("DateEquals", "junk", &["2020-01-01"], F),
                ("Bool", "b", &["true"], T),
                ("Bool", "b", &["TRUE"], T),
                ("Bool", "b", &["false"], F),
                ("BinaryEquals", "bin", &["QmluYXJ5"], T),
                ("BinaryEquals", "bin", &["qmluyxj5"], F),
            ],
            &ctx,
        );
    }

    #[test]
    fn ip_addresses() {
        let v4 = RequestContext::new().with("aws:SourceIp", ["203.0.113.7"]);
        let v6 = RequestContext::new().with("aws:SourceIp", ["2001:db8::1"]);
        let cases: &[(&str, &[&str], Tristate, Tristate)] = &[
            ("IpAddress", &["203.0.113.0/24"], T, F),
            ("IpAddress", &["203.0.113.7"], T, F),
            ("IpAddress", &["203.0.114.0/24"], F, F),
            ("IpAddress", &["0.0.0.0/0"], T, F),
            ("IpAddress", &["2001:db8::/32"], F, T),
            ("IpAddress", &["2001:db9::/32"], F, F),
            ("IpAddress", &["::/0", "10.0.0.0/8"], F, T),
            ("NotIpAddress", &["203.0.113.0/24"], F, T),
            ("NotIpAddress", &["10.0.0.0/8", "2001:db8::/48"], T, F),
            ("IpAddress", &["garbage/99"], F, F),
            // Host bits in the block are ignored; a prefix too long for its family matches nothing.
            ("IpAddress", &["203.0.113.200/24"], T, F),
            ("IpAddress", &["203.0.113.7/33"], F, F),
            ("IpAddress", &[" 203.0.113.7/32 "], T, F),
        ];
        for (op, values, want4, want6) in cases {
            let c = cond(op, "aws:SourceIp", values);
            assert_eq!(evaluate(&c, &v4), *want4, "v4 {op} {values:?}");
            assert_eq!(evaluate(&c, &v6), *want6, "v6 {op} {values:?}");
        }
    }

    #[test]
    fn policy_variables() {
        let ctx = RequestContext::new()
            .with("aws:PrincipalAccount", ["111122223333"])
            .with("aws:ResourceAccount", ["111122223333"])
            .with("aws:username", ["jdoe"])
            .with("s3:prefix", ["home/jdoe/docs"])
            .with("aws:PrincipalTag/team", ["ops"])
            .with("aws:ResourceTag/team", ["ops"])
            .with("lit", ["a*b"])
            .without("aws:userid");
        check(
            &[
                (
                    "StringEquals",
                    "aws:ResourceAccount",
                    &["${aws:PrincipalAccount}"],
                    T,
                ),
                (
                    "StringNotEquals",
                    "aws:ResourceAccount",
                    &["${aws:PrincipalAccount}"],
                    F,
                ),
                ("StringLike", "s3:prefix", &["home/${aws:username}/*"], T),
                (
                    "StringEquals",
                    "aws:ResourceTag/team",
                    &["${aws:PrincipalTag/team}"],
                    T,
                ),
                ("StringEquals", "lit", &["a${*}b"], T),
                ("StringLike", "lit", &["a${*}b"], T),
                ("StringLike", "lit", &["a${?}b"], F),
                // A variable with no value matches nothing.
                ("StringEquals", "aws:username", &["${aws:userid}"], F),
                ("StringNotEquals", "aws:username", &["${aws:userid}"], T),
                // An unknown variable leaves the value open ...
                (
                    "StringEquals",
                    "aws:username",
                    &["${aws:SourceIdentity}"],
                    U,
                ),
                // ... unless another value decides.
                (
                    "StringEquals",
                    "aws:username",
                    &["${aws:SourceIdentity}", "jdoe"],
                    T,
                ),
                (
                    "StringNotEquals",
                    "aws:username",
                    &["${aws:SourceIdentity}", "jdoe"],
                    F,
                ),
            ],
            &ctx,
        );
        let eval = evaluate_detailed(
            &cond("StringEquals", "aws:username", &["${aws:SourceIdentity}"]),
            &ctx,
        );
        assert_eq!(eval.unknown_keys, vec!["aws:SourceIdentity".to_owned()]);
    }

    #[test]
    fn evaluate_all_ands_and_reports_keys() {
        let ctx = RequestContext::new().with("a", ["1"]);
        let conds = [
            cond("StringEquals", "a", &["1"]),
            cond("IpAddress", "aws:SourceIp", &["10.0.0.0/8"]),
        ];
        let eval = evaluate_all(&conds, &ctx);
        assert_eq!(eval.value, U);
        assert_eq!(eval.unknown_keys, vec!["aws:SourceIp".to_owned()]);
        let conds = [cond("StringEquals", "a", &["2"]), conds[1].clone()];
        let eval = evaluate_all(&conds, &ctx);
        assert_eq!(eval.value, F);
        assert!(eval.unknown_keys.is_empty());
    }
}
