// A contact-center app as teams write it with the AWS CDK: a production Connect instance, an
// Okta SAML provider with the federation role the console wizard would create, and a Cognito
// user pool for agents. It carries two identity mistakes for connect-guard to find before
// deployment: the instance uses Connect-managed identities, and the user pool's SAML provider
// accepts IdP-initiated sign-in. Synthesized by tests/iac.rs with the real CDK.
'use strict';

const fs = require('fs');
const path = require('path');
const { App, Stack } = require('aws-cdk-lib');
const connect = require('aws-cdk-lib/aws-connect');
const cognito = require('aws-cdk-lib/aws-cognito');
const iam = require('aws-cdk-lib/aws-iam');

// The demo organization's Okta signing certificate (valid until 2030).
const pem = fs.readFileSync(path.join(__dirname, '../../src/demo/certs/okta-prod.pem'), 'utf8');
const certificate = pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
const metadata =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ' +
  'xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="http://www.okta.com/exkcdkapp">' +
  '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
  '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>' +
  certificate +
  '</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
  '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" ' +
  'Location="https://acme.okta.com/app/amazon_aws_connect/exkcdkapp/sso/saml"/>' +
  '</md:IDPSSODescriptor></md:EntityDescriptor>';

const app = new App();
const stack = new Stack(app, 'ContactCenterProd', {
  env: { account: '210987654321', region: 'us-east-1' },
});

const instance = new connect.CfnInstance(stack, 'Agents', {
  identityManagementType: 'CONNECT_MANAGED',
  instanceAlias: 'acme-prod-agents',
  attributes: { inboundCalls: true, outboundCalls: true, contactflowLogs: true },
  tags: [{ key: 'environment', value: 'prod' }],
});

const okta = new iam.SamlProvider(stack, 'Okta', {
  name: 'Okta',
  metadataDocument: iam.SamlMetadataDocument.fromXml(metadata),
});
const federation = new iam.Role(stack, 'Federation', {
  roleName: 'ConnectFederation',
  assumedBy: new iam.SamlConsolePrincipal(okta),
});
federation.addToPolicy(
  new iam.PolicyStatement({
    actions: ['connect:GetFederationToken'],
    resources: [`${instance.attrArn}/user/\${aws:userid}`],
  }),
);

const pool = new cognito.UserPool(stack, 'AgentPool', {
  userPoolName: 'acme-agents',
  deletionProtection: true,
});
new cognito.UserPoolIdentityProviderSaml(stack, 'AgentIdp', {
  userPool: pool,
  name: 'OktaAgents',
  metadata: cognito.UserPoolIdentityProviderSamlMetadata.file(metadata),
  idpInitiated: true,
});

app.synth();
