// ONNX's own backend test data (Debian package libonnx-testdata, not copied into the repository):
// every case whose operators, opset and element types the executor supports must pass under
// every implementation; the others are skipped, each with its reason. The pass counts measured
// when this test was written are floors, so a regression that turns passes into skips fails.

import { assert } from "@std/assert";
import { findCases } from "../onnx/case.ts";
import { type CaseResult, runCase } from "./runner.ts";

const ROOT = "/usr/share/libonnx-testdata/data";

/** Directories run, with the number of cases that passed with libonnx-testdata 1.12.0. */
const MINIMUM_PASSED: readonly [string, number][] = [
  ["node", 318],
  ["pytorch-converted", 70],
  ["pytorch-operator", 23],
];

async function installed(): Promise<boolean> {
  try {
    return (await Deno.stat(ROOT)).isDirectory;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const present = await installed();
if (!present) {
  console.warn(`skipped: ${ROOT} not installed (apt-get install libonnx-testdata)`);
}

Deno.test({
  name: "ONNX backend test data (libonnx-testdata): supported cases pass",
  ignore: !present,
  fn: async (t) => {
    for (const [dir, minimum] of MINIMUM_PASSED) {
      await t.step(
        `${dir}: no failures, ≥ ${minimum} passed, no vacuous bound, skips explained`,
        async () => {
          const results: CaseResult[] = [];
          for (const caseDir of await findCases([`${ROOT}/${dir}`])) {
            results.push(await runCase(caseDir));
          }
          const failed = results.filter((r) => r.status === "failed");
          assert(
            failed.length === 0,
            `${failed.length} failed:\n${failed.map((r) => `  ${r.name}: ${r.reason}`).join("\n")}`,
          );
          const passed = results.filter((r) => r.status === "passed").length;
          assert(passed >= minimum, `only ${passed} cases passed, at least ${minimum} did before`);
          const vacuous = results.filter((r) => r.vacuous.length > 0);
          assert(
            vacuous.length === 0,
            `bounds as large as the expected values: ${vacuous.map((r) => r.name).join(", ")}`,
          );
          const unexplained = results.filter((r) => r.status === "skipped" && r.reason === "");
          assert(
            unexplained.length === 0,
            `skipped without a reason: ${unexplained.map((r) => r.name)}`,
          );
        },
      );
    }
  },
});
