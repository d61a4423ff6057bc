//! Offline collector tests: the real collector code and the real SDK clients, with HTTP
//! answered by the SDK's `StaticReplayClient` from responses recorded under
//! `tests/fixtures/aws/` (shaped as AWS sends them: awsJson for Organizations, awsQuery XML for
//! IAM and STS, restJson for Connect).

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::Credentials;
use aws_smithy_http_client::test_util::{ReplayEvent, StaticReplayClient};
use aws_smithy_types::body::SdkBody;
use aws_types::SdkConfig;
use aws_types::region::Region;
use tokio::sync::Semaphore;

use super::connect::{RegionOutcome, collect_region};
use super::errors::CallSite;
use super::iam::{ManagedPolicyCache, collect_iam};
use super::organizations::{OrgFailure, collect_organization};
use super::sts::Caller;
use super::sts::assume_role;
use super::{Recorder, caller_failure};
use crate::snapshot::{CollectionError, ConnectRegion};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/aws");

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{path}"))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// One recorded exchange: any request, answered with `status`, `headers` and `body`.
fn event(status: u16, headers: &[(&str, &str)], body: String) -> ReplayEvent {
    let request = http::Request::builder()
        .uri("https://recorded.example.com/")
        .body(SdkBody::empty())
        .expect("request");
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    ReplayEvent::new(
        request,
        response.body(SdkBody::from(body)).expect("response"),
    )
}

fn json(status: u16, path: &str) -> ReplayEvent {
    event(
        status,
        &[("content-type", "application/x-amz-json-1.1")],
        fixture(path),
    )
}

fn xml(status: u16, path: &str) -> ReplayEvent {
    event(status, &[("content-type", "text/xml")], fixture(path))
}

/// The collector's own retry policy with a short first backoff, so the test is fast.
async fn config(http: &StaticReplayClient) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http.clone())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDREPLAY",
            "replay-secret",
            None,
            None,
            "replay",
        ))
        .retry_config(super::retry_config().with_initial_backoff(Duration::from_millis(1)))
        .load()
        .await
}

fn body(request: &aws_smithy_runtime_api::http::Request) -> String {
    String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned()
}

#[tokio::test]
async fn pagination_follows_next_token_through_an_empty_page() {
    let http = StaticReplayClient::new(vec![
        json(200, "organizations/describe-organization.json"),
        json(200, "organizations/list-roots.json"),
        json(200, "organizations/list-ous-empty.json"),
        json(200, "organizations/list-accounts-page1.json"),
        json(200, "organizations/list-accounts-page2-empty.json"),
        json(200, "organizations/list-accounts-page3.json"),
        json(200, "organizations/list-policies-empty.json"),
        json(200, "organizations/list-policies-empty.json"),
    ]);
    let client = aws_sdk_organizations::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let org = collect_organization(&client, &recorder, 2)
        .await
        .unwrap_or_else(|_| panic!("organization"));

    assert!(recorder.take().is_empty());
    let ids: Vec<&str> = org.accounts.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        ["111122223333", "444455556666"],
        "the account after the empty page is kept"
    );
    assert_eq!(org.accounts[1].state, "SUSPENDED");
    assert_eq!(org.accounts[1].ancestry, ["r-ab12", "444455556666"]);
    assert_eq!(org.roots[0].policy_types.len(), 2);
    assert_eq!(org.management_account_id, "111122223333");

    let requests: Vec<String> = http.actual_requests().map(body).collect();
    assert_eq!(requests.len(), 8);
    assert!(requests[4].contains("page-2-token"), "{}", requests[4]);
    assert!(requests[5].contains("page-3-token"), "{}", requests[5]);
}

