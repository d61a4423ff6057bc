//! Amazon Connect in one region of one account.
//!
//! Calls: `ListInstances` (pages of at most 10); per instance `DescribeInstance` (which also
//! carries `ReplicationConfiguration` and the tags) and `ListInstanceAttributes`. Two more
//! are made only when they can add something, which matters at Connect's low request rates:
//! - `ListTrafficDistributionGroups` and one `GetTrafficDistribution` per group (the default
//!   group holds the sign-in configuration) only for a replicated instance, or one whose
//!   replication is unknown because `DescribeInstance` failed: a traffic distribution group
//!   can only be created for an instance that has been replicated (Global Resiliency), and
//!   `DescribeInstance` returns `ReplicationConfiguration` for every replicated instance;
//! - `ListTagsForResource` only when `DescribeInstance` did not return the tags.
//!
//! Connect's request rates are low (a few per second per account and region), so every call
//! waits for a permit of a scan-wide semaphore, smaller than the account parallelism.
//!
//! A region whose `ListInstances` fails is left out of the account's `connect` map and the
//! failure is recorded, so it reads as "not assessed", never as "no instances". An opt-in
//! region the account has not enabled is not an error: it is listed in
//! [`crate::snapshot::ScanMetadata::skipped_regions`].

use std::collections::BTreeMap;

use aws_sdk_connect::Client;
use tokio::sync::{Semaphore, SemaphorePermit};

use super::errors::{CallSite, code_of};
use super::{Recorder, to_chrono};
use crate::snapshot::{
    ConnectRegion, Instance, RegionEnabled, RegionPercentage, Replication, ReplicationStatus, Tags,
    TrafficDistribution, TrafficDistributionGroup,
};

/// Regions where Connect is offered in the `aws` partition (DOMAIN.md §2.5), plus Osaka,
/// which Global Resiliency uses as a replica region. GovCloud (`us-gov-west-1`) is another
/// partition, with other credentials; name it with `--regions` to scan it.
pub const DEFAULT_REGIONS: [&str; 11] = [
    "us-east-1",
    "us-west-2",
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
];

/// Regions an account must opt in to. In a region it has not enabled, every call fails
/// authentication (`UnrecognizedClientException` / `InvalidClientTokenId`).
const OPT_IN_REGIONS: [&str; 17] = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "ap-northeast-4",
];

/// Why a refused first call in `region` means the account has not enabled that opt-in
/// region, or `None` when the refusal is a real error.
pub(crate) fn opt_in_refusal(region: &str, code: &str, operation: &str) -> Option<String> {
    (OPT_IN_REGIONS.contains(&region)
        && matches!(
            code,
            "UnrecognizedClientException" | "InvalidClientTokenId" | "AuthFailure"
        ))
    .then(|| format!("opt-in region not enabled for the account ({operation}: {code})"))
}

/// What happened in one region.
#[derive(Debug)]
pub(crate) enum RegionOutcome {
    /// The region was read (possibly with per-instance gaps, recorded separately).
    Read(ConnectRegion),
    /// An opt-in region the account has not enabled; the reason says how that was decided.
    NotEnabled(String),
    /// `ListInstances` failed; the error is recorded.
    Failed,
}

