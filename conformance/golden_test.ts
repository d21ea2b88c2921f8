// Every committed golden case (golden/: ONNX Runtime and PyTorch single-node cases, PyTorch
// whole models) runs forward and backward through the reference path, the fast path on the
// WebAssembly SIMD GEMM and the fast path on the TypeScript GEMM, and must pass the tolerance
// policy. No golden case may be skipped: each is an op the package implements.

import { assert, assertEquals } from "@std/assert";
import { findCases } from "../onnx/case.ts";
import { CASE_DIRS, type Manifest } from "./manifest.ts";
import { type CaseResult, runCase } from "./runner.ts";

const GOLDEN = decodeURIComponent(new URL("../golden", import.meta.url).pathname);

/** The case directories the manifest lists, relative to golden/. */
function listed(manifest: Manifest): string[] {
  const dirs: string[] = [];
  for (const c of manifest.cases) {
    if (c.onnxruntime) dirs.push(`${CASE_DIRS.onnxruntime}/${c.name}`);
    if (c.pytorch) dirs.push(`${CASE_DIRS.pytorch}/${c.name}`);
  }
  for (const m of manifest.models) if ("model.onnx" in m.files) dirs.push(m.dir);
  return dirs.sort();
}

function describe(results: readonly CaseResult[]): string {
  const shown = results.slice(0, 20).map((r) => `  ${r.dir}: ${r.status}: ${r.reason}`);
  const more = results.length > 20 ? [`  … and ${results.length - 20} more`] : [];
  return [...shown, ...more].join("\n");
}

Deno.test("golden cases pass under reference, fast and fast-ts", async (t) => {
  const manifest = JSON.parse(await Deno.readTextFile(`${GOLDEN}/manifest.json`)) as Manifest;
  const dirs = await findCases([GOLDEN]);
  await t.step("the case directories are exactly those manifest.json lists", () => {
    assertEquals(dirs.map((d) => d.slice(GOLDEN.length + 1)), listed(manifest));
  });
  const groups = new Map<string, string[]>();
  for (const dir of dirs) {
    const group = dir.slice(GOLDEN.length + 1).split("/")[0];
    groups.set(group, [...(groups.get(group) ?? []), dir]);
  }
  for (const [group, list] of groups) {
    await t.step(`${group}/: ${list.length} cases, none failed or skipped`, async () => {
      const bad: CaseResult[] = [];
      const vacuous: string[] = [], untruthful: string[] = [];
      let gradients = 0;
      // PyTorch goldens carry a float64 truth: every float tensor is judged against it.
      const truth = group === CASE_DIRS.pytorch || group === "torch-models";
      for (const dir of list) {
        const result = await runCase(dir, { impls: ["reference", "fast", "fast-ts"] });
        if (result.status !== "passed") bad.push(result);
        if (result.gradients) gradients++;
        vacuous.push(...result.vacuous.map((v) => `${result.name}: ${v}`));
        const checks = result.impls.flatMap((r) => r.checks);
        if (truth && checks.some((c) => c.regime === "accumulation")) untruthful.push(result.name);
      }
      assert(
        bad.length === 0,
        `${bad.length} of ${list.length} cases did not pass:\n${describe(bad)}`,
      );
      assertEquals(vacuous, [], "bounds as large as the expected values guard nothing");
      assertEquals(untruthful, [], "PyTorch cases compared without their float64 truth");
      // Goldens carry gradients (a source may lack some): most cases must check them.
      assert(
        gradients > list.length / 2,
        `only ${gradients} of ${list.length} cases have gradients`,
      );
    });
  }
});
