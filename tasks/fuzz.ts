// deno task fuzz [--seconds N] [--seed S] [--json FILE] [--max-cases N]: seeded, bounded fuzzing
// of the layers and of the ONNX executor (see fuzz/). Prints the count of each outcome class and
// a minimal reproducer of each failing kind; exits 1 unless every case was a clean error or an
// agreement between the reference and the fast path.

import { OUTCOMES } from "../fuzz/classify.ts";
import { clean, fuzz, showCase } from "../fuzz/fuzz.ts";

function flag(name: string, fallback: string | undefined): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Deno.args[i + 1];
  if (value === undefined || value.startsWith("--")) {
    console.error(`fuzz: --${name} needs a value`);
    Deno.exit(2);
  }
  return value;
}

function number(name: string, fallback: number): number {
  const value = Number(flag(name, String(fallback)));
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`fuzz: --${name} must be a non-negative integer, got ${flag(name, "")}`);
    Deno.exit(2);
  }
  return value;
}

const seconds = number("seconds", 60);
const seed = number("seed", 1);
const maxCases = Deno.args.includes("--max-cases") ? number("max-cases", 0) : undefined;
const json = flag("json", undefined);

const report = await fuzz({ seconds, seed, maxCases, log: (line) => console.log(line) });
const width = Math.max(...OUTCOMES.map((o) => o.length));
console.log(
  `\nseed ${report.seed}, ${report.seconds.toFixed(0)} s, ${report.seedModels} seed models`,
);
console.log(`${"outcome".padEnd(width)}  layer calls  models`);
for (const o of OUTCOMES) {
  console.log(
    `${o.padEnd(width)}  ${String(report.layer[o]).padStart(11)}  ${
      String(report.model[o]).padStart(6)
    }`,
  );
}
for (const f of report.failures.filter((f) => f.minimal !== undefined)) {
  console.log(`\n${f.kind} ${f.outcome}: ${f.minimalDetail ?? f.detail}`);
  console.log(`  minimal reproducer: ${showCase(f.minimal)}`);
}
if (report.failures.length > 0) {
  console.log(`\n${report.failures.length} failing cases (first 50 kept):`);
  for (const f of report.failures) {
    console.log(`  ${f.kind} ${f.outcome}: ${f.detail.slice(0, 300)}`);
  }
}
if (json !== undefined) await Deno.writeTextFile(json, JSON.stringify(report, null, 2) + "\n");
Deno.exit(clean(report) ? 0 : 1);