/// Collects Connect in `region` for `account_id`. `permits` bounds Connect calls in flight
/// across the whole scan.
pub(crate) async fn collect_region(
    client: &Client,
    account_id: &str,
    region: &str,
    permits: &Semaphore,
    recorder: &Recorder,
) -> RegionOutcome {
    let site = CallSite::regional(account_id, region, "connect", "ListInstances");
    let summaries = {
        let mut pages = client
            .list_instances()
            .max_results(10)
            .into_paginator()
            .send();
        let mut summaries = Vec::new();
        loop {
            let page = {
                let _permit = permit(permits).await;
                pages.next().await
            };
            match page {
                None => break,
                Some(Ok(page)) => summaries.extend(page.instance_summary_list().iter().cloned()),
                Some(Err(e)) => {
                    let code = code_of(&e).unwrap_or_default();
                    if let Some(reason) = opt_in_refusal(region, code, "ListInstances") {
                        return RegionOutcome::NotEnabled(reason);
                    }
                    recorder.record(site.sdk_error(&e));
                    return RegionOutcome::Failed;
                }
            }
        }
        summaries
    };

    let mut instances = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let Some(id) = summary.id().map(str::to_owned) else {
            continue;
        };
        let instance = Instance {
            arn: summary.arn().unwrap_or_default().to_owned(),
            alias: summary.instance_alias().map(str::to_owned),
            identity_management_type: summary
                .identity_management_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            status: summary
                .instance_status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            status_reason: None,
            access_url: summary.instance_access_url().map(str::to_owned),
            service_role: summary.service_role().map(str::to_owned),
            created_time: summary.created_time().and_then(to_chrono),
            tags: Tags::new(),
            attributes: BTreeMap::new(),
            replication: None,
            traffic_distribution_groups: Vec::new(),
            id,
        };
        instances
            .push(collect_instance(client, account_id, region, instance, permits, recorder).await);
    }
    instances.sort_by(|a, b| a.arn.cmp(&b.arn));
    RegionOutcome::Read(ConnectRegion { instances })
}

async fn permit(permits: &Semaphore) -> Option<SemaphorePermit<'_>> {
    // The semaphore is never closed; `None` would only mean "run without a permit".
    permits.acquire().await.ok()
}

/// Fills in one instance from `DescribeInstance`, its attributes, traffic distribution groups
/// and (when needed) tags. Each failure is recorded; what was read is kept.
async fn collect_instance(
    client: &Client,
    account_id: &str,
    region: &str,
    mut instance: Instance,
    permits: &Semaphore,
    recorder: &Recorder,
) -> Instance {
    let site = |operation| CallSite::regional(account_id, region, "connect", operation);

    let mut tags_known = false;
    let described = {
        let _permit = permit(permits).await;
        client
            .describe_instance()
            .instance_id(&instance.id)
            .send()
            .await
    };
    let replication_known = described.is_ok();
    match described {
        Ok(output) => {
            if let Some(detail) = output.instance() {
                if let Some(arn) = detail.arn() {
                    instance.arn = arn.to_owned();
                }
                instance.alias = detail
                    .instance_alias()
                    .map(str::to_owned)
                    .or(instance.alias);
                if let Some(t) = detail.identity_management_type() {
                    instance.identity_management_type = t.as_str().to_owned();
                }
                if let Some(s) = detail.instance_status() {
                    instance.status = s.as_str().to_owned();
                }
                instance.status_reason = detail
                    .status_reason()
                    .and_then(|r| r.message())
                    .map(str::to_owned);
                instance.access_url = detail
                    .instance_access_url()
                    .map(str::to_owned)
                    .or(instance.access_url);
                instance.service_role = detail
                    .service_role()
                    .map(str::to_owned)
                    .or(instance.service_role);
                instance.created_time = detail
                    .created_time()
                    .and_then(to_chrono)
                    .or(instance.created_time);
                if let Some(tags) = detail.tags() {
                    instance.tags = tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    tags_known = true;
                }
            }
            instance.replication = output.replication_configuration().map(|r| Replication {
                source_region: r.source_region().unwrap_or_default().to_owned(),
                global_sign_in_endpoint: r.global_sign_in_endpoint().map(str::to_owned),
                statuses: r
                    .replication_status_summary_list()
                    .iter()
                    .map(|s| ReplicationStatus {
                        region: s.region().unwrap_or_default().to_owned(),
                        status: s
                            .replication_status()
                            .map(|s| s.as_str().to_owned())
                            .unwrap_or_default(),
                        reason: s.replication_status_reason().map(str::to_owned),
                    })
                    .collect(),
            });
        }
        Err(e) => recorder.record(site("DescribeInstance").sdk_error(&e)),
    }

    // Attributes (CONTACTFLOW_LOGS backs Security Hub Connect.2).
    let mut pages = client
        .list_instance_attributes()
        .instance_id(&instance.id)
        .into_paginator()
        .send();
    loop {
        let page = {
            let _permit = permit(permits).await;
            pages.next().await
        };
        match page {
            None => break,
            Some(Ok(page)) => {
                for attribute in page.attributes() {
                    if let (Some(kind), Some(value)) =
                        (attribute.attribute_type(), attribute.value())
                    {
                        instance
                            .attributes
                            .insert(kind.as_str().to_owned(), value.to_owned());
                    }
                }
            }
            Some(Err(e)) => {
                recorder.record(site("ListInstanceAttributes").sdk_error(&e));
                break;
            }
        }
    }

    // Only a replicated instance can have groups; without DescribeInstance, it may be one.
    if instance.replication.is_some() || !replication_known {
        instance.traffic_distribution_groups = traffic_distribution_groups(
            client,
            account_id,
            region,
            &instance.id,
            permits,
            recorder,
        )
        .await;
    }

    if !tags_known {
        let listed = {
            let _permit = permit(permits).await;
            client
                .list_tags_for_resource()
                .resource_arn(&instance.arn)
                .send()
                .await
        };
        match listed {
            Ok(output) => {
                instance.tags = output
                    .tags()
                    .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                    .unwrap_or_default();
            }
            Err(e) => recorder.record(site("ListTagsForResource").sdk_error(&e)),
        }
    }
    instance
}

