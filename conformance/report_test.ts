import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import {
  buildTable,
  CaseCatalog,
  caseLine,
  formatSkipCategories,
  formatTable,
  jsonReport,
  type ReportEntry,
  skipCategories,
  skipGroups,
  summaryLine,
  tally,
} from "./report.ts";
import { gridCases } from "./grid.ts";
import type { CaseResult } from "./runner.ts";

function entry(
  label: string,
  status: CaseResult["status"],
  worstRatio: number,
  family = "conv1d",
  params: Record<string, string> = {},
  reason = "",
): ReportEntry {
  return {
    dir: `/x/${label}`,
    name: label.slice(label.lastIndexOf("/") + 1),
    status,
    reason,
    opset: 17,
    ops: ["Conv"],
    gradients: false,
    dataSets: 1,
    impls: [],
    worstRatio,
    maxAbsError: 0,
    worstTensor: "fast: output_0",
    worstAllowed: 4e-6,
    accuracy: NaN,
    vacuous: [],
    pinned: [],
    ms: 2.4,
    label,
    source: "onnxruntime",
    family,
    params,
  };
}

Deno.test("summaryLine()", () => {
  const entries = [entry("a", "passed", 0.1), entry("b", "failed", 2), entry("c", "skipped", 0)];
  assertStrictEquals(summaryLine(entries), "1 passed, 1 failed, 1 skipped");
  assertStrictEquals(summaryLine([]), "0 passed, 0 failed, 0 skipped");
});

Deno.test("caseLine()", async (t) => {
  await t.step("passed: worst error ≤ allowed at that element, margin = 1 − ratio", () => {
    const line = caseLine({ ...entry("ort/c", "passed", 0.25), maxAbsError: 2e-6 });
    assertStrictEquals(
      line,
      "ok    ort/c  max|Δ| 2.0e-6  worst 1.0e-6 ≤ 4.0e-6 (fast: output_0)  margin 75.0%  2 ms",
    );
  });
  await t.step("exact agreement; failed with its reason; skipped with its reason", () => {
    assert(caseLine(entry("ort/c", "passed", 0)).includes("exact  margin 100.0%"));
    const failed = caseLine({ ...entry("ort/c", "failed", 3), reason: "fast: output_0: …" });
    assert(failed.startsWith("FAIL  ort/c"), failed);
    assert(failed.includes("margin -200.0%"), failed);
    assert(failed.endsWith("\n      fast: output_0: …"), failed);
    const threw = caseLine({ ...entry("ort/c", "failed", Infinity), worstTensor: "fast: threw" });
    assert(threw.includes("worst ∞ (fast: threw)  margin -∞"), threw);
    assertStrictEquals(
      caseLine({ ...entry("node/t", "skipped", 0), reason: "Gather (opset 13): operator …" }),
      "skip  node/t  Gather (opset 13): operator …",
    );
  });
  await t.step("judged on its own kink branches: says so", () => {
    const line = caseLine({ ...entry("zoo/d", "passed", 0.5), pinned: ["fast: 5 kink flips"] });
    assert(line.includes("margin 50.0%  on own kink branches (fast: 5 kink flips)"), line);
  });
});

Deno.test("buildTable() and formatTable()", async (t) => {
  const entries = [
    entry("a", "passed", 0.5, "conv1d", { stride: "1", pad: "0" }),
    entry("b", "passed", 0.2, "conv1d", { stride: "2", pad: "0" }),
    entry("c", "failed", 1.5, "conv1d", { stride: "2", pad: "1" }),
    entry("d", "skipped", 0, "conv1d", { stride: "1", pad: "1" }),
    entry("e", "skipped", 0, "gather", {}),
  ];
  await t.step("tally per family, parameter and value; margins over cases that ran", () => {
    const [conv, gather] = buildTable(entries);
    assertEquals(conv.total, { passed: 2, failed: 1, skipped: 1, worstMargin: 1 - 1.5 });
    assertEquals(conv.parameters.map((p) => p.name), ["stride", "pad"]);
    const [s1, s2] = conv.parameters[0].values;
    assertEquals(s1, ["1", { passed: 1, failed: 0, skipped: 1, worstMargin: 0.5 }]);
    assertEquals(s2, ["2", { passed: 1, failed: 1, skipped: 0, worstMargin: 1 - 1.5 }]);
    assertEquals(gather.total, { passed: 0, failed: 0, skipped: 1, worstMargin: null });
  });
  await t.step(
    "lines: family tally, value passed/ran ✗failed margin, skipped-only families last",
    () => {
      const lines = formatTable(buildTable(entries));
      assertEquals(lines, [
        "conv1d: 2 passed, 1 failed, 1 skipped; worst margin -50.0%",
        "  stride    1 1/1 50.0% (1 skipped) · 2 1/2 ✗1 -50.0%",
        "  pad       0 2/2 50.0% · 1 0/1 ✗1 -50.0% (1 skipped)",
        "only skipped (1 families): gather (1)",
      ]);
    },
  );
  await t.step("long parameter lines wrap under the first value", () => {
    const many = Array.from(
      { length: 12 },
      (_, i) => entry(`x${i}`, "passed", 0, "f", { k: `value${i}` }),
    );
    const lines = formatTable(buildTable(many), 60);
    assert(lines.length > 2, lines.join("\n"));
    assert(lines.every((l) => l.length <= 60), lines.join("\n"));
    assert(lines[2].startsWith(" ".repeat(12) + "value"), lines[2]);
  });
});

