//! The HTML report in a real browser: headless Chromium loads the demo organization's report,
//! the filters and search hide the right rows, and a snapshot full of hostile strings runs
//! nothing and shows everything as text. Also checks the committed example report.
//!
//! Chromium is the Debian `chromium` package; `scripts/test.sh` installs it when missing.
//! Set `CONNECT_GUARD_SKIP_BROWSER=1` to skip the browser tests (they fail without it when
//! Chromium is missing, so CI cannot pass by accident).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{connect_guard, demo_json, write_json};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The Chromium binary, or None (with a note) when browser tests are skipped on purpose.
fn chromium() -> Option<PathBuf> {
    if std::env::var("CONNECT_GUARD_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("note: CONNECT_GUARD_SKIP_BROWSER=1, skipping the headless Chromium test");
        return None;
    }
    let candidates = ["chromium", "chromium-browser", "google-chrome"];
    for name in candidates {
        if let Some(path) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
        {
            return Some(path);
        }
    }
    panic!(
        "Chromium not found: install it (`apt-get install -y chromium`; scripts/test.sh does) \
         or set CONNECT_GUARD_SKIP_BROWSER=1 to skip the browser tests"
    );
}

/// Runs headless Chromium on `url` with `extra` arguments in a fresh profile and returns
/// its standard output. Network features are off so a test never reaches the internet.
fn run_chromium(browser: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).expect("utf-8 DOM");
        out
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waits") {
            assert!(status.success(), "chromium failed on {url}: {status}");
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium timed out on {url}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().expect("reader")
}

/// The DOM after the page's script ran.
fn dump_dom(browser: &Path, file: &Path, fragment: &str) -> String {
    let url = format!("file://{}{fragment}", file.display());
    let dom = run_chromium(browser, &url, &["--dump-dom"]);
    assert!(dom.contains("</html>"), "no DOM for {url}: {dom}");
    dom
}

/// Writes the report of `args` (a scan source) to `dir/name` and returns its path.
fn report(dir: &Path, name: &str, source: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let output = connect_guard()
        .arg("scan")
        .args(source)
        .args(["--format", "json", "--report"])
        .arg(&path)
        .output()
        .expect("runs");
    let code = output.status.code().expect("exited");
    assert!(
        code <= 4 && code != 2,
        "scan failed ({code}): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    path
}

/// (index, hidden) of every row of the findings table.
fn rows(dom: &str) -> Vec<(usize, bool)> {
    let table = &dom[dom.find("id=\"findings-table\"").expect("findings table")..];
    let table = &table[..table.find("</table>").expect("table end")];
    table
        .split("<tr ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let index = tag.split("data-i=\"").nth(1)?.split('"').next()?;
            Some((index.parse().ok()?, tag.contains("hidden")))
        })
        .collect()
}

fn visible(dom: &str) -> Vec<usize> {
    rows(dom)
        .into_iter()
        .filter(|(_, hidden)| !hidden)
        .map(|(i, _)| i)
        .collect()
}

/// Indexes of the JSON report's findings that satisfy `keep`.
fn expected(
    findings: &[serde_json::Value],
    keep: impl Fn(&serde_json::Value) -> bool,
) -> Vec<usize> {
    findings
        .iter()
        .enumerate()
        .filter(|(_, f)| keep(f))
        .map(|(i, _)| i)
        .collect()
}

/// The text the report's search box matches, as the report builds it.
fn search_text(f: &serde_json::Value) -> String {
    [
        "rule_id",
        "code",
        "title",
        "account_id",
        "account_name",
        "ou_path",
        "region",
        "resource",
        "message",
    ]
    .iter()
    .filter_map(|k| f[k].as_str())
    .collect::<Vec<_>>()
    .join("\n")
    .to_lowercase()
}

