//! The IAM credential report of one account: console passwords and access keys of every user,
//! with their last use, in two calls.
//!
//! `GenerateCredentialReport` asks IAM to (re)build the report, at most every four hours, and
//! answers with its state; `GetCredentialReport` returns it as CSV. Both are read-only in
//! effect (AWS's `SecurityAudit` and `ReadOnlyAccess` policies grant them). The report names
//! no access key ids, so keys are identified by their place (1 or 2); no secret is in it.
//! Accounts without IAM users skip both calls.
//!
//! When the report cannot be had (an SCP or the role's policy refuses it, or it is not ready),
//! and for users created since the report was built, each user is read on its own instead:
//! `ListAccessKeys`, `GetAccessKeyLastUsed` per key, `GetLoginProfile` and `GetUser` (for
//! `PasswordLastUsed`). Key ids pass through those calls and are dropped: the snapshot still
//! knows keys only by their place. A user that cannot be read that way either is recorded as a
//! collection error, so its credentials read as unknown, never as none.

use std::time::Duration;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{ReportStateType, StatusType};
use chrono::{DateTime, Utc};

use super::errors::{CallSite, code_of};
use super::{Recorder, to_chrono};
use crate::snapshot::{AccessKey, CollectionError, User};

/// How often, and how far apart, the report's state is asked for before giving up.
const POLLS: u32 = 15;
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Fills in the users' passwords and access keys from the account's credential report, and
/// user by user where the report cannot say.
pub(crate) async fn apply_credential_report(
    client: &Client,
    account_id: &str,
    users: &mut [User],
    recorder: &Recorder,
) {
    if users.is_empty() {
        return;
    }
    let report = match read_report(client, account_id).await {
        Ok(csv) => parse(&csv).map_err(|message| {
            CallSite::global(Some(account_id), "iam", "GetCredentialReport")
                .error("MalformedCredentialReport", &message)
        }),
        Err(error) => Err(error),
    };
    let unread: Vec<usize> = match report {
        Ok(rows) => merge(users, rows),
        Err(report_error) => {
            // Each user is read on its own; the report's refusal matters only if that fails
            // too, and is then recorded beside the per-user error.
            let mut report_error = Some(report_error);
            for user in users.iter_mut() {
                if let Err(error) = read_user(client, account_id, user).await {
                    if let Some(report_error) = report_error.take() {
                        recorder.record(report_error);
                    }
                    recorder.record(error);
                }
            }
            return;
        }
    };
    // IAM serves a report up to four hours old: users created since are not in it.
    for index in unread {
        if let Err(error) = read_user(client, account_id, &mut users[index]).await {
            recorder.record(error);
        }
    }
}

/// Gives each user its row's credentials; returns the indexes of the users without a row.
fn merge(users: &mut [User], rows: Vec<Row>) -> Vec<usize> {
    let mut by_arn: std::collections::HashMap<String, Row> =
        rows.into_iter().map(|row| (row.arn.clone(), row)).collect();
    let mut unread = Vec::new();
    for (index, user) in users.iter_mut().enumerate() {
        match by_arn.remove(&user.arn) {
            Some(row) => {
                user.password_enabled = row.password_enabled;
                user.password_last_used = row.password_last_used;
                user.access_keys = row.access_keys;
            }
            None => unread.push(index),
        }
    }
    unread
}