async fn traffic_distribution_groups(
    client: &Client,
    account_id: &str,
    region: &str,
    instance_id: &str,
    permits: &Semaphore,
    recorder: &Recorder,
) -> Vec<TrafficDistributionGroup> {
    let site = |operation| CallSite::regional(account_id, region, "connect", operation);
    let mut summaries = Vec::new();
    let mut pages = client
        .list_traffic_distribution_groups()
        .instance_id(instance_id)
        .max_results(10)
        .into_paginator()
        .send();
    loop {
        let page = {
            let _permit = permit(permits).await;
            pages.next().await
        };
        match page {
            None => break,
            Some(Ok(page)) => summaries.extend(
                page.traffic_distribution_group_summary_list()
                    .iter()
                    .cloned(),
            ),
            Some(Err(e)) => {
                recorder.record(site("ListTrafficDistributionGroups").sdk_error(&e));
                break;
            }
        }
    }

    let mut groups = Vec::with_capacity(summaries.len());
    for summary in summaries {
        let Some(id) = summary.id().map(str::to_owned) else {
            continue;
        };
        let mut group = TrafficDistributionGroup {
            arn: summary.arn().unwrap_or_default().to_owned(),
            name: summary.name().unwrap_or_default().to_owned(),
            status: summary
                .status()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            is_default: summary.is_default(),
            distribution: TrafficDistribution::default(),
            user_ids: Vec::new(),
            id,
        };
        let fetched = {
            let _permit = permit(permits).await;
            client.get_traffic_distribution().id(&group.id).send().await
        };
        match fetched {
            Ok(output) => {
                let percentages =
                    |list: &[aws_sdk_connect::types::Distribution]| -> Vec<RegionPercentage> {
                        list.iter()
                            .map(|d| RegionPercentage {
                                region: d.region().to_owned(),
                                percentage: u32::try_from(d.percentage()).unwrap_or(0),
                            })
                            .collect()
                    };
                group.distribution = TrafficDistribution {
                    telephony: output
                        .telephony_config()
                        .map(|c| percentages(c.distributions()))
                        .unwrap_or_default(),
                    sign_in: output
                        .sign_in_config()
                        .map(|c| {
                            c.distributions()
                                .iter()
                                .map(|d| RegionEnabled {
                                    region: d.region().to_owned(),
                                    enabled: d.enabled(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    agent: output
                        .agent_config()
                        .map(|c| percentages(c.distributions()))
                        .unwrap_or_default(),
                };
            }
            Err(e) => recorder.record(site("GetTrafficDistribution").sdk_error(&e)),
        }
        groups.push(group);
    }
    groups
}
