//! A snapshot file laid out as connect-guard writes it, cut into its accounts on every core.
//!
//! connect-guard writes snapshots pretty-printed, two spaces per level, with the accounts last.
//! A JSON string cannot hold a raw line break, so in such a file every line that starts with
//! four spaces and a quote starts an account, and the accounts' object closes on the line
//! `  }` just before the file's last `}`. Cutting there needs no pass over the file in
//! sequence: each core finds the cuts in its share of the text (with `memchr`), and the
//! accounts are parsed on the pool. For a 10,000-account organization (130 MB) the sequential
//! pass that finds where each account ends was the longest step of loading.
//!
//! Nothing here decides what the file means: every piece is parsed in full by serde_json, and
//! a piece that does not parse (a file laid out otherwise that only looks right) fails the
//! load's fast path, which then reads the file in sequence. A file laid out otherwise is
//! `None` from [`cut`].

use rayon::prelude::*;
use serde::de::DeserializeOwned;

/// Where the accounts' object opens: a top-level key, two spaces in.
const ACCOUNTS: &str = "\n  \"accounts\": {";
/// How the file ends after the accounts: their object's `}`, then the file's.
const END: &str = "\n  }\n}";
/// Where an account starts: a key four spaces in.
const ENTRY: &[u8] = b"\n    \"";
/// The share of the accounts' text each core searches for cuts at a time.
const PIECE: usize = 1 << 20;

/// A snapshot cut in two: everything but the accounts, and the accounts' entries.
pub(super) struct Cut<'a> {
    /// The file with an empty accounts object, for serde_json to read the rest.
    pub head: String,
    /// The accounts' entries, `"id": {…}` separated by commas, each on lines of its own.
    entries: &'a str,
}

/// Cuts `text` if it is laid out as connect-guard writes snapshots, with accounts.
pub(super) fn cut(text: &str) -> Option<Cut<'_>> {
    let open = memchr::memmem::find(text.as_bytes(), ACCOUNTS.as_bytes())? + ACCOUNTS.len();
    let body = text.trim_end_matches([' ', '\n', '\r', '\t']);
    let close = body.strip_suffix(END)?.len();
    let entries = text.get(open..close)?;
    entries.as_bytes().starts_with(ENTRY).then_some(())?;
    Some(Cut {
        head: format!("{}}}\n}}", &text[..open]),
        entries,
    })
}

impl Cut<'_> {
    /// Each account's id and resources, in the file's order; `None` if any entry is not an
    /// id and an object.
    pub(super) fn accounts<T: DeserializeOwned + Send>(&self) -> Option<Vec<(String, T)>> {
        let bytes = self.entries.as_bytes();
        let mut starts: Vec<usize> = (0..bytes.len().div_ceil(PIECE))
            .into_par_iter()
            .flat_map_iter(|piece| {
                let from = piece * PIECE;
                // A cut that starts in this piece may end in the next one.
                let to = (from + PIECE + ENTRY.len() - 1).min(bytes.len());
                memchr::memmem::find_iter(&bytes[from..to], ENTRY).map(move |at| from + at)
            })
            .collect();
        let last = starts.len().checked_sub(1)?;
        starts.push(bytes.len());
        starts
            .par_windows(2)
            .enumerate()
            .map(|(i, window)| entry(&self.entries[window[0]..window[1]], i == last))
            .collect()
    }
}

/// One account: `\n    "id": {…}` and a comma unless it is the last.
fn entry<T: DeserializeOwned>(text: &str, last: bool) -> Option<(String, T)> {
    let text = text.trim();
    let key_end = string_end(text)?;
    let value = text[key_end..].trim_start().strip_prefix(':')?.trim_start();
    let value = if last {
        value
    } else {
        value.strip_suffix(',')?.trim_end()
    };
    // serde reads a struct from an array too; an account must be an object.
    value.starts_with('{').then_some(())?;
    let id = serde_json::from_str(&text[..key_end]).ok()?;
    Some((id, serde_json::from_str(value).ok()?))
}

/// Where the string that `text` starts with ends, just past its closing quote.
fn string_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    (bytes.first() == Some(&b'"')).then_some(())?;
    let mut at = 1;
    loop {
        at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        if bytes[at] == b'"' {
            return Some(at + 1);
        }
        // A backslash escapes the byte after it.
        at += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn accounts(text: &str) -> Option<Vec<(String, Value)>> {
        cut(text)?.accounts()
    }

    #[test]
    fn a_snapshot_as_written_is_cut_into_its_accounts() {
        let snapshot = crate::synthetic::organization(30, 7);
        let text = snapshot.to_json_pretty();
        let cut = cut(&text).expect("laid out as written");
        let head: super::super::Snapshot = serde_json::from_str(&cut.head).unwrap();
        assert!(head.accounts.is_empty());
        assert_eq!(head.organization, snapshot.organization);
        let accounts: Vec<(String, super::super::AccountResources)> = cut.accounts().unwrap();
        assert_eq!(
            accounts
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>(),
            snapshot.accounts
        );
    }

    #[test]
    fn cuts_in_strings_and_across_pieces_are_not_taken() {
        // Quotes, escaped quotes and "four spaces and a quote" inside strings; one account
        // longer than a piece, so its cut is found by the next piece's search.
        let long = "x".repeat(PIECE + 10);
        let value = json!({
            "schema_version": 1,
            "accounts": {
                "1\"2": {"a": "\\\"    \"", "b": [{"c": "}\n    \""}]},
                "3": {"long": long},
                "4": {},
            }
        });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let found = accounts(&text).expect("cut");
        let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["1\"2", "3", "4"]);
        assert_eq!(found[0].1, value["accounts"]["1\"2"]);
        assert_eq!(found[1].1["long"].as_str().map(str::len), Some(PIECE + 10));
    }

    #[test]
    fn files_laid_out_otherwise_are_left_to_the_sequential_read() {
        let value = json!({"schema_version": 1, "accounts": {"1": {}, "2": {"a": 1}}});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert!(accounts(&pretty).is_some());
        for text in [
            serde_json::to_string(&value).unwrap(),
            pretty.replace("\"accounts\": {", "\"accounts\":  {"),
            pretty.replace("\n  }\n}", "\n  },\n  \"extra\": 1\n}"),
            serde_json::to_string_pretty(&json!({"schema_version": 1, "accounts": {}})).unwrap(),
        ] {
            assert!(cut(&text).is_none(), "{text}");
        }
        // Laid out like it, but not JSON, or an account that is not an object: refused.
        for text in [
            pretty.replace("\"a\": 1", "\"a\": 1,"),
            pretty.replace("\"1\": {}", "\"1\": {"),
            pretty.replace("\"1\": {},", "\"1\": {}"),
            pretty.replace("\"1\": {}", "\"1\": []"),
            pretty.replace("\"1\": {}", "1: {}"),
        ] {
            assert!(accounts(&text).is_none(), "{text}");
        }
    }
}