/// One user's password and keys from the per-user calls. On error the user is left as it
/// was (credentials unknown) and the failed call is returned.
async fn read_user(
    client: &Client,
    account_id: &str,
    user: &mut User,
) -> Result<(), CollectionError> {
    let site = |operation| CallSite::global(Some(account_id), "iam", operation);
    let listed = client
        .list_access_keys()
        .user_name(&user.name)
        .send()
        .await
        .map_err(|e| site("ListAccessKeys").sdk_error(&e))?;
    let mut keys = Vec::new();
    for key in listed.access_key_metadata() {
        let (last_used, last_used_service) = match key.access_key_id() {
            Some(id) => {
                let used = client
                    .get_access_key_last_used()
                    .access_key_id(id)
                    .send()
                    .await
                    .map_err(|e| site("GetAccessKeyLastUsed").sdk_error(&e))?;
                let used = used.access_key_last_used();
                (
                    used.and_then(|u| u.last_used_date()).and_then(to_chrono),
                    used.map(|u| u.service_name())
                        .filter(|s| !s.is_empty() && *s != "N/A")
                        .map(str::to_owned),
                )
            }
            None => (None, None),
        };
        keys.push(AccessKey {
            status: if key.status() == Some(&StatusType::Active) {
                "Active"
            } else {
                "Inactive"
            }
            .to_owned(),
            created: key.create_date().and_then(to_chrono),
            last_used,
            last_used_service,
        });
    }
    let password_enabled = match client
        .get_login_profile()
        .user_name(&user.name)
        .send()
        .await
    {
        Ok(_) => true,
        Err(e) if code_of(&e) == Some("NoSuchEntity") => false,
        Err(e) => return Err(site("GetLoginProfile").sdk_error(&e)),
    };
    let password_last_used = if password_enabled {
        client
            .get_user()
            .user_name(&user.name)
            .send()
            .await
            .map_err(|e| site("GetUser").sdk_error(&e))?
            .user()
            .and_then(|u| u.password_last_used())
            .and_then(to_chrono)
    } else {
        None
    };
    user.access_keys = keys;
    user.password_enabled = Some(password_enabled);
    user.password_last_used = password_last_used;
    Ok(())
}

async fn read_report(client: &Client, account_id: &str) -> Result<String, CollectionError> {
    let generate = CallSite::global(Some(account_id), "iam", "GenerateCredentialReport");
    let get = CallSite::global(Some(account_id), "iam", "GetCredentialReport");
    for poll in 0..POLLS {
        if poll > 0 {
            tokio::time::sleep(POLL_INTERVAL).await;
        }
        match client.generate_credential_report().send().await {
            Ok(output) if output.state() == Some(&ReportStateType::Complete) => {}
            Ok(_) => continue,
            Err(e) => return Err(generate.sdk_error(&e)),
        }
        match client.get_credential_report().send().await {
            Ok(output) => {
                let bytes = output
                    .content()
                    .map(|b| b.as_ref().to_vec())
                    .unwrap_or_default();
                return String::from_utf8(bytes)
                    .map_err(|_| get.error("MalformedCredentialReport", "not UTF-8 text"));
            }
            // Generated but not yet ready, or expired between the two calls: ask again.
            Err(e) if matches!(code_of(&e), Some("ReportInProgress" | "ReportExpired")) => continue,
            Err(e) => return Err(get.sdk_error(&e)),
        }
    }
    Err(generate.error(
        "ReportNotReady",
        &format!(
            "the credential report was not ready after {} s",
            POLLS * POLL_INTERVAL.as_secs() as u32
        ),
    ))
}

/// One user's line of the report.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    arn: String,
    password_enabled: Option<bool>,
    password_last_used: Option<DateTime<Utc>>,
    access_keys: Vec<AccessKey>,
}