#[tokio::test]
async fn a_member_account_caller_is_not_an_administrator() {
    let http = StaticReplayClient::new(vec![
        json(200, "organizations/describe-organization.json"),
        json(400, "organizations/access-denied.json"),
    ]);
    let client = aws_sdk_organizations::Client::new(&config(&http).await);
    let failure = collect_organization(&client, &Recorder::default(), 2).await;
    match failure {
        Err(OrgFailure::NotAdministrator {
            error,
            management_account_id,
        }) => {
            assert_eq!(error.code, "AccessDeniedException");
            assert_eq!(error.operation, "ListRoots");
            assert_eq!(management_account_id.as_deref(), Some("111122223333"));
        }
        other => panic!("expected NotAdministrator, got {other:?}"),
    }
}

#[tokio::test]
async fn an_account_outside_any_organization_is_told_so() {
    let http = StaticReplayClient::new(vec![json(400, "organizations/not-in-use.json")]);
    let client = aws_sdk_organizations::Client::new(&config(&http).await);
    let failure = collect_organization(&client, &Recorder::default(), 2).await;
    assert!(
        matches!(failure, Err(OrgFailure::NotInOrganization)),
        "{failure:?}"
    );
    assert_eq!(
        http.actual_requests().count(),
        1,
        "nothing after the refusal"
    );
}

/// The one-line errors (and their help lines) a caller who cannot read the organization gets.
#[test]
fn callers_who_cannot_read_the_organization_get_one_clear_line() {
    let caller = |account: &str| Caller {
        account_id: account.to_owned(),
        arn: format!("arn:aws:sts::{account}:assumed-role/Auditor/alice"),
    };
    let denied = |management: Option<&str>| OrgFailure::NotAdministrator {
        error: CallSite::global(None, "organizations", "ListRoots")
            .error("AccessDeniedException", "You don't have permissions"),
        management_account_id: management.map(str::to_owned),
    };
    let cases = [
        (
            denied(Some("111122223333")),
            caller("444455556666"),
            "account 444455556666 is neither the organization's management account (111122223333) \
             nor a delegated administrator allowed to read it: organizations ListRoots failed with \
             AccessDeniedException",
            "delegated administrator",
        ),
        (
            denied(None),
            caller("444455556666"),
            "account 444455556666 is neither the organization's management account nor a \
             delegated administrator allowed to read it: organizations ListRoots failed with \
             AccessDeniedException",
            "delegated administrator",
        ),
        (
            denied(Some("111122223333")),
            caller("111122223333"),
            "arn:aws:sts::111122223333:assumed-role/Auditor/alice in the management account may \
             not read the organization: organizations ListRoots failed with AccessDeniedException",
            "docs/scanner-iam-policy.json",
        ),
        (
            OrgFailure::NotInOrganization,
            caller("999999999999"),
            "account 999999999999 is not a member of an AWS Organization",
            "management account",
        ),
    ];
    for (failure, caller, message, help) in cases {
        let failure = caller_failure(failure, &caller);
        assert_eq!(failure.to_string(), message);
        assert!(
            failure.help().is_some_and(|h| h.contains(help)),
            "{:?}",
            failure.help()
        );
    }
}

#[tokio::test]
async fn throttling_is_retried_then_succeeds_and_encoded_documents_are_decoded() {
    let http = StaticReplayClient::new(vec![
        xml(400, "iam/throttling.xml"),
        xml(200, "iam/list-saml-providers-empty.xml"),
        xml(200, "iam/gaad-encoded-role.xml"),
    ]);
    let client = aws_sdk_iam::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let iam = collect_iam(
        &client,
        "444455556666",
        &ManagedPolicyCache::default(),
        &recorder,
    )
    .await;

    assert_eq!(
        recorder.take(),
        vec![],
        "the throttled call succeeded on retry"
    );
    assert_eq!(http.actual_requests().count(), 3);
    assert_eq!(iam.roles.len(), 1);
    let role = &iam.roles[0];
    assert_eq!(
        role.trust.value()["Statement"][0]["Principal"]["Federated"],
        "arn:aws:iam::444455556666:saml-provider/Okta",
        "URL-encoded trust policy decoded"
    );
    assert_eq!(
        role.inline[0].document.value()["Statement"][0]["Action"],
        "connect:GetFederationToken"
    );
}