#[test]
fn demo_report_loads_filters_and_screenshots() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let html = report(dir.path(), "demo.html", &["--demo"]);
    let json_out = connect_guard()
        .args(["scan", "--demo", "--format", "json"])
        .output()
        .expect("runs");
    let result: serde_json::Value = serde_json::from_slice(&json_out.stdout).expect("JSON");
    let findings = result["findings"].as_array().expect("findings").clone();
    assert!(findings.len() > 10);

    // Unfiltered: the script ran under the CSP, filled the filters, and shows every row.
    let dom = dump_dom(&browser, &html, "");
    assert!(
        dom.contains("data-js=\"ready\""),
        "the hashed script did not run"
    );
    assert!(!dom.contains("id=\"filters\" role=\"search\" hidden"));
    assert_eq!(rows(&dom).len(), findings.len());
    assert_eq!(visible(&dom).len(), findings.len());
    assert!(dom.contains("<option value=\"critical\">Critical</option>"));

    let cases: Vec<(&str, Vec<usize>)> = vec![
        (
            "#severity=critical",
            expected(&findings, |f| f["severity"] == "critical"),
        ),
        (
            "#q=okta",
            expected(&findings, |f| search_text(f).contains("okta")),
        ),
        (
            "#severity=high&q=ConnectFederation%20sandbox",
            expected(&findings, |f| {
                let text = search_text(f);
                f["severity"] == "high"
                    && text.contains("connectfederation")
                    && text.contains("sandbox")
            }),
        ),
        (
            "#account=200000000002",
            expected(&findings, |f| f["account_id"] == "200000000002"),
        ),
        (
            "#ou=Root%2FProd",
            expected(&findings, |f| {
                f["ou_path"]
                    .as_str()
                    .is_some_and(|ou| ou.starts_with("Root/Prod"))
            }),
        ),
        (
            "#rule=instance-deletion-not-denied-by-scp",
            expected(&findings, |f| {
                f["rule_id"] == "instance-deletion-not-denied-by-scp"
            }),
        ),
    ];
    for (fragment, want) in cases {
        assert!(!want.is_empty(), "{fragment} matches nothing in the demo");
        assert!(want.len() < findings.len(), "{fragment} filters nothing");
        let dom = dump_dom(&browser, &html, fragment);
        assert_eq!(visible(&dom), want, "visible rows for {fragment}");
        let count = format!("{} of {} findings", want.len(), findings.len());
        assert!(dom.contains(&count), "{fragment}: no '{count}'");
    }

    // A search that matches nothing says so.
    let dom = dump_dom(&browser, &html, "#q=no-such-thing-anywhere");
    assert!(visible(&dom).is_empty());
    assert!(
        dom.contains("id=\"f-empty\">"),
        "the empty-result note is shown"
    );

    // The screenshot the README shows.
    let png = Path::new(ROOT).join("target/html-report.png");
    let _ = std::fs::remove_file(&png);
    run_chromium(
        &browser,
        &format!("file://{}", html.display()),
        &[
            "--window-size=1280,1800",
            &format!("--screenshot={}", png.display()),
        ],
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG") && bytes.len() > 50_000);
}

const MARK: &str = "cgpwned";

/// Payloads that, if they ever ran, would change the title or add an element with id
/// `cgpwned`; each also has markup and delimiters other outputs care about.
fn payloads() -> Vec<String> {
    vec![
        format!("<script>document.title='{MARK}'</script>"),
        format!(
            "</script><script>document.body.appendChild(document.createElement('p')).id='{MARK}'</script>"
        ),
        format!("<img src=x onerror=\"document.title='{MARK}'\">"),
        format!("\"><svg onload=document.title='{MARK}'>"),
        "javascript:alert(document.domain)".to_owned(),
        "::error file=x::forged annotation%0A::warning::".to_owned(),
        "<!-- ]]> {{ 7*7 }} ${7*7} & &amp; \u{202e}".to_owned(),
    ]
}

/// The demo snapshot with hostile strings in names, tags, aliases, policy text and errors.
fn hostile_snapshot() -> serde_json::Value {
    let mut snap = demo_json();
    let p = payloads();
    let org = &mut snap["organization"];
    for (i, account) in org["accounts"]
        .as_array_mut()
        .expect("accounts")
        .iter_mut()
        .enumerate()
    {
        account["name"] = format!("acct-{i} {}", p[i % p.len()]).into();
        account["tags"]["homepage"] = "javascript:alert(1)".into();
        account["tags"][p[2].as_str()] = p[0].clone().into();
    }
    for (i, ou) in org["ous"]
        .as_array_mut()
        .expect("ous")
        .iter_mut()
        .enumerate()
    {
        ou["name"] = format!("ou-{i} {}", p[(i + 3) % p.len()]).into();
    }
    for policy in org["policies"].as_array_mut().expect("policies") {
        policy["description"] = p[1].clone().into();
        policy["tags"]["link"] = "javascript:alert(1)".into();
    }
    for error in snap["scan"]["errors"].as_array_mut().expect("errors") {
        error["message"] = format!("{} {}", p[5], p[1]).into();
    }
    let accounts = snap["accounts"].as_object_mut().expect("accounts");
    for (n, (_, resources)) in accounts.iter_mut().enumerate() {
        for provider in resources["iam"]["saml_providers"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            provider["metadata"]["entity_id"] = format!("javascript:alert(1)//{}", p[3]).into();
            provider["tags"]["url"] = "javascript:alert(1)".into();
        }
        for role in resources["iam"]["roles"]
            .as_array_mut()
            .into_iter()
            .flatten()
        {
            role["tags"]["owner"] = p[2].clone().into();
            // Policy text: an audience the rules report with the statement as evidence.
            if let Some(statements) = role["trust"]["Statement"].as_array_mut() {
                for statement in statements {
                    if statement["Condition"].is_object() {
                        statement["Condition"]["StringEquals"]["SAML:aud"] =
                            format!("https://evil.example/{}", p[1]).into();
                    }
                }
            }
        }
        for (_, region) in resources["connect"].as_object_mut().into_iter().flatten() {
            for instance in region["instances"].as_array_mut().into_iter().flatten() {
                instance["alias"] = format!("alias{n} {}", p[(n + 1) % p.len()]).into();
                instance["tags"]["runbook"] = "javascript:alert(1)".into();
            }
        }
    }
    snap
}

