#!/usr/bin/env python3
"""Seeds the moto shim with a multi-account organization for connect-guard's end-to-end tests.

The organization (management account 123456789012, the moto default, plus 7 members):

    Root                                   SCP DenyEmergencyAccessExceptBreakGlass, RCP
    ├── Workloads
    │   └── Contact Centers
    │       ├── Production                 SCP ProtectConnectInstances
    │       │   ├── cc-prod                SCP ProtectFederationRole (account level)
    │       │   └── cc-prod-eu
    │       └── Non-Production
    │           ├── cc-nonprod             delegated administrator (access-analyzer)
    │           └── cc-directory
    ├── Sandbox
    │   ├── sandbox
    │   └── no-role                        tagged: AssumeRole into it fails (shim fault)
    └── Suspended
        └── suspended                      closed: SUSPENDED
    management account                     a SAML instance (flagged: no SCP applies there)

SAML providers carry metadata built from the repository's demo certificates
(src/demo/certs/*.pem): valid ones, an expired one (okta-legacy) and a 1024-bit one. The
cc-prod SAML instance is replicated to us-west-2 (Global Resiliency) with sign-in enabled only
in us-east-1; cc-prod and cc-nonprod each have a ConnectAuditor role with the AWS-managed
AmazonConnectReadOnlyAccess attached (the collector fetches its document once per scan).

Usage: seed.py ENDPOINT_URL MANIFEST.json [--bench-accounts N]

Writes MANIFEST.json: what was seeded (account ids by name, instances, providers, roles,
managed policies) for the Rust test to assert against, plus moto's fake credentials of three
callers other than the management account: a plain member (not an administrator), the
delegated administrator, and an account outside any organization.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import urllib.request
from typing import Any

import boto3

ROOT = pathlib.Path(__file__).resolve().parents[2]
CERTS = ROOT / "src" / "demo" / "certs"
GLOBAL_AUD = "https://signin.aws.amazon.com/saml"
NO_ROLE_TAG = {"Key": "connect-guard-emulator", "Value": "no-scanner-role"}
CONNECT_READ_ONLY = "arn:aws:iam::aws:policy/AmazonConnectReadOnlyAccess"
DELEGATED_SERVICE = "access-analyzer.amazonaws.com"  # moto refuses connect.amazonaws.com
OUTSIDE_ACCOUNT = "999999999999"  # in no organization (moto's AssumeRole checks nothing)


def metadata_xml(entity_id: str, sso_url: str, *cert_names: str) -> str:
    """IdP metadata as Okta, Entra ID and IAM Identity Center publish it (as src/demo)."""
    descriptors = ""
    for name in cert_names:
        pem = (CERTS / f"{name}.pem").read_text(encoding="utf-8")
        body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
        descriptors += (
            '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>'
            f"{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}">'
        '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        f"{descriptors}"
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"
        '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{sso_url}"/>'
        "</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


class Seeder:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.base = boto3.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        self.org = self.client(self.base, "organizations")
        self.manifest: dict[str, Any] = {
            "accounts": {},
            "ous": {},
            "instances": [],
            "saml_providers": [],
            "roles": [],
            "users": [],
            "user_pools": [],
            "policies": {},
            "managed_policies": {},
            "faults": {},
        }

    def client(self, session: boto3.Session, service: str, region: str = "us-east-1") -> Any:
        return session.client(service, endpoint_url=self.endpoint, region_name=region)

    def assumed_session(self, role_arn: str, session_name: str) -> boto3.Session:
        creds = self.client(self.base, "sts").assume_role(
            RoleArn=role_arn, RoleSessionName=session_name
        )["Credentials"]
        return boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name="us-east-1",
        )

    def member_session(self, account_id: str, session_name: str = "seed") -> boto3.Session:
        role_arn = f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"
        return self.assumed_session(role_arn, session_name)

    @staticmethod
    def credentials(session: boto3.Session, account_id: str) -> dict[str, str]:
        creds = session.get_credentials()
        return {
            "account": account_id,
            "access_key_id": creds.access_key,
            "secret_access_key": creds.secret_key,
            "session_token": creds.token,
        }

    # Organization ---------------------------------------------------------------------------

    def organization(self) -> str:
        org = self.org.create_organization(FeatureSet="ALL")["Organization"]
        self.manifest["organization_id"] = org["Id"]
        self.manifest["management_account_id"] = org["MasterAccountId"]
        root = self.org.list_roots()["Roots"][0]["Id"]
        self.org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
        self.org.enable_policy_type(RootId=root, PolicyType="RESOURCE_CONTROL_POLICY")
        self.manifest["root_id"] = root
        return root

    def ou(self, parent: str, name: str) -> str:
        ou_id = self.org.create_organizational_unit(ParentId=parent, Name=name)[
            "OrganizationalUnit"
        ]["Id"]
        self.manifest["ous"][name] = ou_id
        return ou_id

    def account(self, root: str, parent: str, name: str, tags: list[dict[str, str]] | None = None) -> str:
        status = self.org.create_account(
            Email=f"{name}@example.com", AccountName=name, Tags=tags or []
        )["CreateAccountStatus"]
        account_id = status["AccountId"]
        self.org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        self.manifest["accounts"][name] = account_id
        return account_id

    def scp(self, name: str, target: str, document: str, kind: str = "SERVICE_CONTROL_POLICY") -> None:
        policy_id = self.org.create_policy(
            Content=document, Description=name, Name=name, Type=kind,
            Tags=[{"Key": "owner", "Value": "security"}],
        )["Policy"]["PolicySummary"]["Id"]
        self.org.attach_policy(PolicyId=policy_id, TargetId=target)
        self.manifest["policies"][name] = {"id": policy_id, "target": target, "type": kind}

    # Member resources -----------------------------------------------------------------------

    def saml_provider(self, session: boto3.Session, account_id: str, name: str, *certs: str) -> str:
        iam = self.client(session, "iam")
        arn = iam.create_saml_provider(
            Name=name,
            SAMLMetadataDocument=metadata_xml(
                f"http://www.{name.lower()}.example.com/exk{name.lower()}",
                f"https://{name.lower()}.example.com/app/amazon_aws/sso/saml",
                *certs,
            ),
        )["SAMLProviderArn"]
        self.manifest["saml_providers"].append(
            {"account": account_id, "name": name, "arn": arn, "certs": list(certs)}
        )
        return arn

    def role(
        self,
        session: boto3.Session,
        account_id: str,
        name: str,
        trust: str,
        inline: dict[str, str],
        kind: str,
        managed: tuple[str, ...] = (),
    ) -> str:
        iam = self.client(session, "iam")
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
        for policy_name, document in inline.items():
            iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=document)
        for policy_arn in managed:
            iam.attach_role_policy(RoleName=name, PolicyArn=policy_arn)
            if policy_arn not in self.manifest["managed_policies"]:
                # The document as the emulator serves it, for the test to compare with.
                version = iam.get_policy(PolicyArn=policy_arn)["Policy"]["DefaultVersionId"]
                self.manifest["managed_policies"][policy_arn] = iam.get_policy_version(
                    PolicyArn=policy_arn, VersionId=version
                )["PolicyVersion"]["Document"]
        self.manifest["roles"].append(
            {"account": account_id, "name": name, "arn": arn, "kind": kind, "managed": list(managed)}
        )
        return arn

    def provisioning_user(self, session: boto3.Session, account_id: str, instance_arn: str) -> None:
        """The IAM user an IdP's provisioning integration uses: an inline policy on the
        instance, a group policy, one access key and a console password."""
        iam = self.client(session, "iam")
        name = "okta-provisioning"
        arn = iam.create_user(UserName=name)["User"]["Arn"]
        iam.put_user_policy(
            UserName=name,
            PolicyName="connect-provisioning",
            PolicyDocument=policy(
                {"Effect": "Allow", "Action": ["connect:CreateUser", "connect:DeleteUser"],
                 "Resource": [instance_arn, f"{instance_arn}/*"]}
            ),
        )
        iam.create_group(GroupName="integrations")
        iam.put_group_policy(
            GroupName="integrations",
            PolicyName="describe",
            PolicyDocument=policy({"Effect": "Allow", "Action": "connect:Describe*", "Resource": "*"}),
        )
        iam.add_user_to_group(GroupName="integrations", UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]["AccessKeyId"]
        iam.create_login_profile(UserName=name, Password="Not-a-real-password-1")
        self.manifest["users"].append(
            {"account": account_id, "name": name, "arn": arn, "group": "integrations", "key_created": True,
             # Recorded to prove the snapshot does not carry it: keys are known by their place.
             "access_key_id": key}
        )

    def user_pool(
        self,
        session: boto3.Session,
        account_id: str,
        region: str,
        name: str,
        deletion_protection: str,
        saml: dict[str, str] | None,
    ) -> str:
        """A Cognito user pool; with ``saml``, a SAML identity provider of those details and an
        OIDC provider whose client secret must never reach a snapshot."""
        cognito = self.client(session, "cognito-idp", region)
        pool = cognito.create_user_pool(PoolName=name, DeletionProtection=deletion_protection)["UserPool"]
        providers = []
        if saml is not None:
            cognito.create_identity_provider(
                UserPoolId=pool["Id"], ProviderName="Okta", ProviderType="SAML", ProviderDetails=saml
            )
            cognito.create_identity_provider(
                UserPoolId=pool["Id"],
                ProviderName="Partner",
                ProviderType="OIDC",
                ProviderDetails={
                    "client_id": "partner-client",
                    "client_secret": "oidc-client-secret-never-stored",
                    "authorize_scopes": "openid",
                    "oidc_issuer": "https://partner.example.com",
                    "attributes_request_method": "GET",
                },
            )
            providers = ["Okta", "Partner"]
        self.manifest["user_pools"].append(
            {"account": account_id, "region": region, "id": pool["Id"], "name": name,
             "deletion_protection": deletion_protection, "providers": providers, "saml": saml}
        )
        return pool["Id"]

    def auditor(self, session: boto3.Session, account_id: str) -> None:
        """A read-only role for the contact-center team, with the AWS-managed policy."""
        trust = policy(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{self.manifest['management_account_id']}:root"},
                "Action": "sts:AssumeRole",
            }
        )
        self.role(session, account_id, "ConnectAuditor", trust, {}, "auditor", (CONNECT_READ_ONLY,))

    def replicate(
        self, session: boto3.Session, account_id: str, instance_id: str, region: str, replica: str
    ) -> None:
        """Global Resiliency: a replica and a sign-in distribution that leaves it disabled."""
        connect = self.client(session, "connect", region)
        source = next(i for i in self.manifest["instances"] if i["id"] == instance_id)
        connect.replicate_instance(
            InstanceId=instance_id, ReplicaRegion=replica, ReplicaAlias=f"{source['alias']}-replica"
        )
        group = connect.list_traffic_distribution_groups(InstanceId=instance_id)[
            "TrafficDistributionGroupSummaryList"
        ][0]
        sign_in = [{"Region": region, "Enabled": True}, {"Region": replica, "Enabled": False}]
        connect.update_traffic_distribution(Id=group["Id"], SignInConfig={"Distributions": sign_in})
        self.manifest["instances"].append(
            {**source, "region": replica, "alias": f"{source['alias']}-replica", "replica_of": region}
        )
        source["replica_region"] = replica
        source["traffic_distribution_group"] = {"id": group["Id"], "sign_in": sign_in}

    def instance(
        self,
        session: boto3.Session,
        account_id: str,
        region: str,
        alias: str,
        identity: str,
        tags: dict[str, str] | None = None,
        flow_logs: bool = True,
    ) -> str:
        connect = self.client(session, "connect", region)
        kwargs: dict[str, Any] = {
            "IdentityManagementType": identity,
            "InstanceAlias": alias,
            "InboundCallsEnabled": True,
            "OutboundCallsEnabled": True,
        }
        if identity == "EXISTING_DIRECTORY":
            kwargs["DirectoryId"] = "d-1234567890"
        if tags:
            kwargs["Tags"] = tags
        instance_id = connect.create_instance(**kwargs)["Id"]
        if flow_logs:
            connect.update_instance_attribute(
                InstanceId=instance_id, AttributeType="CONTACTFLOW_LOGS", Value="true"
            )
        self.manifest["instances"].append(
            {
                "account": account_id,
                "region": region,
                "alias": alias,
                "id": instance_id,
                "identity_management_type": identity,
                "tags": tags or {},
                "contactflow_logs": flow_logs,
            }
        )
        return instance_id

    def federation(
        self,
        session: boto3.Session,
        account_id: str,
        region: str,
        instance_id: str,
        providers: list[str],
        good: bool,
    ) -> None:
        if good:
            trust = policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": providers},
                    "Action": "sts:AssumeRoleWithSAML",
                    "Condition": {"StringEquals": {"SAML:aud": [GLOBAL_AUD, f"https://{region}.signin.aws.amazon.com/saml"]}},
                }
            )
            grant = policy(
                {
                    "Effect": "Allow",
                    "Action": "connect:GetFederationToken",
                    "Resource": f"arn:aws:connect:{region}:{account_id}:instance/{instance_id}/user/${{aws:userid}}",
                }
            )
            self.role(session, account_id, "ConnectFederation", trust, {"federation": grant}, "federation-good")
        else:
            # Trust also allows plain AssumeRole from the account, grant not pinned to the instance.
            trust = policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": providers},
                    "Action": "sts:AssumeRoleWithSAML",
                    "Condition": {"StringEquals": {"SAML:aud": GLOBAL_AUD}},
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                    "Action": "sts:AssumeRole",
                },
            )
            grant = policy({"Effect": "Allow", "Action": "connect:*", "Resource": "*"})
            self.role(session, account_id, "ConnectFederationLegacy", trust, {"connect-admin": grant}, "federation-bad")

    # Scenario -------------------------------------------------------------------------------

    def seed(self, bench_accounts: int) -> None:
        root = self.organization()
        workloads = self.ou(root, "Workloads")
        contact_centers = self.ou(workloads, "Contact Centers")
        production = self.ou(contact_centers, "Production")
        non_production = self.ou(contact_centers, "Non-Production")
        sandbox_ou = self.ou(root, "Sandbox")
        suspended_ou = self.ou(root, "Suspended")

        cc_prod = self.account(root, production, "cc-prod", [{"Key": "environment", "Value": "prod"}])
        cc_prod_eu = self.account(root, production, "cc-prod-eu")
        cc_nonprod = self.account(
            root, non_production, "cc-nonprod", [{"Key": "connect-guard-emulator", "Value": "no-credential-report"}]
        )
        cc_directory = self.account(root, non_production, "cc-directory")
        sandbox = self.account(root, sandbox_ou, "sandbox")
        no_role = self.account(root, sandbox_ou, "no-role")
        suspended = self.account(root, suspended_ou, "suspended")
        self.manifest["faults"] = {
            "no_role_account": no_role,
            "suspended_account": suspended,
            "refused_region": "ca-central-1",
            "opt_in_region": "af-south-1",
        }

        # SCPs at root, OU and account level; an RCP at the root.
        self.scp(
            "DenyEmergencyAccessExceptBreakGlass",
            root,
            policy(
                {
                    "Sid": "DenyEmergencyAccess",
                    "Effect": "Deny",
                    "Action": ["connect:AdminGetEmergencyAccessToken", "connect:GetFederationTokens"],
                    "Resource": "*",
                    "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass*"}},
                }
            ),
        )
        self.scp(
            "ProtectConnectInstances",
            production,
            policy(
                {
                    "Sid": "AmazonConnectInstanceDenyDeletion",
                    "Effect": "Deny",
                    "Action": ["connect:DeleteInstance", "connect:DestroyInstance"],
                    "Resource": "*",
                }
            ),
        )
        self.scp(
            "ProtectFederationRole",
            cc_prod,
            policy(
                {
                    "Sid": "ProtectFederationRole",
                    "Effect": "Deny",
                    "Action": [
                        "iam:DeleteRole",
                        "iam:UpdateAssumeRolePolicy",
                        "iam:PutRolePolicy",
                        "iam:DeleteRolePolicy",
                        "iam:AttachRolePolicy",
                        "iam:DetachRolePolicy",
                    ],
                    "Resource": "arn:aws:iam::*:role/ConnectFederation*",
                }
            ),
        )
        self.scp(
            "RequireSamlAudience",
            root,
            policy(
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "sts:AssumeRoleWithSAML",
                    "Resource": "*",
                    "Condition": {"StringNotLike": {"SAML:aud": ["https://*signin.aws.amazon.com/saml"]}},
                }
            ),
            kind="RESOURCE_CONTROL_POLICY",
        )

        # cc-prod: the good setup. Two IdPs, one shared role, SAML instance.
        session = self.member_session(cc_prod)
        okta = self.saml_provider(session, cc_prod, "Okta", "okta-prod")
        idc = self.saml_provider(session, cc_prod, "IdentityCenter", "identity-center")
        prod_instance = self.instance(session, cc_prod, "us-east-1", "acme-prod", "SAML", {"environment": "prod"})
        self.federation(session, cc_prod, "us-east-1", prod_instance, [okta, idc], good=True)
        self.provisioning_user(session, cc_prod, f"arn:aws:connect:us-east-1:{cc_prod}:instance/{prod_instance}")
        self.replicate(session, cc_prod, prod_instance, "us-east-1", "us-west-2")
        self.auditor(session, cc_prod)
        # The agent user pool of a Cognito-federated contact center: IdP-initiated sign-in on,
        # no deletion protection, metadata uploaded as a file. And an application pool without
        # SAML, which is listed but not described.
        self.user_pool(
            session, cc_prod, "us-east-1", "contact-center-agents", "INACTIVE",
            {
                "MetadataFile": metadata_xml(
                    "http://www.okta.com/exkcognito",
                    "https://acme.okta.com/app/cognito/sso/saml",
                    "okta-prod",
                ),
                "IDPInit": "true",
                "IDPSignout": "false",
            },
        )
        self.user_pool(session, cc_prod, "us-east-1", "customer-app", "INACTIVE", None)

        # cc-prod-eu: expired IdP certificate, a loose federation role, and a password instance.
        session = self.member_session(cc_prod_eu)
        legacy = self.saml_provider(session, cc_prod_eu, "OktaLegacy", "okta-legacy")
        eu_instance = self.instance(session, cc_prod_eu, "eu-west-2", "acme-prod-eu", "SAML")
        self.federation(session, cc_prod_eu, "eu-west-2", eu_instance, [legacy], good=False)
        self.instance(session, cc_prod_eu, "eu-west-2", "acme-prod-eu-agents", "CONNECT_MANAGED", flow_logs=False)
        # Protected from deletion, SP-initiated only, metadata read by Cognito from a URL (the
        # shim's IdP metadata endpoint) whose signing certificate has expired: only a scan that
        # fetches metadata URLs can tell.
        metadata_url = f"{self.endpoint}/_idp-metadata/okta-eu"
        request = urllib.request.Request(
            metadata_url,
            data=metadata_xml(
                "http://www.okta.com/exkeu", "https://acme-eu.okta.com/app/cognito/sso/saml", "okta-legacy"
            ).encode(),
            method="PUT",
        )
        urllib.request.urlopen(request).close()
        self.user_pool(
            session, cc_prod_eu, "eu-west-2", "contact-center-agents-eu", "ACTIVE",
            {"MetadataURL": metadata_url, "IDPInit": "false"},
        )

        # cc-nonprod: a CONNECT_MANAGED instance in us-west-2 and a weak-key provider.
        session = self.member_session(cc_nonprod)
        self.saml_provider(session, cc_nonprod, "LegacyADFS", "weak-1024")
        self.saml_provider(session, cc_nonprod, "OktaNonProd", "okta-nonprod")
        uat_instance = self.instance(session, cc_nonprod, "us-west-2", "acme-uat", "CONNECT_MANAGED")
        # Its credential report is refused: the collector reads this user one call at a time.
        self.provisioning_user(session, cc_nonprod, f"arn:aws:connect:us-west-2:{cc_nonprod}:instance/{uat_instance}")
        self.auditor(session, cc_nonprod)
        self.org.enable_aws_service_access(ServicePrincipal=DELEGATED_SERVICE)
        self.org.register_delegated_administrator(AccountId=cc_nonprod, ServicePrincipal=DELEGATED_SERVICE)
        self.manifest["delegated_admin_credentials"] = self.credentials(
            self.member_session(cc_nonprod, "delegated-admin"), cc_nonprod
        )

        # cc-directory: an EXISTING_DIRECTORY instance.
        session = self.member_session(cc_directory)
        self.instance(session, cc_directory, "us-east-1", "acme-directory", "EXISTING_DIRECTORY")

        # sandbox: a role trusting a SAML provider that does not exist (deleted long ago).
        session = self.member_session(sandbox)
        self.role(
            session,
            sandbox,
            "DanglingFederation",
            policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": f"arn:aws:iam::{sandbox}:saml-provider/DeletedIdP"},
                    "Action": "sts:AssumeRoleWithSAML",
                    "Condition": {"StringEquals": {"SAML:aud": GLOBAL_AUD}},
                }
            ),
            {},
            "dangling",
        )

        # The management account: a Connect instance where no SCP can protect it.
        self.instance(self.base, self.manifest["management_account_id"], "us-east-1", "acme-hq", "SAML")

        # no-role: resources exist, but the scanner cannot get in once the tag is set.
        session = self.member_session(no_role)
        self.instance(session, no_role, "us-east-1", "hidden", "SAML")
        self.org.tag_resource(ResourceId=no_role, Tags=[NO_ROLE_TAG])

        self.org.close_account(AccountId=suspended)

        # Sessions for the "caller is not an administrator" tests.
        self.manifest["member_credentials"] = self.credentials(
            self.member_session(sandbox, "not-admin"), sandbox
        )
        outsider = self.assumed_session(f"arn:aws:iam::{OUTSIDE_ACCOUNT}:role/Scanner", "outsider")
        self.manifest["outside_credentials"] = self.credentials(outsider, OUTSIDE_ACCOUNT)

        if bench_accounts:
            self.bench(root, bench_accounts)

    def bench(self, root: str, count: int) -> None:
        """COUNT extra members, each with a SAML provider, a federation role, a read-only role
        with the AWS-managed policy and an instance."""
        bench_ou = self.ou(root, "Bench")
        for n in range(count):
            account_id = self.account(root, bench_ou, f"bench-{n:04d}")
            session = self.member_session(account_id)
            provider = self.saml_provider(session, account_id, "Okta", "okta-prod")
            instance_id = self.instance(session, account_id, "us-east-1", f"bench-{n:04d}", "SAML")
            self.federation(session, account_id, "us-east-1", instance_id, [provider], good=True)
            self.auditor(session, account_id)


def main() -> int:
    parser = argparse.ArgumentParser(description="seed the moto shim for connect-guard tests")
    parser.add_argument("endpoint")
    parser.add_argument("manifest")
    parser.add_argument("--bench-accounts", type=int, default=0)
    args = parser.parse_args()
    seeder = Seeder(args.endpoint)
    seeder.seed(args.bench_accounts)
    pathlib.Path(args.manifest).write_text(json.dumps(seeder.manifest, indent=2), encoding="utf-8")
    print(
        f"seeded {len(seeder.manifest['accounts'])} member accounts, "
        f"{len(seeder.manifest['instances'])} instances into {args.endpoint}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
