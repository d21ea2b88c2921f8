/**
 * Runs the mutation catalogue (`conformance/mutants.ts`) against the conformance suite.
 *
 * A code mutant is applied to a copy of the source tree (golden/ linked in, not copied), and
 * `tasks/_mutant_probe.ts` of that copy runs the goldens through every implementation, the
 * mutant's hinted cases first, until one fails. A golden mutant rewrites a copy of its case and
 * the case is run here. Either way the mutant is *killed* when a case fails (or the mutated code
 * throws or hangs past the time limit), and *survives* when every case passes.
 *
 * @module
 */

import { type DataSet, loadCase, writeCase } from "../onnx/case.ts";
import type { OnnxModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import type { CodeMutant, GoldenEdit, GoldenMutant, Mutant } from "./mutants.ts";
import { runCase } from "./runner.ts";
import { float32ErrorOf } from "./truth.ts";

/** The outcome of one mutant. */
export interface MutantResult {
  /** The mutant. */
  mutant: Mutant;
  /** Whether the suite failed on it. */
  killed: boolean;
  /** What killed it: `<case>: <reason>` (or the crash / timeout), empty when it survived. */
  by: string;
  /** Cases run before the verdict. */
  ran: number;
  /** Wall time in milliseconds. */
  ms: number;
}

/** Options of {@linkcode runMutant}. */
export interface MutationOptions {
  /** Repository root (holding deno.json and golden/). */
  root: string;
  /** Seconds a code mutant's probe may run before it counts as killed by a hang. @default 600 */
  timeoutSeconds?: number;
}

/**
 * Injects one mutant and runs the suite on it.
 *
 * @param mutant The mutant.
 * @param options Repository root and time limit.
 * @returns Killed or survived, and by what.
 * @throws {Error} If a code mutant's search text does not occur exactly once in its file (the
 * catalogue is stale), or a golden mutant's case or tensor does not exist.
 */
export async function runMutant(mutant: Mutant, options: MutationOptions): Promise<MutantResult> {
  const started = performance.now();
  const partial = mutant.kind === "code"
    ? await runCodeMutant(mutant, options)
    : await runGoldenMutant(mutant, options.root);
  return { mutant, ...partial, ms: performance.now() - started };
}

/** Checks that a code mutant applies: its search text occurs exactly once. */
export function applyCodeMutant(mutant: CodeMutant, source: string): string {
  const first = source.indexOf(mutant.search);
  if (first < 0 || source.indexOf(mutant.search, first + 1) >= 0) {
    throw new Error(
      `mutant ${mutant.id}: the search text occurs ${first < 0 ? "nowhere" : "more than once"} ` +
        `in ${mutant.file}; update conformance/mutants.ts`,
    );
  }
  return source.slice(0, first) + mutant.replace + source.slice(first + mutant.search.length);
}

async function runCodeMutant(
  mutant: CodeMutant,
  options: MutationOptions,
): Promise<Omit<MutantResult, "mutant" | "ms">> {
  const root = options.root;
  const original = await Deno.readTextFile(`${root}/${mutant.file}`);
  const mutated = applyCodeMutant(mutant, original);
  const copy = await Deno.makeTempDir({ prefix: `mutant-${mutant.id}-` });
  try {
    await copyTree(root, copy);
    await Deno.symlink(`${root}/golden`, `${copy}/golden`);
    await Deno.writeTextFile(`${copy}/${mutant.file}`, mutated);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-env",
        "--allow-sys",
        `${copy}/tasks/_mutant_probe.ts`,
        `${copy}/golden`,
        JSON.stringify(mutant.hint),
      ],
      cwd: copy,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const limit = (options.timeoutSeconds ?? 600) * 1000;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, limit);
    const { code, stdout, stderr } = await child.output();
    clearTimeout(timer);
    if (timedOut) return { killed: true, by: `hang: no verdict in ${limit / 1000} s`, ran: 0 };
    const lines = new TextDecoder().decode(stdout).trim().split("\n");
    const last = lines[lines.length - 1] ?? "";
    if (code !== 0 || !last.startsWith("{")) {
      const err = new TextDecoder().decode(stderr).trim().split("\n").slice(-3).join(" | ");
      return { killed: true, by: `crash: exit ${code}: ${err}`, ran: 0 };
    }
    const verdict = JSON.parse(last) as { killed: boolean; by: string; ran: number };
    return verdict;
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
}

/** Copies the source tree without golden/, .git and scratch directories. */
async function copyTree(from: string, to: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    const name = entry.name;
    if (name === "golden" || name === ".git" || name.startsWith(".golden-new-")) continue;
    const src = `${from}/${name}`, dst = `${to}/${name}`;
    if (entry.isDirectory) {
      await Deno.mkdir(dst);
      await copyTree(src, dst);
    } else if (entry.isFile) await Deno.copyFile(src, dst);
  }
}

