/**
 * `deno task mutate`: measures the conformance suite's power. Injects every mutant of the
 * catalogue (`conformance/mutants.ts`: realistic bugs in the code, and wrong expected values in
 * copies of goldens), runs the suite on each and prints which case killed it, then the score per
 * family. Exit code 1 when a mutant survives.
 *
 * ```text
 * deno task mutate [--quick] [--only ID[,ID...]] [--json FILE] [--timeout SECONDS]
 * ```
 *
 * - `--quick`: only the quick slice (what `deno task test` runs).
 * - `--only`: the named mutants.
 * - `--json`: also write the results as JSON.
 * - `--timeout`: seconds a code mutant may run before it counts as killed by a hang (600).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { MUTANTS } from "../conformance/mutants.ts";
import { type MutantResult, runMutant } from "../conformance/mutation.ts";

const USAGE = "usage: deno task mutate [--quick] [--only ID[,ID...]] [--json FILE] " +
  "[--timeout SECONDS]";

/**
 * The score table: one row per family, `killed/injected`.
 *
 * @param results The mutants' outcomes.
 * @returns Markdown table lines.
 */
export function scoreTable(results: readonly MutantResult[]): string[] {
  const families = new Map<string, { killed: number; injected: number; ids: string[] }>();
  for (const r of results) {
    const f = families.get(r.mutant.family) ?? { killed: 0, injected: 0, ids: [] };
    f.injected++;
    if (r.killed) f.killed++;
    f.ids.push(r.mutant.id);
    families.set(r.mutant.family, f);
  }
  const killed = results.filter((r) => r.killed).length;
  return [
    "| family | killed / injected | mutants |",
    "| --- | --- | --- |",
    ...[...families].map(([name, f]) => {
      const ids = f.ids.length <= 8
        ? f.ids.join(", ")
        : `${f.ids.length} (per case: zeroed and negated output, first conv dW negated, one ` +
          `element of the last conv dW)`;
      return `| ${name} | ${f.killed} / ${f.injected} | ${ids} |`;
    }),
    `| **all** | **${killed} / ${results.length}** | |`,
  ];
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        json: { type: "string" },
        timeout: { type: "string", default: "600" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`mutate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) {
    console.error(`mutate: --timeout must be a positive number of seconds, got ${values.timeout}`);
    return 2;
  }
  const only = values.only?.split(",").filter((s) => s !== "");
  const unknown = (only ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) {
    console.error(`mutate: unknown mutant ${unknown.join(", ")} (see conformance/mutants.ts)`);
    return 2;
  }
  const chosen = MUTANTS.filter((m) =>
    (!values.quick || m.quick) && (only === undefined || only.includes(m.id))
  );
  const root = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");
  const results: MutantResult[] = [];
  for (const mutant of chosen) {
    const r = await runMutant(mutant, { root, timeoutSeconds: timeout });
    results.push(r);
    const verdict = r.killed ? "killed  " : "SURVIVED";
    const seconds = (r.ms / 1000).toFixed(1);
    console.log(`${verdict} ${mutant.id} (${mutant.kind}, ${r.ran} cases, ${seconds} s)`);
    console.log(`         ${mutant.description}`);
    if (r.killed) console.log(`         by ${r.by}`);
  }
  console.log("");
  scoreTable(results).forEach((line) => console.log(line));
  if (values.json !== undefined) {
    await Deno.writeTextFile(values.json, JSON.stringify(results, null, 1) + "\n");
  }
  return results.every((r) => r.killed) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
