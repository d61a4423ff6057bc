//! Tests of the HTML report: structure, escaping, the CSP and the limits.

use std::collections::BTreeMap;

use super::*;
use crate::engine::PolicySet;

fn demo_report() -> String {
    let snapshot = crate::demo::snapshot();
    let params = crate::params::Params::default();
    let policies = PolicySet::load(true, &[]).expect("builtin policies load");
    let result = crate::scan::scan(
        &snapshot,
        &params,
        &policies,
        &crate::scan::ScanOptions::default(),
    );
    render(&snapshot, &result).expect("renders")
}

/// The body of the first `<open>…</tag>` element, and how many such elements there are.
fn element_body<'a>(html: &'a str, open: &str, close: &str) -> (&'a str, usize) {
    let count = html.matches(open).count();
    let start = html.find(open).expect("element present") + open.len();
    let end = start + html[start..].find(close).expect("element closed");
    (&html[start..end], count)
}

/// Every start tag outside the three raw-text elements, as (name, attributes).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if rest.starts_with('/') || rest.starts_with('!') {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut s = &rest[name_end..];
        loop {
            s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if s.starts_with('>') || s.is_empty() {
                break;
            }
            let key_end = s
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(s.len());
            let key = s[..key_end].to_ascii_lowercase();
            s = &s[key_end..];
            let mut value = String::new();
            if let Some(after) = s.strip_prefix('=') {
                let quote = after.chars().next().expect("value");
                assert!(quote == '"', "unquoted attribute {key} in <{name}>");
                let end = after[1..].find('"').expect("closing quote");
                value = after[1..=end].to_owned();
                s = &after[end + 2..];
            }
            attrs.push((key, value));
        }
        // Skip the bodies of raw-text elements: they are checked separately.
        if name == "script" || name == "style" || name == "title" {
            let close = format!("</{name}>");
            let end = rest.find(&close).expect("raw text element closed");
            rest = &rest[end..];
        }
        tags.push((name, attrs));
    }
    tags
}

#[test]
fn csp_hashes_match_the_only_script_and_style() {
    let html = demo_report();
    let head = &html[html.find("<head>").expect("head") + 6..];
    assert!(
        head.trim_start()
            .starts_with("<meta http-equiv=\"Content-Security-Policy\""),
        "the CSP meta must come first in <head>"
    );
    let csp_start = html.find("content=\"").expect("csp content") + 9;
    let csp = html[csp_start..csp_start + html[csp_start..].find('"').expect("end")]
        .replace("&#39;", "'");
    assert_eq!(csp, content_security_policy());
    assert!(csp.starts_with("default-src 'none';"));

    let (script, scripts) = element_body(&html, "<script>", "</script>");
    let (style, styles) = element_body(&html, "<style>", "</style>");
    assert_eq!(scripts, 1, "exactly one executable script");
    assert_eq!(styles, 1, "exactly one style element");
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the script and the data"
    );
    assert!(csp.contains(&format!("script-src {};", csp_hash(script))));
    assert!(csp.contains(&format!("style-src {};", csp_hash(style))));
    assert!(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"));
}

#[test]
fn no_external_resources_handlers_or_inline_styles() {
    let html = demo_report();
    let tags = tags(&html);
    assert!(tags.len() > 500, "parsed {} tags", tags.len());
    let mut console_links = 0;
    for (name, attrs) in &tags {
        assert!(
            !matches!(
                name.as_str(),
                "link" | "iframe" | "object" | "embed" | "base" | "form" | "img"
            ),
            "<{name}> has no place in the report"
        );
        for (key, value) in attrs {
            assert!(!key.starts_with("on"), "inline handler {key} on <{name}>");
            assert!(key != "style", "inline style on <{name}>");
            if key == "src" {
                panic!("<{name} src={value}>: the report loads nothing");
            }
            if key == "href" {
                if value.starts_with('#') {
                    continue;
                }
                assert!(
                    value.starts_with(CONSOLE),
                    "<{name} href={value}> leaves the report"
                );
                console_links += 1;
                let rel = attrs
                    .iter()
                    .find(|(k, _)| k == "rel")
                    .map(|(_, v)| v.as_str());
                assert_eq!(rel, Some("noopener noreferrer"), "{value}");
            }
        }
    }
    assert!(console_links > 20, "{console_links} console links");
    // The assets may not reach outside either.
    assert!(!STYLE.contains("url("), "the style sheet loads nothing");
    assert!(!STYLE.contains("@import"));
}

#[test]
fn assets_cannot_break_out_and_never_write_html() {
    for asset in [SCRIPT, STYLE] {
        let lower = asset.to_ascii_lowercase();
        assert!(!lower.contains("</script") && !lower.contains("</style"));
        assert!(!lower.contains("<!--"));
    }
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "Function(",
        "setAttribute('on",
    ] {
        assert!(!SCRIPT.contains(sink), "report.js uses {sink}");
    }
}

#[test]
fn json_island_escapes_markup() {
    let hostile = serde_json::json!({"a": "</script><script>alert(1)</script><!-- & -->"});
    let safe = script_json(&hostile);
    assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
    let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
    assert_eq!(back, hostile);
}