#[tokio::test]
async fn throttling_past_the_retries_is_recorded() {
    let events = (0..super::MAX_ATTEMPTS)
        .map(|_| xml(400, "iam/throttling.xml"))
        .chain([xml(200, "iam/gaad-encoded-role.xml")])
        .collect();
    let http = StaticReplayClient::new(events);
    let client = aws_sdk_iam::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let iam = collect_iam(
        &client,
        "444455556666",
        &ManagedPolicyCache::default(),
        &recorder,
    )
    .await;
    let errors = recorder.take();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, "Throttling");
    assert_eq!(errors[0].operation, "ListSAMLProviders");
    assert_eq!(errors[0].account_id.as_deref(), Some("444455556666"));
    assert_eq!(iam.roles.len(), 1, "the rest of the account is still read");
}

#[tokio::test]
async fn assume_role_access_denied_is_recorded_without_credentials() {
    let http = StaticReplayClient::new(vec![xml(403, "sts/assume-role-access-denied.xml")]);
    let config = config(&http).await;
    let client = aws_sdk_sts::Client::new(&config);
    let error = assume_role(
        &client,
        &config,
        "444455556666",
        "OrganizationAccountAccessRole",
        None,
    )
    .await
    .err()
    .unwrap_or_else(|| panic!("expected an error"));
    assert_eq!(error.code, "AccessDenied");
    assert_eq!(error.service, "sts");
    assert_eq!(error.operation, "AssumeRole");
    assert_eq!(error.account_id.as_deref(), Some("444455556666"));
    assert!(
        error.message.contains("OrganizationAccountAccessRole"),
        "{}",
        error.message
    );
    assert!(!error.message.contains("AKIDREPLAY") && !error.message.contains("replay-secret"));
    // The request went out with the session name the member CloudTrail shows.
    let sent = body(
        http.actual_requests()
            .next()
            .unwrap_or_else(|| panic!("no request")),
    );
    assert!(sent.contains("RoleSessionName=connect-guard"), "{sent}");
}

/// Connect in `region` of one account, with HTTP answered by `events`: the replay client (to
/// inspect the requests), the outcome and the gaps recorded.
async fn read_region(
    region: &str,
    events: Vec<ReplayEvent>,
) -> (StaticReplayClient, RegionOutcome, Vec<CollectionError>) {
    let http = StaticReplayClient::new(events);
    let client = aws_sdk_connect::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let outcome = collect_region(
        &client,
        "444455556666",
        region,
        &Semaphore::new(1),
        &recorder,
    )
    .await;
    (http, outcome, recorder.take())
}

/// The region an outcome read; panics on any other outcome.
fn read(outcome: RegionOutcome) -> ConnectRegion {
    match outcome {
        RegionOutcome::Read(region) => region,
        other => panic!("expected Read, got {other:?}"),
    }
}

fn unrecognized_client() -> ReplayEvent {
    event(
        403,
        &[
            ("x-amzn-errortype", "UnrecognizedClientException"),
            ("content-type", "application/json"),
        ],
        fixture("connect/unrecognized-client.json"),
    )
}

#[tokio::test]
async fn an_opt_in_region_not_enabled_is_skipped_not_an_error() {
    let (_, outcome, errors) = read_region("af-south-1", vec![unrecognized_client()]).await;
    assert!(
        matches!(outcome, RegionOutcome::NotEnabled(_)),
        "{outcome:?}"
    );
    assert!(errors.is_empty());
}

#[tokio::test]
async fn a_refused_or_unsupported_region_is_recorded() {
    // The same refusal in a region that is not opt-in is a gap.
    let (_, refused, mut errors) = read_region("ca-central-1", vec![unrecognized_client()]).await;
    // An endpoint that does not implement the operation answers an HTML 404.
    let (_, unsupported, unsupported_errors) = read_region(
        "ap-northeast-3",
        vec![event(
            404,
            &[("content-type", "text/html")],
            fixture("connect/not-found.html"),
        )],
    )
    .await;
    errors.extend(unsupported_errors);
    assert!(matches!(refused, RegionOutcome::Failed));
    assert!(matches!(unsupported, RegionOutcome::Failed));
    let codes: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.region.as_deref().unwrap_or(""), e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("ca-central-1", "UnrecognizedClientException"),
            ("ap-northeast-3", "UnsupportedOperation")
        ]
    );
    assert!(
        errors
            .iter()
            .all(|e| e.service == "connect" && e.operation == "ListInstances")
    );
}

