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

/// Well-formed policy documents: every element in its allowed forms, no fractions.
fn policy() -> impl Strategy<Value = Value> {
    use serde_json::json;
    let text = prop_oneof![Just("*".to_owned()), "[a-z:*]{1,12}"];
    let strings = prop_oneof![
        text.clone().prop_map(Value::String),
        prop::collection::vec(text.clone(), 0..3).prop_map(|v| json!(v)),
    ];
    let scalar = prop_oneof![
        text.clone().prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::Bool),
    ];
    let values = prop_oneof![
        scalar.clone(),
        prop::collection::vec(scalar, 0..3).prop_map(Value::Array),
    ];
    let condition = prop::collection::vec(
        (
            "(ForAnyValue:)?String(Like|Equals)(IfExists)?",
            prop::collection::vec(("[a-z]{1,2}:[a-z]{1,2}", values), 1..3),
        ),
        0..3,
    )
    .prop_map(|operators| {
        let mut out = serde_json::Map::new();
        for (operator, keys) in operators {
            out.insert(operator, Value::Object(keys.into_iter().collect()));
        }
        Value::Object(out)
    });
    let principal = prop_oneof![
        Just(json!("*")),
        (strings.clone(), strings.clone()).prop_map(|(a, f)| json!({"AWS": a, "Federated": f})),
    ];
    let statement = (
        any::<bool>(),
        any::<bool>(),
        strings.clone(),
        prop::option::of((any::<bool>(), strings)),
        prop::option::of((any::<bool>(), principal)),
        prop::option::of(condition),
        prop::option::of("[A-Za-z0-9]{0,4}"),
    )
        .prop_map(
            |(allow, not_action, actions, resource, principal, condition, sid)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                s.insert(
                    (if not_action { "NotAction" } else { "Action" }).into(),
                    actions,
                );
                if let Some((not, r)) = resource {
                    s.insert((if not { "NotResource" } else { "Resource" }).into(), r);
                }
                if let Some((not, p)) = principal {
                    s.insert((if not { "NotPrincipal" } else { "Principal" }).into(), p);
                }
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                Value::Object(s)
            },
        );
    (
        prop::option::of(prop_oneof![Just("2012-10-17"), Just("2008-10-17")]),
        prop_oneof![
            statement.clone(),
            prop::collection::vec(statement, 0..4).prop_map(Value::Array),
        ],
    )
        .prop_map(|(version, statements)| match version {
            Some(v) => json!({"Version": v, "Statement": statements}),
            None => json!({"Statement": statements}),
        })
}

proptest! {
    #[test]
    fn well_formed_documents_are_read_from_their_text(doc in policy(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&doc).unwrap()
        } else {
            serde_json::to_string(&doc).unwrap()
        };
        let tree = PolicyDocument::parse(&doc);
        prop_assert!(tree.is_ok(), "{text}");
        prop_assert_eq!(super::document_text::read_typed(&text), tree.ok());
    }

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
    fn text_and_tree_parses_agree(doc in json()) {
        let text = serde_json::to_string(&doc).unwrap();
        prop_assert_eq!(PolicyDocument::parse_text(&text), PolicyDocument::parse(&doc));
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
