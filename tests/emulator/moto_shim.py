#!/usr/bin/env python3
"""moto server with the small, documented patches connect-guard's end-to-end tests need.

moto is imported and patched in memory; nothing on disk is modified, and connect-guard itself
is never mocked: it talks to this server through the real AWS SDK for Rust, pointed here with
AWS_ENDPOINT_URL. See DOMAIN.md §6 for the measured moto gaps these patches fill.

Patches (each closes a gap between moto 5.2.5 and AWS):

1. Connect ``CreatedTime`` is serialized as epoch seconds, as AWS does. moto sends an ISO-8601
   string, which the Rust SDK (correctly) refuses to parse as a timestamp.
2. Connect ``ListInstanceAttributes`` and ``UpdateInstanceAttribute``: attributes of a fresh
   instance (``INBOUND_CALLS`` / ``OUTBOUND_CALLS`` follow the create flags, the rest false),
   stored per instance so the seed can turn on ``CONTACTFLOW_LOGS``.
3. Connect Global Resiliency, which moto lacks entirely, so that the collector's
   ``ListTrafficDistributionGroups`` + ``GetTrafficDistribution`` path (the sign-in
   configuration) runs end to end. ``ReplicateInstance`` creates the replica (same instance id,
   as in AWS) and the default traffic distribution group in the source region, with every
   region enabled for sign-in; ``DescribeInstance`` then carries ``ReplicationConfiguration``;
   ``UpdateTrafficDistribution`` lets the seed change the distribution;
   ``ListTrafficDistributionGroups`` lists the groups of an instance (an empty list for one
   that is not replicated, as AWS answers) and ``GetTrafficDistribution`` answers a group's
   distribution or ``ResourceNotFoundException``.
4. Organizations read calls from a member account answer ``AccessDeniedException``, as AWS
   does, unless the account is a registered delegated administrator, which is served the
   management account's organization (AWS gives delegated administrators read access to the
   organization). moto answers members from their own empty backend (or, for ListRoots, from
   the management account's). ``DescribeOrganization`` stays allowed, as in AWS.
5. IAM AWS-managed policies: moto loads either none (``AttachRolePolicy`` of
   ``arn:aws:iam::aws:policy/...`` then fails with ``NoSuchEntity``) or all 1,485 of them,
   parsed again for every account backend, which makes a 200-account benchmark crawl. The shim
   loads only ``AWS_MANAGED_POLICIES``, parsed once, so the seed can attach them and the
   collector's once-per-scan ``GetPolicy`` + ``GetPolicyVersion`` fetch runs.
6. Faults, for the fault tests:
   - ``AssumeRole`` into an account tagged ``connect-guard-emulator=no-scanner-role`` fails
     with ``AccessDenied`` (moto's AssumeRole checks nothing, so a missing role cannot be
     simulated otherwise);
   - ``GenerateCredentialReport`` in an account tagged
     ``connect-guard-emulator=no-credential-report`` fails with ``AccessDenied``, as an SCP
     denying it would make it, so the collector's per-user fallback runs;
   - Connect calls signed for a region in ``CG_SHIM_REFUSED_REGIONS`` (comma-separated,
     default ``af-south-1,ca-central-1``) fail with ``UnrecognizedClientException``, which is
     how AWS answers in an opt-in region the account has not enabled.
7. HTTP/1.1 keep-alive, as AWS endpoints offer and the SDK uses. moto's server (werkzeug's
   development server) closes the connection after every response, so each API call would
   cost connect-guard a new TCP connection (socket, connect, shutdown, close: most of its
   system time in the collector benchmark) that it never pays against AWS. Request bodies are
   read up front and werkzeug's post-response drain is skipped, the two things werkzeug's
   comments name as the obstacles to keep-alive (neither the Rust SDK nor boto3 sends chunked
   requests to these services). ``CG_SHIM_CONNECTION_CLOSE=1`` restores werkzeug's behaviour.
8. An IdP metadata endpoint, standing in for the ``MetadataURL`` of a Cognito SAML provider
   (which AWS never serves): ``PUT /_idp-metadata/<name>`` stores a document, ``GET`` returns
   it, so ``--fetch-saml-metadata-urls`` can be tested without leaving loopback.

Usage: moto_shim.py [--port PORT] [--port-file FILE]
With port 0 (the default) a free loopback port is chosen; it is printed and, with
--port-file, written to FILE once the server is about to accept connections.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import socket
import sys
import uuid
from typing import Any
from urllib.parse import unquote

from moto.connect import models as connect_models
from moto.connect import responses as connect_responses
from moto.connect import urls as connect_urls
from moto.connect.exceptions import ResourceNotFoundException
from moto.core.exceptions import JsonRESTError
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.iam.exceptions import IAMException
from moto.iam.models import AWSManagedPolicy, IAMBackend
from moto.iam.responses import IamResponse
from moto.organizations import responses as org_responses
from moto.organizations.models import organizations_backends
from moto.sts import responses as sts_responses
from moto.sts.exceptions import STSClientError

NO_ROLE_TAG = ("connect-guard-emulator", "no-scanner-role")
NO_CREDENTIAL_REPORT_TAG = ("connect-guard-emulator", "no-credential-report")
REFUSED_REGIONS = {
    r.strip()
    for r in os.environ.get("CG_SHIM_REFUSED_REGIONS", "af-south-1,ca-central-1").split(",")
    if r.strip()
}

ATTRIBUTE_TYPES = [
    "INBOUND_CALLS",
    "OUTBOUND_CALLS",
    "CONTACTFLOW_LOGS",
    "CONTACT_LENS",
    "AUTO_RESOLVE_BEST_VOICES",
    "USE_CUSTOM_TTS_VOICES",
    "EARLY_MEDIA",
    "MULTI_PARTY_CONFERENCE",
    "HIGH_VOLUME_OUTBOUND",
    "ENHANCED_CONTACT_MONITORING",
    "ENHANCED_CHAT_MONITORING",
    "MULTI_PARTY_CHAT_CONFERENCE",
]


# 1. CreatedTime as epoch seconds -------------------------------------------------------------

_to_dict = connect_models.Instance.to_dict
_to_summary_dict = connect_models.Instance.to_summary_dict


def _epoch(instance: Any, result: dict[str, Any]) -> dict[str, Any]:
    result["CreatedTime"] = instance.created_time.timestamp()
    return result


connect_models.Instance.to_dict = lambda self: _epoch(self, _to_dict(self))  # type: ignore[method-assign]
connect_models.Instance.to_summary_dict = lambda self: _epoch(self, _to_summary_dict(self))  # type: ignore[method-assign]


# 2. Instance attributes --------------------------------------------------------------------------


def _attributes(instance: Any) -> dict[str, str]:
    if not hasattr(instance, "cg_attributes"):
        instance.cg_attributes = {t: "false" for t in ATTRIBUTE_TYPES}
        instance.cg_attributes["INBOUND_CALLS"] = str(bool(instance.inbound_calls_enabled)).lower()
        instance.cg_attributes["OUTBOUND_CALLS"] = str(bool(instance.outbound_calls_enabled)).lower()
    return instance.cg_attributes


def list_instance_attributes(self: Any) -> str:
    instance = self.connect_backend._get_instance_or_raise(self._get_instance_id())
    attributes = [{"AttributeType": k, "Value": v} for k, v in _attributes(instance).items()]
    # AWS pages at most 7 attributes; page the same way so the collector's paginator is used.
    start = int(self._get_param("nextToken") or 0)
    page = attributes[start : start + 7]
    response: dict[str, Any] = {"Attributes": page}
    if start + 7 < len(attributes):
        response["NextToken"] = str(start + 7)
    return json.dumps(response)


def update_instance_attribute(self: Any) -> str:
    instance = self.connect_backend._get_instance_or_raise(self._get_instance_id())
    attribute_type = self._get_param("AttributeType")
    params = json.loads(self.body) if self.body else {}
    _attributes(instance)[attribute_type] = str(params.get("Value", "false")).lower()
    return "{}"


# 3. Global Resiliency: replicas and traffic distribution groups ---------------------------------


def _groups(backend: Any) -> dict[str, dict[str, Any]]:
    """Traffic distribution groups of one account and region: id -> summary + distribution."""
    if not hasattr(backend, "cg_groups"):
        backend.cg_groups = {}
    return backend.cg_groups


def _group_or_raise(self: Any) -> dict[str, Any]:
    group_id = unquote(self._get_param("Id") or "").rsplit("/", 1)[-1]  # an id or an ARN
    if group_id not in _groups(self.connect_backend):
        raise ResourceNotFoundException(f"traffic distribution group {group_id} not found")
    return _groups(self.connect_backend)[group_id]


def replicate_instance(self: Any) -> str:
    source = self.connect_backend._get_instance_or_raise(self._get_instance_id())
    params = json.loads(self.body) if self.body else {}
    account, regions = self.current_account, [self.region, params["ReplicaRegion"]]
    replica = connect_models.Instance(
        source.identity_management_type,
        source.inbound_calls_enabled,
        source.outbound_calls_enabled,
        account,
        regions[1],
        params.get("ReplicaAlias"),
        dict(source.tags),
    )
    replica.id, replica.arn = source.id, source.arn.replace(f":{regions[0]}:", f":{regions[1]}:")
    replica.cg_attributes = dict(_attributes(source))
    connect_models.connect_backends[account][regions[1]].instances[replica.id] = replica
    source.cg_replication = replica.cg_replication = {
        "SourceRegion": regions[0],
        "GlobalSignInEndpoint": f"https://{source.id}.{regions[0]}.sign-in.connect.aws",
        "ReplicationStatusSummaryList": [
            {"Region": r, "ReplicationStatus": "INSTANCE_REPLICATION_COMPLETE"} for r in regions
        ],
    }
    group_id = str(uuid.uuid4())
    _groups(self.connect_backend)[group_id] = {
        "Id": group_id,
        "Arn": f"arn:aws:connect:{regions[0]}:{account}:traffic-distribution-group/{group_id}",
        "Name": f"{source.instance_alias}-default",
        "InstanceArn": source.arn,
        "Status": "ACTIVE",
        "IsDefault": True,
        "distribution": {
            "TelephonyConfig": {"Distributions": [{"Region": r, "Percentage": 100 - 100 * i} for i, r in enumerate(regions)]},
            "SignInConfig": {"Distributions": [{"Region": r, "Enabled": True} for r in regions]},
            "AgentConfig": {"Distributions": [{"Region": r, "Percentage": 100 - 100 * i} for i, r in enumerate(regions)]},
        },
    }
    return json.dumps({"Id": replica.id, "Arn": replica.arn})


_describe_instance = connect_responses.ConnectResponse.describe_instance


def describe_instance(self: Any) -> str:
    response = json.loads(_describe_instance(self))
    instance = self.connect_backend._get_instance_or_raise(self._get_instance_id())
    if hasattr(instance, "cg_replication"):
        response["ReplicationConfiguration"] = instance.cg_replication
    return json.dumps(response)


def list_traffic_distribution_groups(self: Any) -> str:
    instance_id = unquote(self._get_param("instanceId") or "").rsplit("/", 1)[-1]
    groups = [
        {k: v for k, v in g.items() if k != "distribution"}
        for g in _groups(self.connect_backend).values()
        if not instance_id or g["InstanceArn"].endswith(f"/{instance_id}")
    ]
    return json.dumps({"TrafficDistributionGroupSummaryList": groups})


def get_traffic_distribution(self: Any) -> str:
    group = _group_or_raise(self)
    return json.dumps({"Id": group["Id"], "Arn": group["Arn"], **group["distribution"]})


def update_traffic_distribution(self: Any) -> str:
    group = _group_or_raise(self)
    params = json.loads(self.body) if self.body else {}
    for key in ("TelephonyConfig", "SignInConfig", "AgentConfig"):
        if key in params:
            group["distribution"][key] = params[key]
    return "{}"


for _handler in (
    list_instance_attributes,
    update_instance_attribute,
    replicate_instance,
    describe_instance,
    list_traffic_distribution_groups,
    get_traffic_distribution,
    update_traffic_distribution,
):
    setattr(connect_responses.ConnectResponse, _handler.__name__, _handler)
_dispatch = connect_responses.ConnectResponse.dispatch
connect_urls.url_paths.update(
    {
        "{0}/instance/(?P<InstanceId>[^/]+)/attributes$": _dispatch,
        "{0}/instance/(?P<InstanceId>[^/]+)/attribute/(?P<AttributeType>[^/]+)$": _dispatch,
        "{0}/instance/(?P<InstanceId>[^/]+)/replicate$": _dispatch,
        "{0}/traffic-distribution-groups$": _dispatch,
        "{0}/traffic-distribution/(?P<Id>[^/]+)$": _dispatch,
    }
)


# 4. Organizations reads from member accounts ----------------------------------------------------


class OrgAccessDenied(JsonRESTError):
    def __init__(self) -> None:
        super().__init__(
            "AccessDeniedException",
            "You don't have permissions to access this resource.",
        )


def _management_backend_for(account_id: str) -> Any:
    if account_id in organizations_backends.master_accounts:
        management, partition = organizations_backends.master_accounts[account_id]
        return organizations_backends[management][partition]
    return None


def _reader(response: Any) -> str | None:
    """The account whose organization backend answers a read call; ``None`` to refuse it."""
    if response.organizations_backend.org is not None:
        return response.current_account  # the management account
    management = _management_backend_for(response.current_account)
    if management is None:
        return response.current_account  # not in an organization: moto's own error applies
    if response.current_account in {a.account.id for a in management.admins}:
        return management.account_id  # a delegated administrator reads the real organization
    return None


def _guard(method: Any) -> Any:
    def guarded(self: Any) -> Any:
        reader = _reader(self)
        if reader is None:
            raise OrgAccessDenied()
        self.current_account = reader
        return method(self)

    guarded.__name__ = method.__name__
    return guarded


for _name in dir(org_responses.OrganizationsResponse):
    if (_name.startswith("list_") or _name.startswith("describe_")) and _name != "describe_organization":
        setattr(
            org_responses.OrganizationsResponse,
            _name,
            _guard(getattr(org_responses.OrganizationsResponse, _name)),
        )


# 5. A few AWS-managed policies -------------------------------------------------------------------

AWS_MANAGED_POLICIES = ("AmazonConnectReadOnlyAccess",)
_MANAGED_DATA = {
    name: data
    for name, data in json.loads(aws_managed_policies_data).items()
    if name in AWS_MANAGED_POLICIES
}


def _init_aws_policies(self: Any) -> list[Any]:
    return [
        AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data)
        for name, data in _MANAGED_DATA.items()
    ]


IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign]


# 6. Faults ---------------------------------------------------------------------------------------

_assume_role = sts_responses.TokenResponse.assume_role


def _account_tagged(account_id: str, tag: tuple[str, str]) -> bool:
    management = _management_backend_for(account_id)
    for account in getattr(management, "accounts", []):
        if account.id == account_id:
            return account.tags.get(tag[0]) == tag[1]
    return False


def _account_has_no_role(account_id: str) -> bool:
    return _account_tagged(account_id, NO_ROLE_TAG)


class CredentialReportDenied(IAMException):
    code = "AccessDenied"


_generate_credential_report = IamResponse.generate_credential_report


def generate_credential_report(self: Any) -> Any:
    if _account_tagged(self.current_account, NO_CREDENTIAL_REPORT_TAG):
        raise CredentialReportDenied(
            message=f"User: arn:aws:iam::{self.current_account}:root is not authorized to perform: "
            "iam:GenerateCredentialReport with an explicit deny in a service control policy"
        )
    return _generate_credential_report(self)


IamResponse.generate_credential_report = generate_credential_report  # type: ignore[method-assign]


def assume_role(self: Any) -> Any:
    role_arn = self._get_param("RoleArn") or ""
    match = re.match(r"arn:aws[\w-]*:iam::(\d{12}):role/", role_arn)
    if match and _account_has_no_role(match.group(1)):
        raise STSClientError(
            "AccessDenied",
            f"User: arn:aws:iam::{self.current_account}:root is not authorized to perform: "
            f"sts:AssumeRole on resource: {role_arn}",
        )
    return _assume_role(self)


sts_responses.TokenResponse.assume_role = assume_role  # type: ignore[method-assign]

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


class RefuseRegions:
    """WSGI middleware: Connect calls signed for a refused region fail authentication."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if scope and scope.group(2) == "connect" and scope.group(1) in REFUSED_REGIONS:
            body = json.dumps(
                {"message": "The security token included in the request is invalid."}
            ).encode()
            start_response(
                "403 Forbidden",
                [
                    ("Content-Type", "application/json"),
                    ("x-amzn-ErrorType", "UnrecognizedClientException"),
                    ("Content-Length", str(len(body))),
                ],
            )
            return [body]
        return self.app(environ, start_response)


