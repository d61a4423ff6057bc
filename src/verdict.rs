//! Pass or fail of a resource, read from the findings alone.
//!
//! Reports that show the state of a resource (the identity chains of the HTML report) ask
//! here instead of judging facts themselves, so a report cannot call a link sound where a
//! rule fired, or broken where none did: the rules are the only judge.

use std::collections::{BTreeSet, HashMap};

use crate::finding::{Finding, Severity};

/// Positions of the findings in a scan's finding list, by resource and by account.
#[derive(Debug, Clone, Default)]
pub struct FindingIndex {
    by_resource: HashMap<String, Vec<usize>>,
    by_account: HashMap<String, Vec<usize>>,
}

impl FindingIndex {
    /// Indexes `findings`; positions refer to that slice.
    pub fn new(findings: &[Finding]) -> Self {
        // The two maps are independent: built side by side (56,000 findings of a large
        // organization take tens of milliseconds each).
        let (by_resource, by_account) = rayon::join(
            || positions(findings.iter().map(|f| Some(&f.resource))),
            || positions(findings.iter().map(|f| f.account_id.as_ref())),
        );
        FindingIndex {
            by_resource,
            by_account,
        }
    }

    /// Positions of the findings on `resource` (an ARN).
    pub fn on_resource(&self, resource: &str) -> &[usize] {
        self.by_resource.get(resource).map_or(&[], Vec::as_slice)
    }

    /// Positions of the findings in account `id`.
    pub fn in_account(&self, id: &str) -> &[usize] {
        self.by_account.get(id).map_or(&[], Vec::as_slice)
    }
}

/// Positions of the findings under each key, in finding order.
fn positions<'a>(keys: impl Iterator<Item = Option<&'a String>>) -> HashMap<String, Vec<usize>> {
    let mut map: HashMap<String, Vec<usize>> = HashMap::new();
    for (position, key) in keys.enumerate() {
        if let Some(key) = key {
            match map.get_mut(key) {
                Some(list) => list.push(position),
                None => {
                    map.insert(key.clone(), vec![position]);
                }
            }
        }
    }
    map
}

/// What the rules say about some resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// None of the rules that judge this ran (disabled, or failed to load or evaluate), so
    /// nothing is known: never shown as a pass.
    NotEvaluated,
    /// The rules ran and none fired.
    Pass,
    /// Rules fired, and every finding is waived: an accepted risk of this severity.
    Waived(Severity),
    /// Rules fired; the most severe finding that is not waived.
    Fail(Severity),
}

/// Which rules a verdict listens to.
#[derive(Debug, Clone, Copy)]
pub enum Rules<'a> {
    /// Every rule: any finding on the resource counts.
    All,
    /// Only these rule ids.
    Only(&'a [&'a str]),
}

/// Verdicts over one scan's findings.
#[derive(Debug)]
pub struct Judge<'a> {
    findings: &'a [Finding],
    index: &'a FindingIndex,
    /// Rule ids that ran to completion.
    ran: BTreeSet<&'a str>,
}

impl<'a> Judge<'a> {
    /// A judge over `findings` (indexed by `index`), where `ran` lists the rule ids that were
    /// evaluated without error.
    pub fn new(
        findings: &'a [Finding],
        index: &'a FindingIndex,
        ran: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        Judge {
            findings,
            index,
            ran: ran.into_iter().collect(),
        }
    }

    /// The findings on `resource` from `rules`.
    pub fn findings<'s>(
        &'s self,
        resource: &'s str,
        rules: Rules<'s>,
    ) -> impl Iterator<Item = &'a Finding> + 's {
        self.index
            .on_resource(resource)
            .iter()
            .map(|&position| &self.findings[position])
            .filter(move |f| match rules {
                Rules::All => true,
                Rules::Only(ids) => ids.contains(&f.rule_id.as_str()),
            })
    }

    /// The verdict of `rules` on all of `resources` together.
    pub fn verdict<'r>(
        &self,
        resources: impl IntoIterator<Item = &'r str>,
        rules: Rules<'_>,
    ) -> Verdict {
        let mut worst: Option<Severity> = None;
        let mut worst_waived: Option<Severity> = None;
        for resource in resources {
            for finding in self.findings(resource, rules) {
                let slot = if finding.waiver.is_some() {
                    &mut worst_waived
                } else {
                    &mut worst
                };
                *slot = Some(slot.map_or(finding.severity, |s| s.max(finding.severity)));
            }
        }
        match (worst, worst_waived) {
            (Some(severity), _) => Verdict::Fail(severity),
            (None, Some(severity)) => Verdict::Waived(severity),
            (None, None) => {
                let ran = match rules {
                    Rules::All => !self.ran.is_empty(),
                    Rules::Only(ids) => ids.iter().any(|id| self.ran.contains(id)),
                };
                if ran {
                    Verdict::Pass
                } else {
                    Verdict::NotEvaluated
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, resource: &str, severity: Severity, waived: bool) -> Finding {
        Finding {
            rule_id: rule.to_owned(),
            code: None,
            severity,
            title: "t".to_owned(),
            region: None,
            account_id: Some("111111111111".to_owned()),
            account_name: None,
            ou_path: None,
            resource: resource.to_owned(),
            message: "m".to_owned(),
            discriminator: None,
            details: None,
            coverage: false,
            waiver: waived.then(|| crate::finding::Waiver {
                rule: rule.to_owned(),
                resource: None,
                account: None,
                ou: None,
                reason: "accepted".to_owned(),
                expires: chrono::NaiveDate::MAX,
                owner: None,
                ticket: None,
            }),
            baseline_state: None,
            location: None,
        }
    }

    #[test]
    fn verdicts_follow_the_findings_of_the_named_rules() {
        let findings = vec![
            finding("a", "arn:x", Severity::Medium, false),
            finding("b", "arn:x", Severity::High, false),
            finding("c", "arn:y", Severity::Critical, true),
        ];
        let index = FindingIndex::new(&findings);
        let judge = Judge::new(&findings, &index, ["a", "b", "c", "d"]);
        assert_eq!(
            judge.verdict(["arn:x"], Rules::All),
            Verdict::Fail(Severity::High)
        );
        assert_eq!(
            judge.verdict(["arn:x"], Rules::Only(&["a"])),
            Verdict::Fail(Severity::Medium)
        );
        assert_eq!(judge.verdict(["arn:x"], Rules::Only(&["d"])), Verdict::Pass);
        assert_eq!(
            judge.verdict(["arn:y"], Rules::All),
            Verdict::Waived(Severity::Critical)
        );
        assert_eq!(
            judge.verdict(["arn:x", "arn:y"], Rules::All),
            Verdict::Fail(Severity::High)
        );
        assert_eq!(judge.verdict(["arn:z"], Rules::All), Verdict::Pass);
        assert_eq!(index.in_account("111111111111").len(), 3);
    }

    #[test]
    fn rules_that_did_not_run_give_no_pass() {
        let findings = vec![finding("a", "arn:x", Severity::Low, false)];
        let index = FindingIndex::new(&findings);
        let judge = Judge::new(&findings, &index, ["a"]);
        assert_eq!(
            judge.verdict(["arn:x"], Rules::Only(&["disabled"])),
            Verdict::NotEvaluated
        );
        let nobody = Judge::new(&findings, &index, []);
        assert_eq!(nobody.verdict(["arn:q"], Rules::All), Verdict::NotEvaluated);
    }
}
