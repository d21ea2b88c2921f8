// A conformance report from a real run, for the HTML and JUnit tests: copies of a few golden
// cases (with the golden manifest beside them, so families and parameters are the real ones),
// one of them with a single expected element perturbed so that it really fails, and a case with an
// unknown operator, in a directory whose name needs escaping, that the runner really skips.
// Nothing in the report is written by hand: the runner produced every number and message.

import { findCases, loadCase, writeCase } from "../onnx/case.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel } from "../onnx/single_node.ts";
import { CaseCatalog, type JsonReport, jsonReport, type ReportEntry } from "./report.ts";
import { type ConformanceImpl, runCase } from "./runner.ts";

const GOLDEN = decodeURIComponent(new URL("../golden", import.meta.url).pathname);

/** The golden cases copied (source directory / case name); the first ort one is perturbed. */
export const PASSING_CASES = [
  "ort/conv2d_k1x1_s1x1_p0_d1x1_g1_b_n1_x3x3",
  "torch/conv2d_k1x1_s1x1_p0_d1x1_g1_b_n1_x3x3",
  "ort/maxpool2d_k1x2_s1x1_p0-0-0-1_ceil_d1x1_n1_x3x3",
];
/** The golden case whose copy gets one wrong expected element. */
export const PERTURBED_CASE = "ort/conv2d_k1x1_s1x1_p0_d2x2_g2_nb_n3_x4x4";
/** Flat index of the perturbed element of `output_0`, and what is added to it. */
export const PERTURBED_INDEX = 21;
export const PERTURBATION = 0.5;
/** The directory of the skipped case: every character HTML and XML escape (no slash). */
export const ODD_NAME = `odd <i>name & "quotes" 'too'`;

/** The run's report and what the perturbation makes the first differing element. */
export interface Fixture {
  /** The report of the run, as `jsonReport` builds it (NaN and Infinity intact). */
  report: JsonReport;
  /** The same report after a JSON round trip, as `--json` writes it. */
  parsed: JsonReport;
  /** Label of the failing case, e.g. `golden/ort/conv2d_…`. */
  failingLabel: string;
  /** Label of the skipped case. */
  skippedLabel: string;
  /** The perturbed element's multi-index as compareTensors prints it, e.g. `[0, 1, 1, 1]`. */
  index: string;
  /** The perturbed (now wrong) expected value, as float32. */
  expected: number;
  /** The value before the perturbation (what a correct implementation computes, nearly). */
  original: number;
  /** The temporary directory holding the cases (remove it when done). */
  dir: string;
}

/**
 * Runs the fixture's cases through `impls` and builds the report.
 *
 * @param impls Implementations to run. @default ["reference", "fast"]
 * @returns The fixture; the caller removes `dir`.
 */
export async function buildFixture(
  impls: readonly ConformanceImpl[] = ["reference", "fast"],
): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "report_fixture_" });
  const root = `${dir}/golden`;
  await Deno.mkdir(root);
  await Deno.symlink(`${GOLDEN}/manifest.json`, `${root}/manifest.json`);
  for (const c of [...PASSING_CASES, PERTURBED_CASE]) {
    await copyDir(`${GOLDEN}/${c}`, `${root}/${c}`);
  }

  // The perturbed copy: one element of output_0 moved by PERTURBATION, everything else as is.
  const perturbedDir = `${root}/${PERTURBED_CASE}`;
  const golden = await loadCase(perturbedDir);
  const set = golden.dataSets[0];
  const output = set.outputs[0];
  const data = Float32Array.from(output.data as Float32Array);
  const original = data[PERTURBED_INDEX];
  data[PERTURBED_INDEX] += PERTURBATION;
  await writeCase(perturbedDir, await Deno.readFile(`${perturbedDir}/model.onnx`), [
    { ...set, outputs: [new OnnxTensor(data, output.dims), ...set.outputs.slice(1)] },
    ...golden.dataSets.slice(1),
  ]);

  const oddDir = `${dir}/extra/${ODD_NAME}`;
  await writeCase(
    oddDir,
    singleNodeModel({
      opType: "NoSuchOp",
      inputs: [{ name: "x", dtype: "float32", dims: [2] }],
      outputs: [{ name: "y", dtype: "float32", dims: [2] }],
    }),
    [{
      inputs: [new OnnxTensor(new Float32Array([1, 2]), [2])],
      outputs: [new OnnxTensor(new Float32Array([1, 2]), [2])],
    }],
  );

  // Labels as the CLI makes them: the searched directory's name, then the path below it.
  const labelled: { dir: string; label: string }[] = [];
  for (const searched of [root, `${dir}/extra`]) {
    for (const caseDir of await findCases([searched])) {
      const name = searched.slice(searched.lastIndexOf("/") + 1);
      labelled.push({ dir: caseDir, label: `${name}/${caseDir.slice(searched.length + 1)}` });
    }
  }
  const catalog = await CaseCatalog.load(labelled.map((c) => c.dir));
  const entries: ReportEntry[] = [];
  for (const { dir: caseDir, label } of labelled) {
    const result = await runCase(caseDir, { impls });
    entries.push({ ...result, ...catalog.describe(result, label) });
  }
  const report = jsonReport(entries, impls, [root, `${dir}/extra`]);
  return {
    report,
    parsed: JSON.parse(JSON.stringify(report)),
    failingLabel: `golden/${PERTURBED_CASE}`,
    skippedLabel: `extra/${ODD_NAME}`,
    index: multiIndex(PERTURBED_INDEX, output.dims),
    expected: data[PERTURBED_INDEX],
    original,
    dir,
  };
}

/** Row-major multi-index of a flat index, printed like `[0, 1, 1, 1]`. */
function multiIndex(flat: number, dims: readonly number[]): string {
  const index: number[] = [];
  for (let axis = dims.length - 1; axis >= 0; axis--) {
    index.unshift(flat % dims[axis]);
    flat = Math.floor(flat / dims[axis]);
  }
  return `[${index.join(", ")}]`;
}

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyDir(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}