Deno.test("skipGroups() and skipCategories()", () => {
  const skipped = (label: string, reason: string) => entry(label, "skipped", 0, "f", {}, reason);
  const entries = [
    skipped("a", "Gather (opset 13): operator Gather is not supported"),
    skipped("b", "Gather (opset 13): operator Gather is not supported"),
    skipped("c", 'Cast (opset 13): input "x" has dtype float16; supported are float32 and float64'),
    skipped("d", 'Relu (opset 13): input "y" has dtype float16; supported are float32 and float64'),
    skipped("e", 'graph input "s" is a sequence; only tensors are supported'),
    skipped("f", "cannot read test_data_set_0/input_0.pb: data_type 8 (STRING) is not supported"),
    skipped("g", "Dropout (opset 13): training_mode = true with ratio 0.5 draws random masks …"),
    skipped("h", 'Adam (opset 0): domain "ai.onnx.preview.training" is not supported'),
    skipped("i", "something new"),
    entry("z", "passed", 0),
  ];
  const groups = skipGroups(entries);
  assertEquals(groups[0], {
    reason: "Gather (opset 13): operator Gather is not supported",
    cases: ["a", "b"],
  });
  assert(
    groups.some((g) =>
      g.reason === 'Cast (opset 13): input "…" has dtype float16; supported are float32 and float64'
    ),
  );
  assertEquals(
    skipCategories(entries),
    [
      { category: "unsupported element type", count: 3, details: ["STRING", "float16"] },
      { category: "unsupported operator", count: 2, details: ["Gather"] },
      { category: "non-default domain", count: 1, details: ["ai.onnx.preview.training"] },
      { category: "non-tensor value", count: 1, details: ["sequence"] },
      { category: "other", count: 1, details: [] },
      { category: "random output (training-mode Dropout)", count: 1, details: [] },
    ],
  );
  const lines = formatSkipCategories(skipCategories(entries));
  assert(lines.includes("    3  unsupported element type (2): STRING, float16"), lines.join("\n"));
});

Deno.test("CaseCatalog", async (t) => {
  await t.step(
    "a foreign case: family = its main (non-plumbing) op, params source and opset",
    async () => {
      const result = {
        ...entry("t", "passed", 0),
        dir: "/nowhere/node/test_avgpool",
        ops: ["Unsqueeze", "AveragePool", "Squeeze"],
        opset: 6,
      };
      const catalog = await CaseCatalog.load([result.dir]);
      assertEquals(catalog.describe(result, "node/test_avgpool"), {
        label: "node/test_avgpool",
        source: "node",
        family: "averagepool",
        params: { source: "node", opset: "6" },
      });
    },
  );
  await t.step("golden cases: manifest family, grid params, models", async () => {
    const root = await Deno.makeTempDir({ prefix: "report_test_" });
    try {
      const grid = gridCases()[0];
      await Deno.writeTextFile(
        `${root}/manifest.json`,
        JSON.stringify({
          cases: [
            { name: grid.name, family: grid.family, op: grid.op, attributes: grid.attributes },
            { name: "custom", family: "conv1d", op: "Conv", attributes: { strides: [2, 1] } },
          ],
          models: [{ name: "lenet5", source: "pytorch", dir: "torch-models/lenet5" }],
        }),
      );
      const at = (dir: string, name: string) => ({ ...entry("x", "passed", 0), dir, name });
      const ort = at(`${root}/ort/${grid.name}`, grid.name);
      const custom = at(`${root}/torch/custom`, "custom");
      const model = at(`${root}/torch-models/lenet5`, "lenet5");
      const catalog = await CaseCatalog.load([ort.dir, custom.dir, model.dir]);
      assertEquals(catalog.describe(ort, "o"), {
        label: "o",
        source: "onnxruntime",
        family: grid.family,
        params: grid.params,
      });
      // Unknown to the grid: the manifest's attributes stand in for the parameters.
      assertEquals(catalog.describe(custom, "c"), {
        label: "c",
        source: "pytorch",
        family: "conv1d",
        params: { strides: "2x1" },
      });
      assertEquals(catalog.describe(model, "golden/torch-models/lenet5"), {
        label: "golden/torch-models/lenet5",
        source: "pytorch",
        family: "model",
        params: { model: "lenet5" },
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
});

Deno.test("jsonReport() and tally()", () => {
  const entries = [entry("a", "passed", 0.5), { ...entry("b", "failed", 2), source: "pytorch" }];
  const report = jsonReport(entries, ["reference", "fast"], ["golden"]);
  assertEquals(report.summary, tally(entries));
  assertEquals(report.summary, { passed: 1, failed: 1, skipped: 0, worstMargin: -1 });
  assertEquals(Object.keys(report.sources), ["onnxruntime", "pytorch"]);
  assertStrictEquals(report.cases.length, 2);
  assertStrictEquals(JSON.parse(JSON.stringify(report)).format, 1);
});