#[tokio::test]
async fn an_empty_region_is_read_as_no_instances() {
    let (_, outcome, _) = read_region(
        "us-east-1",
        vec![json(200, "connect/list-instances-empty.json")],
    )
    .await;
    assert!(read(outcome).instances.is_empty());
}

/// The operation behind each Connect request the replay client saw, from its REST path.
fn connect_operations(http: &StaticReplayClient) -> Vec<&'static str> {
    http.actual_requests()
        .map(|request| {
            let path = request.uri().split('?').next().unwrap_or_default();
            let path = path.split_once("://").map_or(path, |(_, rest)| {
                rest.find('/').map_or("", |slash| &rest[slash..])
            });
            match path.split('/').collect::<Vec<_>>().as_slice() {
                ["", "instance"] => "ListInstances",
                ["", "instance", _] => "DescribeInstance",
                ["", "instance", _, "attributes"] => "ListInstanceAttributes",
                ["", "traffic-distribution-groups"] => "ListTrafficDistributionGroups",
                ["", "traffic-distribution", _] => "GetTrafficDistribution",
                ["", "tags", ..] => "ListTagsForResource",
                _ => panic!("unexpected Connect request {path}"),
            }
        })
        .collect()
}

/// Collects us-east-1 of one account whose single instance is answered by `details`, with
/// no gap recorded.
async fn one_instance_region(details: Vec<ReplayEvent>) -> (StaticReplayClient, ConnectRegion) {
    let mut events = vec![json(200, "connect/list-instances-one.json")];
    events.extend(details);
    let (http, outcome, errors) = read_region("us-east-1", events).await;
    assert!(errors.is_empty(), "{errors:?}");
    (http, read(outcome))
}

#[tokio::test]
async fn a_tagged_instance_that_is_not_replicated_needs_no_further_calls() {
    // DescribeInstance carries the tags and no ReplicationConfiguration: no traffic
    // distribution group can exist, and the tags need no call of their own.
    let (http, region) = one_instance_region(vec![
        json(200, "connect/describe-instance-tagged.json"),
        json(200, "connect/list-instance-attributes.json"),
    ])
    .await;
    assert_eq!(
        connect_operations(&http),
        [
            "ListInstances",
            "DescribeInstance",
            "ListInstanceAttributes"
        ]
    );
    let instance = &region.instances[0];
    assert_eq!(
        instance.tags.get("Environment").map(String::as_str),
        Some("uat")
    );
    assert_eq!(
        instance
            .attributes
            .get("CONTACTFLOW_LOGS")
            .map(String::as_str),
        Some("true")
    );
    assert!(instance.replication.is_none());
    assert!(instance.traffic_distribution_groups.is_empty());
}

#[tokio::test]
async fn tags_missing_from_describe_instance_are_listed() {
    let (http, region) = one_instance_region(vec![
        json(200, "connect/describe-instance-untagged.json"),
        json(200, "connect/list-instance-attributes.json"),
        json(200, "connect/list-tags.json"),
    ])
    .await;
    assert_eq!(
        connect_operations(&http),
        [
            "ListInstances",
            "DescribeInstance",
            "ListInstanceAttributes",
            "ListTagsForResource"
        ]
    );
    assert_eq!(
        region.instances[0]
            .tags
            .get("Environment")
            .map(String::as_str),
        Some("uat")
    );
}

