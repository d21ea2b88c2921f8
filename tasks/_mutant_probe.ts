// Child process of a code mutant (conformance/mutation.ts): runs in the mutated copy of the
// source tree, checks the goldens under every implementation — the cases whose names contain a
// hint first, then all others — and stops at the first failure. Prints one JSON line:
// {"killed", "by", "ran"}.
//
//   deno run --allow-read --allow-env --allow-sys tasks/_mutant_probe.ts GOLDEN_DIR HINTS_JSON

import { findCases } from "../onnx/case.ts";
import { runCase } from "../conformance/runner.ts";

const [golden, hintsJson] = Deno.args;
const hints = JSON.parse(hintsJson ?? "[]") as string[];
const dirs = await findCases([golden]);
const hinted = dirs.filter((d) => hints.some((h) => d.slice(golden.length).includes(h)));
const rest = dirs.filter((d) => !hinted.includes(d));
let ran = 0;
for (const dir of [...hinted, ...rest]) {
  ran++;
  let reason: string;
  try {
    const result = await runCase(dir);
    if (result.status !== "failed") continue;
    reason = result.reason;
  } catch (error) {
    reason = `threw: ${error instanceof Error ? error.message : error}`;
  }
  const name = dir.slice(golden.length + 1);
  console.log(JSON.stringify({ killed: true, by: `${name}: ${reason.slice(0, 300)}`, ran }));
  Deno.exit(0);
}
console.log(JSON.stringify({ killed: false, by: "", ran }));