#[test]
fn hostile_strings_stay_text() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let snapshot = write_json(dir.path(), "hostile.json", &hostile_snapshot());
    let path = snapshot.to_str().expect("utf-8 path");
    let html = report(dir.path(), "hostile.html", &["--snapshot", path]);
    let source = std::fs::read_to_string(&html).expect("report");

    // In the file: no payload survives as markup, and no link leads anywhere but the console.
    for payload in payloads() {
        if payload.contains('<') {
            assert!(
                !source.contains(&payload),
                "raw payload in the report: {payload}"
            );
        }
    }
    assert!(!source.contains("href=\"javascript"));
    assert!(!source.contains("<img") && !source.contains("<svg onload"));
    assert_eq!(source.matches("<script").count(), 2);

    let dom = dump_dom(&browser, &html, "");
    assert!(
        dom.contains("data-js=\"ready\""),
        "the report's own script must still run"
    );
    assert!(!dom.contains(&format!("id=\"{MARK}\"")), "a payload ran");
    let title = &dom[dom.find("<title>").expect("title")..];
    assert!(
        title.starts_with("<title>connect-guard report"),
        "title changed: {title:.80}"
    );
    assert!(!dom.contains("href=\"javascript"));
    assert!(!dom.contains("<svg onload"));
    assert!(!dom.contains("<img"));
    // …and every payload is there as text: in the server-rendered page and in the filter
    // options the script built from the JSON island.
    assert!(dom.contains("&lt;script&gt;document.title='cgpwned'&lt;/script&gt;"));
    assert!(dom.contains("&lt;/script&gt;&lt;script&gt;document.body.appendChild"));
    assert!(dom.contains("&lt;img src=x onerror=\"document.title='cgpwned'\"&gt;"));
    assert!(dom.contains("::error file=x::forged annotation"));
    assert!(dom.contains("javascript:alert(document.domain)"));
    let select = &dom[dom.find("id=\"f-account\"").expect("account filter")..];
    let select = &select[..select.find("</select>").expect("select end")];
    assert!(
        select.contains("&lt;script&gt;document.title='cgpwned'&lt;/script&gt;"),
        "account names are options as text: {select:.400}"
    );

    // Defence in depth: even markup that slipped past escaping would not run, because the
    // CSP allows only the report's own hashed script.
    let injected = source.replacen(
        "<main class=\"wrap\">",
        &format!(
            "<main class=\"wrap\"><script>document.title='{MARK}'</script>\
             <img src=\"x\" onerror=\"document.body.appendChild(document.createElement('p')).id='{MARK}'\">"
        ),
        1,
    );
    let tampered = dir.path().join("tampered.html");
    std::fs::write(&tampered, injected).expect("writes");
    let dom = dump_dom(&browser, &tampered, "");
    assert!(dom.contains("data-js=\"ready\""));
    assert!(
        !dom.contains(&format!("id=\"{MARK}\"")),
        "CSP let an injected script run"
    );
    assert!(
        dom.contains("<title>connect-guard report"),
        "CSP let an injected script run"
    );
}

#[test]
fn example_report_is_current() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = report(dir.path(), "demo.html", &["--demo"]);
    let fresh = std::fs::read_to_string(html).expect("report");
    let committed = std::fs::read_to_string(Path::new(ROOT).join("reports/examples/demo.html"))
        .unwrap_or_default();
    assert!(
        committed == fresh,
        "reports/examples/demo.html is out of date: run scripts/regenerate.sh and commit it"
    );
}
