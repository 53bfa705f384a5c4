// Parses each Mermaid file named on the command line with Mermaid's own parser.
// Prints one JSON line per file ({"file", "ok", "type" | "error"}); exit 1 if any fails.
// Mermaid's sanitizer needs a DOM: jsdom provides one, so nothing leaves the machine.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let failed = false;
for (const file of process.argv.slice(2)) {
  try {
    const result = await mermaid.parse(readFileSync(file, "utf8"));
    console.log(JSON.stringify({ file, ok: true, type: result.diagramType }));
  } catch (error) {
    failed = true;
    console.log(JSON.stringify({ file, ok: false, error: String(error.message || error) }));
  }
}
process.exit(failed ? 1 : 0);
