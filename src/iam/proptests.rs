//! Property tests: no input, however malformed, makes the module panic.
//!
//! Needs the `proptest` dev-dependency; everything else in the module is tested with plain
//! table-driven tests.

use proptest::prelude::*;
use serde_json::Value;

use super::condition::RequestContext;
use super::document::PolicyDocument;
use super::identity::{NamedDocument, evaluate_identity};
use super::wildcard::{action_matches, arn_matches, string_like};

/// Arbitrary JSON, biased towards policy-shaped objects so parsing gets deep.
fn json() -> impl Strategy<Value = Value> {
    let words = prop_oneof![
        Just("Version"),
        Just("Statement"),
        Just("Effect"),
        Just("Allow"),
        Just("Deny"),
        Just("Action"),
        Just("NotAction"),
        Just("Resource"),
        Just("NotResource"),
        Just("Principal"),
        Just("Condition"),
        Just("StringLike"),
        Just("ForAllValues:StringNotEqualsIfExists"),
        Just("Null"),
        Just("IpAddress"),
        Just("DateLessThan"),
        Just("aws:SourceIp"),
        Just("AWS"),
        Just("*"),
        Just("${aws:username, 'x'}"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        words.clone().prop_map(|w| Value::String(w.to_owned())),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((words.clone(), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #[test]
    fn documents_never_panic(doc in json(), action in ".{0,20}", resource in ".{0,30}", ip in ".{0,16}") {
        if let Ok(parsed) = PolicyDocument::parse(&doc) {
            let ctx = RequestContext::new()
                .with("aws:SourceIp", [ip.clone()])
                .with("aws:username", [ip])
                .without("aws:userid");
            for statement in &parsed.statements {
                let _ = statement.matches_action(&action);
                let _ = statement.matches_resource(&resource);
                let _ = statement.condition_match(&ctx);
            }
            let named = [NamedDocument { name: "p", document: &parsed }];
            let _ = evaluate_identity(&named, &action, &resource, &ctx);
        }
    }

    #[test]
    fn wildcards_never_panic(pattern in "[a-z:*?/$.{}]{0,40}", value in "[a-z:*?/]{0,60}") {
        let _ = action_matches(&pattern, &value);
        let _ = arn_matches(&pattern, &value);
        let _ = string_like(&pattern, &value, true);
        let _ = string_like(&pattern, &value, false);
    }

    #[test]
    fn unicode_wildcards_never_panic(pattern in "\\PC{0,20}", value in "\\PC{0,30}") {
        let _ = action_matches(&pattern, &value);
        let _ = arn_matches(&pattern, &value);
        let _ = string_like(&pattern, &value, true);
    }

    #[test]
    fn star_matches_everything(value in "\\PC{0,30}") {
        prop_assert!(action_matches("*", &value));
        prop_assert!(string_like("*", &value, false));
        prop_assert!(arn_matches("*", &value));
    }

    #[test]
    fn literal_patterns_match_themselves(value in "[A-Za-z0-9:/_-]{0,30}") {
        prop_assert!(action_matches(&value, &value));
        prop_assert!(string_like(&value, &value, false));
    }
}
