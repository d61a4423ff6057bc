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
3. Connect ``ListTrafficDistributionGroups`` answers an empty list (moto has no Global
   Resiliency; AWS answers an empty list for an instance that is not replicated) and
   ``GetTrafficDistribution`` answers ResourceNotFoundException.
4. Organizations read calls from a member account answer ``AccessDeniedException``, as AWS
   does, unless the account is a registered delegated administrator. moto answers them from
   the member's empty backend (or, for ListRoots, from the management account's).
   ``DescribeOrganization`` stays allowed, as in AWS.
5. Faults, for the fault tests:
   - ``AssumeRole`` into an account tagged ``connect-guard-emulator=no-scanner-role`` fails
     with ``AccessDenied`` (moto's AssumeRole checks nothing, so a missing role cannot be
     simulated otherwise);
   - Connect calls signed for a region in ``CG_SHIM_REFUSED_REGIONS`` (comma-separated,
     default ``af-south-1,ca-central-1``) fail with ``UnrecognizedClientException``, which is
     how AWS answers in an opt-in region the account has not enabled.

Usage: moto_shim.py [--port PORT] [--port-file FILE]
With port 0 (the default) a free loopback port is chosen; it is printed and, with
--port-file, written to FILE once the server is about to accept connections.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sys
from typing import Any

from moto.connect import models as connect_models
from moto.connect import responses as connect_responses
from moto.connect import urls as connect_urls
from moto.connect.exceptions import ResourceNotFoundException
from moto.core.exceptions import JsonRESTError
from moto.organizations import responses as org_responses
from moto.organizations.models import organizations_backends
from moto.sts import responses as sts_responses
from moto.sts.exceptions import STSClientError

NO_ROLE_TAG = ("connect-guard-emulator", "no-scanner-role")
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


# 2. and 3. Instance attributes and traffic distribution groups ---------------------------------


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


def list_traffic_distribution_groups(self: Any) -> str:
    return json.dumps({"TrafficDistributionGroupSummaryList": []})


def get_traffic_distribution(self: Any) -> str:
    raise ResourceNotFoundException("traffic distribution group not found")


connect_responses.ConnectResponse.list_instance_attributes = list_instance_attributes  # type: ignore[attr-defined]
connect_responses.ConnectResponse.update_instance_attribute = update_instance_attribute  # type: ignore[attr-defined]
connect_responses.ConnectResponse.list_traffic_distribution_groups = list_traffic_distribution_groups  # type: ignore[attr-defined]
connect_responses.ConnectResponse.get_traffic_distribution = get_traffic_distribution  # type: ignore[attr-defined]
_dispatch = connect_responses.ConnectResponse.dispatch
connect_urls.url_paths.update(
    {
        "{0}/instance/(?P<InstanceId>[^/]+)/attributes$": _dispatch,
        "{0}/instance/(?P<InstanceId>[^/]+)/attribute/(?P<AttributeType>[^/]+)$": _dispatch,
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


def _member_refused(response: Any) -> bool:
    own = response.organizations_backend
    if own.org is not None:
        return False  # the management account
    management = _management_backend_for(response.current_account)
    if management is None:
        return False  # not in an organization: moto's own error applies
    admins = {a.account.id for a in getattr(management, "admins", [])}
    return response.current_account not in admins


def _guard(method: Any) -> Any:
    def guarded(self: Any) -> Any:
        if _member_refused(self):
            raise OrgAccessDenied()
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


# 5. Faults ---------------------------------------------------------------------------------------

_assume_role = sts_responses.TokenResponse.assume_role


def _account_has_no_role(account_id: str) -> bool:
    management = _management_backend_for(account_id)
    for account in getattr(management, "accounts", []):
        if account.id == account_id:
            return account.tags.get(NO_ROLE_TAG[0]) == NO_ROLE_TAG[1]
    return False


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()

    from werkzeug.serving import run_simple

    from moto.moto_server.threaded_moto_server import MotoRequestHandler  # type: ignore[attr-defined]
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    port = args.port
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    os.environ.setdefault("MOTO_PORT", str(port))
    app = RefuseRegions(DomainDispatcherApplication(create_backend_app))
    print(f"moto shim listening on http://127.0.0.1:{port}", flush=True)
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:
            handle.write(str(port))
    run_simple("127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    sys.exit(main())