#[tokio::test]
async fn a_replicated_instance_has_its_traffic_distribution_read() {
    let (http, region) = one_instance_region(vec![
        json(200, "connect/describe-instance-replicated.json"),
        json(200, "connect/list-instance-attributes.json"),
        json(200, "connect/list-traffic-distribution-groups.json"),
        json(200, "connect/get-traffic-distribution.json"),
    ])
    .await;
    assert_eq!(
        connect_operations(&http),
        [
            "ListInstances",
            "DescribeInstance",
            "ListInstanceAttributes",
            "ListTrafficDistributionGroups",
            "GetTrafficDistribution"
        ]
    );
    let instance = &region.instances[0];
    let replication = instance.replication.as_ref().expect("replication");
    assert_eq!(replication.source_region, "us-east-1");
    let [group] = instance.traffic_distribution_groups.as_slice() else {
        panic!("one group: {:?}", instance.traffic_distribution_groups);
    };
    assert!(group.is_default);
    let sign_in: Vec<(&str, bool)> = group
        .distribution
        .sign_in
        .iter()
        .map(|d| (d.region.as_str(), d.enabled))
        .collect();
    assert_eq!(sign_in, [("us-east-1", true), ("us-west-2", false)]);
}

#[tokio::test]
async fn an_instance_that_cannot_be_described_still_has_its_groups_looked_for() {
    // Whether it is replicated is unknown, so the traffic distribution is not skipped.
    let (http, outcome, errors) = read_region(
        "us-east-1",
        vec![
            json(200, "connect/list-instances-one.json"),
            event(
                403,
                &[
                    ("x-amzn-errortype", "AccessDeniedException"),
                    ("content-type", "application/json"),
                ],
                r#"{"message":"not authorized"}"#.to_owned(),
            ),
            json(200, "connect/list-instance-attributes.json"),
            json(200, "connect/list-traffic-distribution-groups.json"),
            json(200, "connect/get-traffic-distribution.json"),
            json(200, "connect/list-tags.json"),
        ],
    )
    .await;
    let region = read(outcome);
    assert_eq!(region.instances[0].traffic_distribution_groups.len(), 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].operation, "DescribeInstance");
    assert_eq!(errors[0].code, "AccessDeniedException");
    assert_eq!(
        connect_operations(&http),
        [
            "ListInstances",
            "DescribeInstance",
            "ListInstanceAttributes",
            "ListTrafficDistributionGroups",
            "GetTrafficDistribution",
            "ListTagsForResource"
        ]
    );
}

/// Half of a recorded body, as a connection cut mid-response (or a proxy that rewrote the
/// length) delivers it.
fn truncated(path: &str) -> ReplayEvent {
    let body = fixture(path);
    let cut = body.len() / 2;
    event(200, &[("content-type", "text/xml")], body[..cut].to_owned())
}

/// An account's IAM read through the collector's own IAM client from recorded `events`.
async fn read_iam(
    events: Vec<ReplayEvent>,
) -> (
    StaticReplayClient,
    crate::snapshot::Iam,
    Vec<CollectionError>,
) {
    let http = StaticReplayClient::new(events);
    let client = super::iam_client(&config(&http).await, &super::calls::CallCounter::default());
    let recorder = Recorder::default();
    let iam = collect_iam(
        &client,
        "444455556666",
        &ManagedPolicyCache::default(),
        &recorder,
    )
    .await;
    (http, iam, recorder.take())
}

#[tokio::test]
async fn a_truncated_response_is_retried_and_the_complete_one_used() {
    let (http, iam, errors) = read_iam(vec![
        xml(200, "iam/list-saml-providers-empty.xml"),
        truncated("iam/gaad-encoded-role.xml"),
        xml(200, "iam/gaad-encoded-role.xml"),
    ])
    .await;
    assert_eq!(errors, vec![]);
    assert_eq!(
        http.actual_requests().count(),
        3,
        "the cut answer was asked again"
    );
    assert_eq!(iam.roles.len(), 1);
}

