//! Writes a set of CloudFormation templates that `connect-guard scan --iac` reads, for the
//! template benchmark (docs/benchmarks.md).
//!
//! ```text
//! cargo run --release --example synthetic_templates -- --resources 5000 --out templates/
//! ```
//!
//! Each template is one contact-center stack of 100 resources in YAML with short-form
//! intrinsics: 10 Connect instances (every fifth Connect-managed), 10 SAML providers with
//! metadata and a real certificate, 40 federation roles trusting two providers with an
//! instance-scoped grant, 20 managed policies attached to them and 20 provisioning users.
//! The same `--resources` always gives the same files.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Generate deterministic CloudFormation templates.
#[derive(Debug, Parser)]
struct Args {
    /// Number of resources, in stacks of 100.
    #[arg(long, default_value_t = 5000)]
    resources: usize,
    /// Directory to write the templates to (created).
    #[arg(long)]
    out: PathBuf,
}

const PER_STACK: usize = 100;

fn main() -> ExitCode {
    let args = Args::parse();
    if let Err(error) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: cannot create {}: {error}", args.out.display());
        return ExitCode::from(2);
    }
    let certificate: String = connect_guard::demo::certs::OKTA_PROD
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let stacks = args.resources.div_ceil(PER_STACK);
    for stack in 0..stacks {
        let text = template(stack, &certificate);
        let path = args.out.join(format!("contact-center-{stack:04}.yaml"));
        if let Err(error) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    eprintln!(
        "wrote {stacks} templates of {PER_STACK} resources to {}",
        args.out.display()
    );
    ExitCode::SUCCESS
}

fn template(stack: usize, certificate: &str) -> String {
    let mut t = String::with_capacity(96 * 1024);
    let _ = writeln!(
        t,
        "AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: synthetic contact center {stack}\n\
         Parameters:\n  Environment:\n    Type: String\n    Default: prod\nResources:"
    );
    for i in 0..10 {
        let identity = if i % 5 == 0 {
            "CONNECT_MANAGED"
        } else {
            "SAML"
        };
        let _ = writeln!(
            t,
            "  Instance{i}:\n    Type: AWS::Connect::Instance\n    Properties:\n      \
             IdentityManagementType: {identity}\n      InstanceAlias: !Sub \"acme-{stack}-{i}-${{Environment}}\"\n      \
             Attributes:\n        InboundCalls: true\n        OutboundCalls: true\n        ContactflowLogs: true\n      \
             Tags:\n        - Key: environment\n          Value: !Ref Environment"
        );
    }
    for i in 0..10 {
        let _ = writeln!(
            t,
            "  Provider{i}:\n    Type: AWS::IAM::SAMLProvider\n    Properties:\n      Name: Okta{stack}x{i}\n      \
             SamlMetadataDocument: '<?xml version=\"1.0\"?><md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
             xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"http://www.okta.com/exk{stack}x{i}\"><md:IDPSSODescriptor \
             protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"><md:KeyDescriptor use=\"signing\"><ds:KeyInfo>\
             <ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
             Location=\"https://acme.okta.com/app/{stack}/{i}/sso/saml\"/></md:IDPSSODescriptor></md:EntityDescriptor>'"
        );
    }
    for i in 0..40 {
        let (a, b, instance) = (i % 10, (i + 1) % 10, i % 10);
        let _ = writeln!(
            t,
            "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ConnectFederation{stack}x{i}\n      \
             AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            \
             Principal:\n              Federated:\n                - !Ref Provider{a}\n                - !GetAtt Provider{b}.Arn\n            \
             Action: sts:AssumeRoleWithSAML\n            Condition:\n              StringEquals:\n                SAML:aud:\n                  \
             - https://signin.aws.amazon.com/saml\n                  - !Sub \"https://${{AWS::Region}}.signin.aws.amazon.com/saml\"\n      \
             Policies:\n        - PolicyName: federate\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            \
             Statement:\n              - Effect: Allow\n                Action: connect:GetFederationToken\n                \
             Resource: !Sub \"${{Instance{instance}.Arn}}/user/${{!aws:userid}}\""
        );
    }
    for i in 0..20 {
        let _ = writeln!(
            t,
            "  Policy{i}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      ManagedPolicyName: ConnectRead{stack}x{i}\n      \
             Roles:\n        - !Ref Role{i}\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:\n          \
             - Effect: Allow\n            Action: [\"connect:Describe*\", \"connect:List*\"]\n            Resource: !GetAtt Instance{}.Arn",
            i % 10
        );
    }
    for i in 0..20 {
        let _ = writeln!(
            t,
            "  User{i}:\n    Type: AWS::IAM::User\n    Properties:\n      UserName: provisioning{stack}x{i}\n      \
             Policies:\n        - PolicyName: provision\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            \
             Statement:\n              - Effect: Allow\n                Action: [\"connect:CreateUser\", \"connect:DeleteUser\"]\n                \
             Resource:\n                  - !GetAtt Instance{0}.Arn\n                  - !Sub \"${{Instance{0}.Arn}}/*\"",
            i % 10
        );
    }
    t
}