# 8. IdP metadata endpoint ----------------------------------------------------------------------

METADATA_PREFIX = "/_idp-metadata/"


class IdpMetadata:
    """WSGI middleware: stores and serves SAML metadata documents under ``METADATA_PREFIX``."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.documents: dict[str, bytes] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(METADATA_PREFIX):
            return self.app(environ, start_response)
        name = path[len(METADATA_PREFIX):]
        if environ["REQUEST_METHOD"] == "PUT":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            self.documents[name] = environ["wsgi.input"].read(length)
            start_response("204 No Content", [("Content-Length", "0")])
            return [b""]
        body = self.documents.get(name)
        if body is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        start_response(
            "200 OK", [("Content-Type", "application/samlmetadata+xml"), ("Content-Length", str(len(body)))]
        )
        return [body]


# 7. Keep-alive ------------------------------------------------------------------------------------

KEEP_ALIVE = os.environ.get("CG_SHIM_CONNECTION_CLOSE") != "1"


class _NoDrainSelectors:
    """Stands in for the ``selectors`` module in werkzeug's serving code, which uses it only to
    discard, after every response, whatever the client has sent since (waiting 10 ms for it).
    On a kept-alive connection that would be the next request; with bodies read up front there
    is nothing else to discard."""

    class DefaultSelector:
        def register(self, *args: Any) -> None:
            pass

        def select(self, timeout: float | None = None) -> list[Any]:
            return []

        def close(self) -> None:
            pass


def keep_alive_handler(base: Any) -> Any:
    class KeepAliveRequestHandler(base):  # type: ignore[misc, valid-type]
        """werkzeug's handler, without the ``Connection: close`` it sends on every response."""

        # werkzeug writes the headers and the body separately; with Nagle's algorithm on a
        # kept-alive connection the body then waits for the client's delayed ACK (40 ms).
        disable_nagle_algorithm = True

        def make_environ(self) -> dict[str, Any]:
            environ = super().make_environ()
            # The whole body, read now: nothing of this request is left in the stream when
            # the next request line is read from the same connection.
            length = int(self.headers.get("Content-Length") or 0)
            environ["wsgi.input"] = io.BytesIO(self.rfile.read(length))
            return environ

        def send_header(self, keyword: str, value: str) -> None:
            if keyword.lower() != "connection":
                super().send_header(keyword, value)

    return KeepAliveRequestHandler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()

    from werkzeug import serving
    from werkzeug.serving import run_simple

    from moto.moto_server.threaded_moto_server import MotoRequestHandler  # type: ignore[attr-defined]
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    port = args.port
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    os.environ.setdefault("MOTO_PORT", str(port))
    app = IdpMetadata(RefuseRegions(DomainDispatcherApplication(create_backend_app)))
    print(f"moto shim listening on http://127.0.0.1:{port}", flush=True)
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write(str(port))
    handler = MotoRequestHandler
    if KEEP_ALIVE:
        serving.selectors = _NoDrainSelectors  # type: ignore[assignment]
        handler = keep_alive_handler(MotoRequestHandler)
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=handler)


if __name__ == "__main__":
    sys.exit(main())