#[tokio::test]
async fn a_response_that_stays_truncated_is_a_collection_error_not_data() {
    // A ListSAMLProviders answer cut inside its second provider would otherwise read as a
    // provider list with a phantom entry.
    let providers = "<ListSAMLProvidersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListSAMLProvidersResult><SAMLProviderList><member><Arn>arn:aws:iam::444455556666:saml-provider/Okta</Arn><ValidUntil>2030-01-01T00:00:00Z</ValidUntil><CreateDate>2024-01-01T00:00:00Z</CreateDate></member><member><Arn>arn:aws:iam::444455556666:saml-provider/Ent";
    let events = (0..super::MAX_ATTEMPTS)
        .map(|_| event(200, &[("content-type", "text/xml")], providers.to_owned()))
        .chain((0..super::MAX_ATTEMPTS).map(|_| truncated("iam/gaad-encoded-role.xml")))
        .collect();
    let (_, iam, errors) = read_iam(events).await;
    let operations: Vec<&str> = errors.iter().map(|e| e.operation.as_str()).collect();
    assert_eq!(
        operations,
        ["ListSAMLProviders", "GetAccountAuthorizationDetails"],
        "{errors:?}"
    );
    assert!(
        errors[0].message.contains("not a complete XML document"),
        "{errors:?}"
    );
    assert!(iam.saml_providers.is_empty(), "no phantom provider");
    assert!(iam.roles.is_empty(), "no half-read roles");
}

fn provisioning_user() -> crate::snapshot::User {
    serde_json::from_value(serde_json::json!({
        "name": "okta-provisioning", "id": "AIDAEXAMPLE",
        "arn": "arn:aws:iam::444455556666:user/okta-provisioning"
    }))
    .expect("user")
}

#[tokio::test]
async fn a_refused_credential_report_falls_back_to_reading_each_user() {
    let http = StaticReplayClient::new(vec![
        xml(403, "iam/generate-credential-report-denied.xml"),
        xml(200, "iam/list-access-keys.xml"),
        xml(200, "iam/get-access-key-last-used.xml"),
        xml(404, "iam/get-login-profile-none.xml"),
    ]);
    let client = aws_sdk_iam::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let mut users = vec![provisioning_user()];
    super::credentials::apply_credential_report(&client, "444455556666", &mut users, &recorder)
        .await;

    assert_eq!(recorder.take(), vec![], "the fallback read everything");
    let actions: Vec<String> = http
        .actual_requests()
        .map(|r| {
            body(r)
                .split('&')
                .find_map(|p| p.strip_prefix("Action=").map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        actions,
        [
            "GenerateCredentialReport",
            "ListAccessKeys",
            "GetAccessKeyLastUsed",
            "GetLoginProfile"
        ]
    );
    let user = &users[0];
    assert_eq!(user.password_enabled, Some(false));
    assert_eq!(user.access_keys.len(), 1);
    let key = &user.access_keys[0];
    assert_eq!(key.status, "Active");
    assert_eq!(
        key.created,
        Some(crate::demo::build::at(2025, 9, 4) + chrono::Duration::hours(10))
    );
    assert_eq!(key.last_used_service.as_deref(), Some("connect"));
    let stored = serde_json::to_string(user).expect("serializes");
    assert!(!stored.contains("AKIA"), "key ids are dropped: {stored}");
}

#[tokio::test]
async fn a_user_unreadable_both_ways_is_recorded_with_both_refusals() {
    let http = StaticReplayClient::new(vec![
        xml(403, "iam/generate-credential-report-denied.xml"),
        xml(403, "iam/list-access-keys-denied.xml"),
    ]);
    let client = aws_sdk_iam::Client::new(&config(&http).await);
    let recorder = Recorder::default();
    let mut users = vec![provisioning_user()];
    super::credentials::apply_credential_report(&client, "444455556666", &mut users, &recorder)
        .await;

    let errors = recorder.take();
    let operations: Vec<&str> = errors.iter().map(|e| e.operation.as_str()).collect();
    assert_eq!(operations, ["GenerateCredentialReport", "ListAccessKeys"]);
    assert!(
        errors.iter().all(|e| e.code == "AccessDenied"),
        "{errors:?}"
    );
    assert_eq!(users[0].password_enabled, None, "unknown, not none");
    assert!(users[0].access_keys.is_empty());
}
