// Developer-only: compares two JSON-lines files of decisions (perimeter evaluate --format json,
// and node simulate.mjs --json), matched by scenario path. Prints each disagreement and a count.
// Usage: node compare.mjs OURS.jsonl SIMULATOR.jsonl
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

function decisions(path) {
  const byScenario = new Map()
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const row = JSON.parse(line)
    byScenario.set(resolve(row.scenario), row.decision)
  }
  return byScenario
}

const [oursPath, simPath] = process.argv.slice(2)
if (!oursPath || !simPath) {
  process.stderr.write('usage: node compare.mjs OURS.jsonl SIMULATOR.jsonl\n')
  process.exit(2)
}
const ours = decisions(oursPath)
const sim = decisions(simPath)
let agree = 0
let differ = 0
for (const [scenario, decision] of ours) {
  const other = sim.get(scenario) ?? 'Missing'
  if (other === decision) {
    agree++
  } else {
    differ++
    process.stdout.write(`${scenario}\tperimeter=${decision}\tsimulator=${other}\n`)
  }
}
process.stdout.write(`agree=${agree} differ=${differ}\n`)
process.exit(differ === 0 ? 0 : 1)