#[test]
fn console_links_come_only_from_well_formed_arns() {
    assert_eq!(
        console_link("arn:aws:connect:us-east-1:200000000001:instance/6f0b4c1e-2a57").as_deref(),
        Some(
            "https://console.aws.amazon.com/connect/v2/app/instances/6f0b4c1e-2a57?region=us-east-1"
        )
    );
    assert_eq!(
        console_link("arn:aws:iam::200000000001:role/path/Con nect\"<x>").as_deref(),
        Some("https://console.aws.amazon.com/iam/home#/roles/details/Con%20nect%22%3Cx%3E")
    );
    assert_eq!(
        console_link("arn:aws:iam::200000000001:saml-provider/Okta").as_deref(),
        Some(
            "https://console.aws.amazon.com/iam/home#/identity_providers/details/SAML/\
             arn%3Aaws%3Aiam%3A%3A200000000001%3Asaml-provider%2FOkta"
        )
    );
    for bad in [
        "javascript:alert(1)",
        "arn:aws:connect:us-east-1\"><script>:200000000001:instance/x",
        "arn:aws:connect:us-east-1:200000000001:instance/../../evil",
        "arn:aws:iam::12:role/x",
        "arn:aws-cn:iam::200000000001:role/x",
        "arn:aws:s3:::bucket",
    ] {
        assert_eq!(console_link(bad), None, "{bad}");
    }
}

#[test]
fn report_is_deterministic() {
    assert_eq!(demo_report(), demo_report());
}

/// The chain is judged by the findings alone: a rule's finding breaks a link at high
/// severity, asks for attention when overridden to low or waived, and a disabled rule
/// leaves the link unjudged, never passed.
#[test]
fn chain_links_follow_the_findings() {
    const RULE: &str = "instance-deletion-not-denied-by-scp";
    let snapshot = crate::demo::snapshot();
    let params = crate::params::Params::default();
    let all = PolicySet::load(true, &[]).expect("builtin policies load");
    let deletion = |policies: &PolicySet, options: &crate::scan::ScanOptions<'_>| {
        let result = crate::scan::scan(&snapshot, &params, policies, options);
        let arn = result
            .findings
            .iter()
            .find(|f| f.rule_id == RULE)
            .map(|f| f.resource.clone())
            .unwrap_or_else(|| "arn:aws:connect:us-west-2:300000000001:instance/3c4d5e6f-7a8b-4c9d-8e0f-a1b2c3d4e5f7".to_owned());
        let instance = &result.facts.instances[&arn];
        let view = instance_view(instance, &result.facts, &result.judge());
        view.protections[0].status
    };
    let default = crate::scan::ScanOptions::default();
    assert_eq!(deletion(&all, &default), Status::Fail);

    let low = BTreeMap::from([(RULE.to_owned(), Severity::Low)]);
    let overridden = crate::scan::ScanOptions {
        severity_overrides: &low,
        ..default.clone()
    };
    assert_eq!(deletion(&all, &overridden), Status::Warn);

    let waiver: crate::finding::Waiver = toml::from_str(&format!(
        "rule = \"{RULE}\"\nreason = \"accepted\"\nexpires = \"2999-12-31\""
    ))
    .expect("waiver");
    let waivers = [waiver];
    let waived = crate::scan::ScanOptions {
        waivers: &waivers,
        ..default.clone()
    };
    assert_eq!(deletion(&all, &waived), Status::Warn);

    let mut without = PolicySet::load(true, &[]).expect("builtin policies load");
    without.rules.retain(|r| r.metadata.id != RULE);
    assert_eq!(deletion(&without, &default), Status::Info);
}

/// A large organization's page lists the most severe findings and the broken chains
/// first, and says how many it leaves out; the summary still counts everything.
#[test]
fn large_organizations_are_listed_within_limits() {
    let snapshot = crate::demo::snapshot();
    let policies = PolicySet::load(true, &[]).expect("builtin policies load");
    let result = crate::scan::scan(
        &snapshot,
        &crate::params::Params::default(),
        &policies,
        &crate::scan::ScanOptions::default(),
    );
    let total = result.findings.len();
    let limits = Limits {
        findings: 5,
        instances: 2,
    };
    let html = render_within(&snapshot, &result, limits).expect("renders");
    assert_eq!(html.matches("<details class=\"finding").count(), 5);
    assert!(html.contains(&format!(
        "Listing the 5 most severe findings; {} more are in the JSON and SARIF reports.",
        total - 5
    )));
    assert!(html.contains(&format!("<strong>{total}</strong> findings")));
    let page = Page::build(&snapshot, &result, limits);
    assert_eq!(page.instances.len(), 2);
    assert!(page.instances.iter().all(|i| i.overall == Status::Fail));
    assert_eq!(page.instances_hidden, page.summary.instances_total - 2);
    // The most severe first: the listed findings are the first of the sorted list.
    let listed: Vec<&str> = page
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let first: Vec<String> = result.findings[..5]
        .iter()
        .map(|f| f.fingerprint())
        .collect();
    assert_eq!(listed, first);
    assert_eq!(page.findings[0].severity, "critical");
    // Within the default limits the demo is listed whole.
    let whole = render(&snapshot, &result).expect("renders");
    assert_eq!(whole.matches("<details class=\"finding").count(), total);
    assert!(!whole.contains("more are in the JSON"));
}
