// Differential-test oracle runner for connect-guard (test-only; see docs/differential-testing.md).
//
// Reads the cases written by tests/differential.rs (a JSON array, from the file named by the
// first argument, or from stdin), runs each through @cloud-copilot/iam-simulate and prints a
// JSON array with one result per case, in order:
//
//   {"id": 7, "scp": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied",
//    "rcp": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied",
//    "identity": "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied",
//    "ignored_context_keys": [...]}
//   {"id": 8, "error": "…"}            when the oracle refused the input
//
// iam-simulate is AGPL-3.0-or-later. It is installed at test time into the git-ignored
// tests/oracle/node_modules (`npm ci --prefix tests/oracle`) and only ever run as this
// separate process; connect-guard never links, vendors or ships it.

import { readFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const input = process.argv[2] ? readFileSync(process.argv[2], 'utf8') : readFileSync(0, 'utf8')
const cases = JSON.parse(input)

// Case shape (see tests/differential/generator.rs):
//   id, account_id, principal, action, resource,
//   context: { key: [values…] }      keys present in the request (absent keys are omitted)
//   identity: [policy document…]     the principal's identity policies
//   scps: [{ target, policies: [{ name, document }] }]   root first, account last
//   rcps: the same for RCPs (iam-simulate adds RCPFullAWSAccess at every level itself)
async function simulate(c) {
  const simulation = {
    request: {
      principal: c.principal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.resource_account ?? c.account_id },
      contextVariables: c.context
    },
    identityPolicies: c.identity.map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: c.scps.map((level) => ({
      orgIdentifier: level.target,
      policies: level.policies.map((p) => ({ name: p.name, policy: p.document }))
    })),
    resourceControlPolicies: (c.rcps ?? []).map((level) => ({
      orgIdentifier: level.target,
      policies: level.policies.map((p) => ({ name: p.name, policy: p.document }))
    }))
  }
  const response = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (response.resultType === 'error') {
    return { id: c.id, error: JSON.stringify(response.errors) }
  }
  if (response.resultType !== 'single') {
    return { id: c.id, error: `unexpected result type ${response.resultType}` }
  }
  const analysis = response.result.analysis
  return {
    id: c.id,
    scp: analysis.scpAnalysis?.result ?? 'missing',
    rcp: analysis.rcpAnalysis?.result ?? 'missing',
    identity: analysis.identityAnalysis?.result ?? 'missing',
    ignored_context_keys: response.result.ignoredContextKeys ?? []
  }
}

const results = []
for (const c of cases) {
  try {
    results.push(await simulate(c))
  } catch (e) {
    results.push({ id: c.id, error: `exception: ${e?.message ?? e}` })
  }
}
process.stdout.write(JSON.stringify(results))
process.stdout.write('\n')
