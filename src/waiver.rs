//! Waivers: accepted risks with a reason and an expiry date.
//!
//! A waiver names a rule and a scope (a resource ARN pattern, an account, an OU) and must say
//! why and until when. A waived finding is still reported, marked as waived, and does not
//! fail the run. An expired waiver stops applying and is reported; so is a waiver that
//! matched nothing, because a stale exception list hides the next real finding.

use serde::Serialize;

use crate::finding::Finding;
pub use crate::finding::Waiver;
use crate::iam::{arn_matches, string_like};
use crate::snapshot::Snapshot;

impl Waiver {
    /// Whether the waiver covers `finding` (the OU scope needs the snapshot's tree).
    fn matches(&self, finding: &Finding, snapshot: &Snapshot) -> bool {
        if self.rule != finding.rule_id {
            return false;
        }
        if let Some(pattern) = &self.resource {
            let hit = if pattern.starts_with("arn:") {
                arn_matches(pattern, &finding.resource)
            } else {
                string_like(pattern, &finding.resource, false)
            };
            if !hit {
                return false;
            }
        }
        if let Some(account) = &self.account
            && finding.account_id.as_deref() != Some(account.as_str())
        {
            return false;
        }
        if let Some(ou) = &self.ou {
            let Some(account) = finding
                .account_id
                .as_deref()
                .and_then(|id| snapshot.account(id))
            else {
                return false;
            };
            let named = |id: &String| {
                id == ou
                    || snapshot
                        .organization
                        .ous
                        .iter()
                        .any(|o| &o.id == id && &o.name == ou)
            };
            if !account.ancestry.iter().any(named) {
                return false;
            }
        }
        true
    }
}

/// How a waiver was used in a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaiverStatus {
    /// Applied to at least one finding.
    Applied,
    /// Past its expiry date at the snapshot time: not applied.
    Expired,
    /// In force but matched no finding.
    Unused,
}

/// A waiver and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverReport {
    /// The waiver.
    #[serde(flatten)]
    pub waiver: Waiver,
    /// What became of it.
    pub status: WaiverStatus,
    /// How many findings it waived.
    pub findings: usize,
}

/// Marks the findings each waiver covers and reports every waiver's status. Expiry is
/// judged at the snapshot time, like every other date, so a scan is reproducible.
pub fn apply(
    findings: &mut [Finding],
    waivers: &[Waiver],
    snapshot: &Snapshot,
) -> Vec<WaiverReport> {
    let today = snapshot.scan.started_at.date_naive();
    waivers
        .iter()
        .map(|waiver| {
            if waiver.expires < today {
                return WaiverReport {
                    waiver: waiver.clone(),
                    status: WaiverStatus::Expired,
                    findings: 0,
                };
            }
            let mut count = 0;
            for finding in findings.iter_mut() {
                if finding.waiver.is_none() && waiver.matches(finding, snapshot) {
                    finding.waiver = Some(waiver.clone());
                    count += 1;
                }
            }
            WaiverReport {
                waiver: waiver.clone(),
                status: if count == 0 {
                    WaiverStatus::Unused
                } else {
                    WaiverStatus::Applied
                },
                findings: count,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::PolicySet;
    use crate::params::Params;

    fn demo_findings() -> (Snapshot, Vec<Finding>) {
        let snapshot = crate::demo::snapshot();
        let set = PolicySet::load(true, &[]).expect("policies");
        let result = crate::scan::scan(
            &snapshot,
            &Params::default(),
            &set,
            &crate::scan::ScanOptions::default(),
        );
        (snapshot, result.findings)
    }

    /// `[[waivers]]` tables, as a waiver file holds them.
    #[derive(serde::Deserialize)]
    struct WaiverFile {
        waivers: Vec<Waiver>,
    }

    fn waiver(text: &str) -> Waiver {
        let file: WaiverFile = toml::from_str(text).expect("valid");
        file.waivers.into_iter().next().expect("one waiver")
    }

    #[test]
    fn a_waiver_in_force_marks_matching_findings() {
        let (snapshot, mut findings) = demo_findings();
        let w = waiver(
            "[[waivers]]\nrule = \"flow-logging-disabled\"\nresource = \"arn:aws:connect:*:300000000001:instance/*\"\nreason = \"test instance\"\nexpires = 2026-11-30\nowner = \"cx-team\"\n",
        );
        let reports = apply(&mut findings, &[w], &snapshot);
        assert_eq!(reports[0].status, WaiverStatus::Applied);
        assert_eq!(reports[0].findings, 1);
        let waived: Vec<_> = findings.iter().filter(|f| f.waiver.is_some()).collect();
        assert_eq!(waived.len(), 1);
        assert_eq!(waived[0].rule_id, "flow-logging-disabled");
    }

    #[test]
    fn a_waiver_that_expired_yesterday_stops_applying() {
        let (snapshot, mut findings) = demo_findings();
        // The demo snapshot is taken on 2026-11-01.
        let w = waiver(
            "[[waivers]]\nrule = \"flow-logging-disabled\"\naccount = \"300000000001\"\nreason = \"r\"\nexpires = \"2026-10-31\"\n",
        );
        let reports = apply(&mut findings, std::slice::from_ref(&w), &snapshot);
        assert_eq!(reports[0].status, WaiverStatus::Expired);
        assert!(findings.iter().all(|f| f.waiver.is_none()));
        let mut on_the_day = w;
        on_the_day.expires = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
        let reports = apply(&mut findings, &[on_the_day], &snapshot);
        assert_eq!(
            reports[0].status,
            WaiverStatus::Applied,
            "a waiver applies through its expiry day"
        );
    }

    #[test]
    fn an_unused_waiver_is_reported() {
        let (snapshot, mut findings) = demo_findings();
        let w = waiver(
            "[[waivers]]\nrule = \"flow-logging-disabled\"\nou = \"Prod\"\nreason = \"r\"\nexpires = 2027-01-01\n",
        );
        let reports = apply(&mut findings, &[w], &snapshot);
        assert_eq!(reports[0].status, WaiverStatus::Unused);
    }

    #[test]
    fn ou_scope_covers_nested_accounts_by_name_or_id() {
        let (snapshot, mut findings) = demo_findings();
        let by_name = waiver(
            "[[waivers]]\nrule = \"instance-deletion-not-denied-by-scp\"\nou = \"Prod\"\nreason = \"r\"\nexpires = 2027-01-01\n",
        );
        let reports = apply(&mut findings, &[by_name], &snapshot);
        assert_eq!(
            reports[0].findings, 2,
            "acme-eu and acme-legacy-ivr are under Prod (acme-eu-dr is protected)"
        );
    }

    #[test]
    fn waivers_need_a_reason_and_a_scope() {
        let no_scope = waiver("[[waivers]]\nrule = \"x\"\nreason = \"r\"\nexpires = 2027-01-01\n");
        assert!(no_scope.validate().unwrap_err().contains("needs a scope"));
        let no_reason = waiver(
            "[[waivers]]\nrule = \"x\"\naccount = \"1\"\nreason = \" \"\nexpires = 2027-01-01\n",
        );
        assert!(no_reason.validate().unwrap_err().contains("needs a reason"));
        assert!(
            toml::from_str::<WaiverFile>(
                "[[waivers]]\nrule = \"x\"\naccount = \"1\"\nexpires = 2027-01-01\n"
            )
            .is_err()
        );
        assert!(toml::from_str::<WaiverFile>("[[waivers]]\nrule = \"x\"\naccount = \"1\"\nreason = \"r\"\nexpires = \"next year\"\n").is_err());
    }
}