async function runGoldenMutant(
  mutant: GoldenMutant,
  root: string,
): Promise<Omit<MutantResult, "mutant" | "ms">> {
  const source = `${root}/golden/${mutant.case}`;
  const golden = await loadCase(source);
  const set = golden.dataSets[0];
  const stem = resolveTensor(mutant, golden.model);
  const [role, index] = splitStem(stem);
  const lists = {
    output: [set.outputs, set.truth?.outputs],
    grad_input: [set.gradInputs ?? [], set.truth?.gradInputs],
    grad_initializer: [set.gradInitializers ?? [], set.truth?.gradInitializers],
  } as const;
  const [expectedList, truthList] = lists[role];
  const expected = expectedList[index];
  if (expected === undefined) {
    throw new Error(`mutant ${mutant.id}: ${mutant.case} has no ${stem}`);
  }
  const values = expected.data as ArrayLike<number>;
  const at = mutant.edit.op === "scale-element" && mutant.edit.which === "largest"
    ? largestElement(values)
    : medianElement(values);
  const edited = edit(expected, mutant.edit, at);
  const replace = <T>(list: readonly T[] | undefined, value: T) =>
    list === undefined ? undefined : list.map((v, i) => (i === index ? value : v));
  let truth = set.truth;
  const t = truthList?.[index];
  if (truth !== undefined && t !== undefined) {
    const editedTruth = edit(t, mutant.edit, at);
    truth = {
      outputs: role === "output" ? replace(truth.outputs, editedTruth)! : truth.outputs,
      gradInputs: role === "grad_input"
        ? replace(truth.gradInputs, editedTruth)!
        : truth.gradInputs,
      gradInitializers: role === "grad_initializer"
        ? replace(truth.gradInitializers, editedTruth)!
        : truth.gradInitializers,
      // The record follows the edit, so the golden stays self-consistent.
      float32Error: {
        ...truth.float32Error,
        // A generator bug shifting every run alike leaves the other backend's error as it was.
        [stem]: {
          ...float32ErrorOf(edited.data as ArrayLike<number>, editedTruth.data as Float64Array),
          ...(truth.float32Error[stem]?.alternative
            ? { alternative: truth.float32Error[stem].alternative }
            : {}),
        },
      },
    };
  }
  const mutated: DataSet = {
    ...set,
    outputs: role === "output" ? replace(set.outputs, edited)! : set.outputs,
    gradInputs: role === "grad_input" ? replace(set.gradInputs, edited) : set.gradInputs,
    gradInitializers: role === "grad_initializer"
      ? replace(set.gradInitializers, edited)
      : set.gradInitializers,
    ...(truth ? { truth } : {}),
  };
  const dir = await Deno.makeTempDir({ prefix: `mutant-${mutant.id}-` });
  try {
    const caseDir = `${dir}/${golden.name}`;
    await writeCase(caseDir, await Deno.readFile(`${source}/model.onnx`), [mutated]);
    const result = await runCase(caseDir);
    return result.status === "failed"
      ? { killed: true, by: `${mutant.case}: ${result.reason.slice(0, 300)}`, ran: 1 }
      : { killed: false, by: "", ran: 1 };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `conv-weight-grad:first|last` → `grad_initializer_<k>` of that 2-D convolution's weight. */
function resolveTensor(mutant: GoldenMutant, model: OnnxModel): string {
  const which = /^conv-weight-grad:(first|last)$/.exec(mutant.tensor)?.[1];
  if (which === undefined) return mutant.tensor;
  const names = model.graph.initializers.map((t) => t.name);
  const weights = model.graph.nodes
    .filter((n) => n.opType === "Conv")
    .map((n) => names.indexOf(n.inputs[1]))
    .filter((k) => k >= 0 && model.graph.initializers[k].dims.length === 4);
  if (weights.length === 0) {
    throw new Error(`mutant ${mutant.id}: ${mutant.case} has no 2-D convolution weight`);
  }
  return `grad_initializer_${which === "first" ? weights[0] : weights[weights.length - 1]}`;
}

function splitStem(stem: string): ["output" | "grad_input" | "grad_initializer", number] {
  const match = /^(output|grad_input|grad_initializer)_(\d+)$/.exec(stem);
  if (!match) throw new Error(`not a tensor stem: ${stem}`);
  return [match[1] as "output" | "grad_input" | "grad_initializer", Number(match[2])];
}

/**
 * The index of the element of median magnitude among the nonzero ones (the lower median, ties
 * by index): scaling an exact zero would change nothing (an equivalent mutant, not a test).
 */
export function medianElement(data: ArrayLike<number>): number {
  const order = Array.from({ length: data.length }, (_, i) => i)
    .filter((i) => data[i] !== 0 && Number.isFinite(data[i]))
    .sort((a, b) => Math.abs(data[a]) - Math.abs(data[b]) || a - b);
  return order.length === 0 ? 0 : order[Math.floor((order.length - 1) / 2)];
}

/** The index of the element of largest magnitude (the first of ties). */
export function largestElement(data: ArrayLike<number>): number {
  let at = 0;
  for (let i = 1; i < data.length; i++) if (Math.abs(data[i]) > Math.abs(data[at])) at = i;
  return at;
}

function edit(t: OnnxTensor, how: GoldenEdit, at: number): OnnxTensor {
  const data = (t.data as Float32Array | Float64Array).slice();
  if (how.op === "zero") data.fill(0);
  else if (how.op === "negate") data.forEach((v, i) => (data[i] = -v));
  else data[at] *= 1 + how.relative;
  return new OnnxTensor(data, t.dims, { name: t.name });
}
