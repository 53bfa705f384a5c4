// Developer-only harness: decides perimeter scenario files with @cloud-copilot/iam-simulate.
// Usage: node simulate.mjs [--json] [--management-account-exempt] [--no-bucket-abac] SCENARIO.json...
// Prints one line per scenario, in the order given: "<path>\t<decision>", where decision is
// Allow | ExplicitDeny | ImplicitDeny | Error:<simulator message>. See README.md and SEMANTICS.md.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate'

const DECISIONS = {
  Allowed: 'Allow',
  ExplicitlyDenied: 'ExplicitDeny',
  ImplicitlyDenied: 'ImplicitDeny'
}

function loadPolicy(value, baseDir) {
  if (typeof value === 'string') {
    return JSON.parse(readFileSync(resolve(baseDir, value), 'utf8'))
  }
  return value
}

function named(policies, slot, baseDir) {
  return policies.map((policy, i) => ({ name: `${slot}[${i}]`, policy: loadPolicy(policy, baseDir) }))
}

function levels(value, slot, baseDir) {
  return (value ?? []).map((level, i) => ({
    orgIdentifier: `${slot}[${i}]`,
    policies: named(level, `${slot}[${i}]`, baseDir)
  }))
}

function accountOfArn(arn) {
  const fields = arn.split(':')
  return fields.length >= 6 && fields[0] === 'arn' && /^\d{12}$/.test(fields[4]) ? fields[4] : undefined
}

// The simulator reads the caller's account from field 4 of an ARN, so a bare account id
// becomes the account's root ARN.
function simulatorPrincipal(principal) {
  if (principal === 'anonymous') return anonymousPrincipal
  if (/^\d{12}$/.test(principal)) return `arn:aws:iam::${principal}:root`
  return principal
}

function contextVariables(context) {
  const out = {}
  for (const [key, value] of Object.entries(context ?? {})) {
    out[key] = Array.isArray(value) ? value.map(String) : String(value)
  }
  return out
}

export function toSimulation(scenario, baseDir, options) {
  const request = scenario.request
  const principal = simulatorPrincipal(request.principal)
  const principalAccount = typeof principal === 'string' ? accountOfArn(principal) : undefined
  const resourceAccount = request.resource_account ?? accountOfArn(request.resource) ?? ''
  const management = scenario.management_account
  const exempt = options.managementAccountExempt && management !== undefined && management !== null
  const simulation = {
    request: {
      principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: contextVariables(request.context)
    },
    identityPolicies: named(scenario.identity_policies ?? [], 'identity_policies', baseDir),
    serviceControlPolicies:
      exempt && principalAccount === management ? [] : levels(scenario.scps, 'scps', baseDir),
    resourceControlPolicies:
      exempt && resourceAccount === management ? [] : levels(scenario.rcps, 'rcps', baseDir),
    additionalSettings: { s3: { bucketAbacEnabled: options.bucketAbac } }
  }
  if (scenario.resource_policy) {
    simulation.resourcePolicy = loadPolicy(scenario.resource_policy, baseDir)
  }
  if (scenario.permissions_boundary) {
    simulation.permissionBoundaryPolicies = named([scenario.permissions_boundary], 'permissions_boundary', baseDir)
  }
  if (scenario.session_policy) {
    simulation.sessionPolicy = loadPolicy(scenario.session_policy, baseDir)
  }
  if (scenario.vpc_endpoint_policy) {
    simulation.vpcEndpointPolicies = named([scenario.vpc_endpoint_policy], 'vpc_endpoint_policy', baseDir)
  }
  return simulation
}

export async function decide(path, options) {
  const scenario = JSON.parse(readFileSync(path, 'utf8'))
  const simulation = toSimulation(scenario, dirname(resolve(path)), options)
  const response = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (response.resultType === 'error') {
    return { scenario: path, decision: `Error:${response.errors.message}`, errors: response.errors }
  }
  const result = response.resultType === 'single' ? response.result : undefined
  return {
    scenario: path,
    decision: DECISIONS[response.overallResult] ?? `Error:${response.overallResult}`,
    blocked_by: result?.analysis?.blockedBy ?? [],
    ignored_context_keys: result?.ignoredContextKeys ?? []
  }
}

async function main(argv) {
  const options = { json: false, managementAccountExempt: false, bucketAbac: true }
  const paths = []
  for (const arg of argv) {
    if (arg === '--json') options.json = true
    else if (arg === '--management-account-exempt') options.managementAccountExempt = true
    else if (arg === '--no-bucket-abac') options.bucketAbac = false
    else paths.push(arg)
  }
  if (paths.length === 0) {
    process.stderr.write('usage: node simulate.mjs [--json] [--management-account-exempt] [--no-bucket-abac] SCENARIO.json...\n')
    process.exit(2)
  }
  for (const path of paths) {
    let line
    try {
      line = await decide(path, options)
    } catch (error) {
      line = { scenario: path, decision: `Error:${error.message}` }
    }
    process.stdout.write(options.json ? JSON.stringify(line) + '\n' : `${line.scenario}\t${line.decision}\n`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main(process.argv.slice(2))
}