/// Parses the report's CSV. IAM user names may contain commas and are not quoted, so each
/// line is read from the right: every column after `arn` holds a fixed vocabulary without
/// commas, and the ARN is what follows the first `,arn:` of the rest.
fn parse(csv: &str) -> Result<Vec<Row>, String> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines
        .next()
        .ok_or("the credential report is empty")?
        .split(',')
        .collect();
    if header.get(1) != Some(&"arn") {
        return Err(format!(
            "unexpected credential report header: {}",
            header.join(",").chars().take(80).collect::<String>()
        ));
    }
    let tail = header.len() - 2;
    let column = |name: &str| {
        header[2..]
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| format!("the credential report has no column {name}"))
    };
    let password_enabled = column("password_enabled")?;
    let password_last_used = column("password_last_used")?;
    let mut key_columns = Vec::new();
    for slot in 1..=2 {
        key_columns.push((
            column(&format!("access_key_{slot}_active"))?,
            column(&format!("access_key_{slot}_last_rotated"))?,
            column(&format!("access_key_{slot}_last_used_date"))?,
            column(&format!("access_key_{slot}_last_used_service"))?,
        ));
    }
    let mut rows = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() < header.len() {
            return Err(format!(
                "a credential report line has {} of {} columns",
                fields.len(),
                header.len()
            ));
        }
        let (head, values) = fields.split_at(fields.len() - tail);
        let head = head.join(",");
        let Some(at) = head.find(",arn:") else {
            return Err("a credential report line has no user ARN".to_owned());
        };
        let arn = head[at + 1..].to_owned();
        let access_keys = key_columns
            .iter()
            .filter_map(|&(active, rotated, used, service)| {
                let active = values[active].eq_ignore_ascii_case("true");
                let created = date(values[rotated]);
                (active || created.is_some()).then(|| AccessKey {
                    status: if active { "Active" } else { "Inactive" }.to_owned(),
                    created,
                    last_used: date(values[used]),
                    last_used_service: Some(values[service])
                        .filter(|s| !s.is_empty() && *s != "N/A")
                        .map(str::to_owned),
                })
            })
            .collect();
        rows.push(Row {
            arn,
            password_enabled: match values[password_enabled] {
                "true" | "TRUE" => Some(true),
                "false" | "FALSE" => Some(false),
                // `not_supported` (the root user).
                _ => None,
            },
            password_last_used: date(values[password_last_used]),
            access_keys,
        });
    }
    Ok(rows)
}

/// An ISO 8601 time, or `None` for `N/A`, `no_information` and the like.
fn date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn reads_passwords_and_keys_by_arn() {
        let csv = format!(
            "{HEADER}\n\
             <root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
             okta,provisioning,arn:aws:iam::111122223333:user/okta,provisioning,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-09-01T00:00:00+00:00,2026-11-30T10:00:00+00:00,us-east-1,connect,false,2025-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let rows = parse(&csv).expect("parses");
        assert_eq!(rows.len(), 2);
        let user = &rows[1];
        assert_eq!(user.arn, "arn:aws:iam::111122223333:user/okta,provisioning");
        assert_eq!(user.password_enabled, Some(false));
        assert_eq!(user.access_keys.len(), 2);
        assert_eq!(user.access_keys[0].status, "Active");
        assert_eq!(
            user.access_keys[0].last_used_service.as_deref(),
            Some("connect")
        );
        assert_eq!(user.access_keys[1].status, "Inactive");
        assert_eq!(user.access_keys[1].last_used, None);
        assert_eq!(rows[0].password_enabled, None, "root: not_supported");
    }

    #[test]
    fn refuses_what_is_not_a_credential_report() {
        assert!(parse("").is_err());
        assert!(parse("a,b,c\n1,2,3\n").is_err());
        assert!(parse(&format!("{HEADER}\nshort,line\n")).is_err());
    }

    #[test]
    fn users_missing_from_the_report_are_listed_for_reading_one_by_one() {
        let csv = format!(
            "{HEADER}\nokta,arn:aws:iam::111122223333:user/okta,2024-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let user = |name: &str| -> User {
            serde_json::from_value(serde_json::json!({
                "name": name, "id": "AIDAEXAMPLE", "arn": format!("arn:aws:iam::111122223333:user/{name}")
            }))
            .expect("user")
        };
        let mut users = vec![user("okta"), user("created-since")];
        assert_eq!(merge(&mut users, parse(&csv).expect("parses")), vec![1]);
        assert_eq!(users[0].password_enabled, Some(true));
        assert_eq!(users[1].password_enabled, None);
    }
}
