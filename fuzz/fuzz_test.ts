// The quick deterministic slice of the fuzz suite that runs in `deno task test`: a fixed seed
// and a fixed number of cases (not a time budget), so every run draws the same cases.

import { assert, assertEquals } from "@std/assert";
import { clean, fuzz, showCase } from "./fuzz.ts";
import type { LayerCase } from "./layer_calls.ts";
import { CaseRunner } from "./runner.ts";

Deno.test("fuzz slice: seed 1, 3000 layer calls and 3000 mutated models", async () => {
  const report = await fuzz({ seconds: 120, seed: 1, maxCases: 3000, shrink: true });
  const failures = report.failures.map((f) =>
    `${f.kind} ${f.outcome}: ${f.minimalDetail ?? f.detail}\n  ${showCase(f.minimal ?? f.case)}`
  );
  assert(clean(report), `fuzz failures:\n${failures.join("\n")}`);
  const layers = report.layer.agreement + report.layer["clean-error"];
  const models = report.model.agreement + report.model["clean-error"];
  assertEquals(layers, 3000);
  // Both kinds run and some of each agree (not everything refused).
  assert(report.layer.agreement > 300, `only ${report.layer.agreement} layer calls ran`);
  if (report.seedModels > 0) {
    assertEquals(models, 3000);
    assert(report.model.agreement > 300, `only ${report.model.agreement} models ran`);
  }
});

Deno.test("CaseRunner: a case past its deadline is a timeout", async () => {
  const slow: LayerCase = {
    op: "conv",
    batch: 1,
    channels: 1,
    outChannels: 1,
    groups: 1,
    size: [1500, 1500],
    kernel: [3, 3],
    stride: undefined,
    dilation: undefined,
    padding: undefined,
    outputPadding: undefined,
    outputSize: undefined,
    ceilMode: undefined,
    countIncludePad: undefined,
    bias: false,
    dtype: "float64",
    backward: true,
  };
  const runner = new CaseRunner({ seeds: [], budget: 2 ** 30, timeoutMs: 5 });
  try {
    assertEquals((await runner.layer(slow)).outcome, "timeout");
    const quick = { ...slow, size: [3, 3] };
    const runner2 = new CaseRunner({ seeds: [], budget: 2 ** 30, timeoutMs: 30_000 });
    try {
      assertEquals((await runner2.layer(quick)).outcome, "agreement");
    } finally {
      runner2.close();
    }
  } finally {
    runner.close();
  }
});
