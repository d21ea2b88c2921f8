/**
 * Runs one conformance case: a directory in ONNX's backend-test layout, extended with gradient
 * files (see `onnx/case.ts`), through each implementation — one of ours by name, or any
 * {@linkcode Implementation} adapter (`conformance/adapter.ts`) — comparing every output and every
 * gradient that has a file with the project's one tensor assertion (count → shape → dtype →
 * values; NaN matches only NaN) under the one tolerance policy (`conformance/tolerance.ts`).
 *
 * A tensor with a float64 truth beside it (`float64/<stem>.pb`, PyTorch goldens) is judged by the
 * truth regime: its error against the truth may be at most `TRUTH_FACTOR` times PyTorch's own
 * float32 error (`conformance/truth.ts`). Any other float tensor gets the accumulation regime,
 * whose tolerance comes from one extra evaluation per data set, shared by every implementation:
 * the graph run by the reference path in float64 on absolute values (`GraphExecutor` option
 * `absolute`), backward on the absolute output gradients. It gives `A`, the magnitude of the
 * terms each element sums, and `reductionLengths()` gives `n`, the number of terms; an element
 * may then differ by `atol + rtol·|expected| + 2·n·2⁻²⁴·A`. Outputs of integer or bool type
 * (MaxPool's Indices, Dropout's mask) must match exactly. A bound as large as the largest
 * expected magnitude accepts zeros: such a tensor is flagged `vacuous` (the report lists it).
 *
 * Gradient files come as a set (`grad_output_<j>` for every output when any gradient file
 * exists); a `grad_output` of an integer or bool output seeds nothing (such outputs have no
 * gradient), and only the `grad_input_<i>` / `grad_initializer_<k>` files that exist are compared.
 *
 * A case the executor cannot run — an unsupported operator, opset, attribute value or element type
 * (float16, strings, sequences) — is *skipped* with the reason; it never passes silently.
 *
 * @module
 */

import { type DataSet, type Float32Error, type GoldenCase, loadCase } from "../onnx/case.ts";
import { GraphExecutor, type GraphGradients, UnsupportedOpError } from "../onnx/executor.ts";
import { OnnxFormatError, OnnxUnsupportedError } from "../onnx/format_error.ts";
import { type OnnxModel, readModelFile } from "../onnx/model.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { compareTensors, type Tolerance } from "../testing/assert_tensor.ts";
import { pooledNormwise, tolerance } from "./tolerance.ts";
import { compareWithTruth } from "./truth.ts";
import { type Implementation, NotSupportedError } from "./adapter.ts";
import {
  ALL_IMPLS,
  builtinImplementation,
  builtinNameOf,
  type ConformanceImpl,
  withBuiltinBackend,
} from "./builtin.ts";
import { canPinBranches, recheckOnPinnedBranches } from "./kink_pinned.ts";
import { prepare, type PreparedRun } from "./_prepare.ts";

export { ALL_IMPLS, type ConformanceImpl } from "./builtin.ts";

/** Which regime of the tolerance policy judged a tensor. */
export type Regime = "truth" | "accumulation" | "exact";

/** One compared tensor of one data set under one implementation. */
export interface TensorCheck {
  /** File stem: `output_0`, `grad_input_1`, `grad_initializer_3`. */
  tensor: string;
  /** Index of the data set (`test_data_set_<n>`). */
  dataSet: number;
  /** The regime: float64 truth, accumulation bound, or exact (integer and bool outputs). */
  regime: Regime;
  /**
   * Truth regime: our error against the float64 truth over PyTorch's float32 error (passes up to
   * `TRUTH_FACTOR`); NaN in the other regimes.
   */
  accuracy: number;
  /** Truth regime: `‖O − T‖₂ / ‖T‖₂`; NaN in the other regimes. */
  normwiseError: number;
  /**
   * Whether the allowed error reaches the largest expected magnitude (then zeros would pass):
   * a bound that cannot fail, reported as such.
   */
  vacuous: boolean;
  /** The tolerance policy's reduction length `n` (0 for exact or non-reducing tensors). */
  n: number;
  /** Whether every element is within its tolerance. */
  ok: boolean;
  /** Largest |actual − expected| over finite pairs (NaN if count, shape or dtype differ). */
  maxAbsError: number;
  /** Largest error ÷ allowed error over the elements (below or at 1 passes). */
  worstRatio: number;
  /** The allowed error at the element of `worstRatio` (NaN if count, shape or dtype differ). */
  allowed: number;
  /** Empty when `ok`; otherwise what differs, from `compareTensors`. */
  message: string;
  /**
   * Truth regime, built-in implementations: set when the float32 run took other kink branches
   * than the exact run and the tensor was judged against the float64 truth on the run's own
   * branches (`conformance/kink_pinned.ts`): the number of flipped decisions.
   */
  kinkFlips?: number;
}

/** The outcome of one implementation on a case. */
export interface ImplResult {
  /** The implementation's name. */
  impl: string;
  /** Whether every check passed and nothing threw (false when skipped). */
  ok: boolean;
  /**
   * Why the implementation could not run the case (an operator it lacks, a configuration it
   * cannot express); its checks are then empty and it counts neither as passed nor failed.
   */
  skipped?: string;
  /** Why the gradient files were not compared although the case has them (no backward). */
  backwardSkipped?: string;
  /** Every comparison made, in data set then file order. */
  checks: TensorCheck[];
  /** Largest `worstRatio` of the checks (Infinity if it threw). */
  worstRatio: number;
  /** Largest `maxAbsError` of the checks. */
  maxAbsError: number;
  /** The error thrown while running, if any. */
  error?: string;
}

/** The outcome of a case. */
export interface CaseResult {
  /** The case directory. */
  dir: string;
  /** Its base name. */
  name: string;
  /**
   * Passed under every implementation that ran it, failed under one, or skipped by all (see
   * `reason`).
   */
  status: "passed" | "failed" | "skipped";
  /** Why the case was skipped or failed (empty when passed). */
  reason: string;
  /** Default-domain opset of the model (undefined when the model could not be read). */
  opset: number | undefined;
  /** Operator types of the graph, in node order, without repeats. */
  ops: string[];
  /** Whether the case has gradient files. */
  gradients: boolean;
  /** Number of data sets. */
  dataSets: number;
  /** Per implementation run (empty when skipped before running). */
  impls: ImplResult[];
  /** Largest error ÷ allowed error over all implementations; `1 − worstRatio` is the margin. */
  worstRatio: number;
  /** Largest absolute error over all implementations. */
  maxAbsError: number;
  /** `"<impl>: <tensor>"` of `worstRatio`, e.g. `"fast: grad_input_1"`. */
  worstTensor: string;
  /** The allowed error at the element of `worstRatio` (NaN when none was compared). */
  worstAllowed: number;
  /** Largest accuracy ratio (ours over PyTorch's float32 error) of the truth checks; NaN if none. */
  accuracy: number;
  /** `"<impl>: <tensor>"` of every check whose bound is vacuous (see `TensorCheck.vacuous`). */
  vacuous: string[];
  /**
   * `"<impl>: <N> kink flips"` of every implementation judged on its own kink branches (see
   * `TensorCheck.kinkFlips`).
   */
  pinned: string[];
  /** Wall time of loading and running, in milliseconds. */
  ms: number;
}

/** Options of {@linkcode runCase} and {@linkcode checkCase}. */
export interface RunCaseOptions {
  /**
   * Implementations to run: built-in names or {@linkcode Implementation} adapters.
   * @default ["reference", "fast", "fast-ts"]
   */
  impls?: readonly (ConformanceImpl | Implementation)[];
}

/** Exact comparison, for integer and bool outputs. */
const EXACT: Tolerance = { rtol: 0, atol: 0 };

/**
 * Loads a case directory and checks it (see {@linkcode checkCase}).
 *
 * @param dir The case directory (holding `model.onnx` and `test_data_set_<n>/`).
 * @param options The implementations to run.
 * @returns The case's result; never throws for a bad or unsupported case — a file the package
 * cannot read for lack of a feature (a string or float8 tensor, a sequence value) skips the case,
 * a malformed one fails it.
 * @throws {TypeError} If `impls` is empty or names an unknown implementation.
 *
 * @example Run a golden case
 * ```ts
 * import { runCase } from "./runner.ts";
 * const result = await runCase(new URL("../onnx/testdata/relu", import.meta.url).pathname);
 * console.log(result.status, result.worstRatio); // passed 0
 * if (result.status !== "passed") throw new Error(result.reason);
 * ```
 */
export async function runCase(dir: string, options: RunCaseOptions = {}): Promise<CaseResult> {
  const start = performance.now();
  implsOf(options, dir);
  if (dir.length > 1) dir = dir.replace(/\/+$/, "");
  let loaded: GoldenCase;
  try {
    loaded = await loadCase(dir);
  } catch (error) {
    const result = await unloadable(dir, error);
    result.ms = performance.now() - start;
    return result;
  }
  const result = await checkCase(loaded, options);
  result.ms = performance.now() - start;
  return result;
}

/**
 * Checks a loaded case under each implementation: forward for every data set, and backward where
 * the data set has gradient files; see the module documentation for the tolerances.
 *
 * @param golden The loaded case.
 * An implementation that cannot run the case (see {@linkcode ImplResult.skipped}) is recorded as
 * skipped; the case is skipped when no implementation ran it.
 *
 * @param options The implementations to run.
 * @returns The case's result (`ms` is 0: {@linkcode runCase} times the whole).
 * @throws {TypeError} If `impls` is empty or names an unknown implementation.
 *
 * @example Check an in-memory Relu case
 * ```ts
 * import { checkCase } from "./runner.ts";
 * import { decodeModel } from "../onnx/model.ts";
 * import { singleNodeModel } from "../onnx/single_node.ts";
 * import { OnnxTensor } from "../onnx/onnx_tensor.ts";
 * const model = decodeModel(singleNodeModel({
 *   opType: "Relu",
 *   inputs: [{ name: "x", dtype: "float32", dims: [2] }],
 *   outputs: [{ name: "y", dtype: "float32", dims: [2] }],
 * }));
 * const t = (v: number[]) => new OnnxTensor(new Float32Array(v), [2]);
 * const result = await checkCase({
 *   name: "relu",
 *   dir: "relu",
 *   model,
 *   dataSets: [{ inputs: [t([-1, 2])], outputs: [t([0, 2])] }],
 * });
 * if (result.status !== "passed") throw new Error(result.reason);
 * ```
 */
export async function checkCase(
  golden: GoldenCase,
  options: RunCaseOptions = {},
): Promise<CaseResult> {
  const impls = implsOf(options, golden.name);
  const { model, dataSets } = golden;
  const result = baseResult(golden.dir, golden.name, model);
  result.gradients = dataSets.some((set) => set.gradOutputs !== undefined);
  result.dataSets = dataSets.length;
  const skip = (reason: string): CaseResult => {
    result.status = "skipped";
    result.reason = reason;
    result.impls = [];
    return result;
  };
  // A failure before any implementation could be compared.
  const fail = (reason: string, what: string): CaseResult => {
    result.status = "failed";
    result.reason = reason;
    result.impls = [];
    result.worstRatio = Infinity;
    result.worstTensor = `${what}: threw`;
    return result;
  };
  const nonTensor = nonTensorValue(model);
  if (nonTensor !== undefined) return skip(nonTensor);

  // The absolute-value reference gives the accumulation tolerances of every implementation.
  let absolute: GraphExecutor;
  try {
    absolute = new GraphExecutor(model, { impl: "reference", dtype: "float64", absolute: true });
  } catch (error) {
    if (error instanceof UnsupportedOpError) return skip(unsupportedReason(error, result.opset));
    return fail(`cannot prepare the graph: ${messageOf(error)}`, "graph");
  }
  const runs: (PreparedRun | undefined)[] = [];
  result.impls = [];
  for (const impl of impls) {
    const record: ImplResult = {
      impl: impl.name,
      ok: true,
      checks: [],
      worstRatio: 0,
      maxAbsError: 0,
    };
    result.impls.push(record);
    let run: PreparedRun | undefined;
    try {
      const prepared = await prepare(impl, model);
      if ("skip" in prepared) record.skipped = prepared.skip;
      else run = prepared.run;
    } catch (error) {
      const reason = skipReason(error, impl, result.opset);
      if (reason !== undefined) record.skipped = reason;
      else record.error = `cannot prepare the graph: ${messageOf(error)}`;
    }
    runs.push(run);
  }
  const allSkipped = () => result.impls.every((r) => r.skipped !== undefined);
  if (allSkipped()) return skip(skippedReason(result));

  for (const [index, set] of dataSets.entries()) {
    let tolerances: Tolerances;
    try {
      tolerances = needsAccumulation(set) ? expectedTolerances(absolute, set) : truthOnly(set);
    } catch (error) {
      if (error instanceof UnsupportedOpError) return skip(unsupportedReason(error, result.opset));
      return fail(
        `test_data_set_${index}: the absolute-value reference run failed: ${messageOf(error)}`,
        "absolute-value reference",
      );
    }
    for (const [k, impl] of impls.entries()) {
      const record = result.impls[k], run = runs[k];
      if (run === undefined || record.error !== undefined || record.skipped !== undefined) {
        continue;
      }
      try {
        const { checks, backwardRefused, backwardError } = await checkSet(
          run,
          set,
          tolerances,
          index,
        );
        const name = builtinNameOf(impl);
        const failedTruths = checks.filter((c) => c.regime === "truth" && !c.ok);
        // Only accuracy failures: an inconsistent golden or a NaN/shape mismatch (accuracy ∞)
        // is no kink flip.
        if (
          name !== undefined && failedTruths.length > 0 &&
          failedTruths.every((c) => Number.isFinite(c.accuracy))
        ) {
          repinFailedTruths(model, set, name, checks);
        }
        record.checks.push(...checks);
        if (backwardError !== undefined) {
          if (backwardError instanceof UnsupportedOpError) throw backwardError;
          record.error = `test_data_set_${index}: backward: ${messageOf(backwardError)}`;
        }
        if (backwardRefused !== undefined) {
          record.backwardSkipped = `${impl.name}: ${backwardRefused}`;
        } else if (set.gradOutputs !== undefined && run.backward === undefined) {
          record.backwardSkipped = run.backwardLacks ?? `${impl.name} has no backward`;
        }
      } catch (error) {
        const reason = skipReason(error, impl, result.opset);
        if (reason !== undefined) {
          record.skipped = reason;
          record.checks = [];
        } else record.error = `test_data_set_${index}: ${messageOf(error)}`;
      }
    }
  }
  if (allSkipped()) return skip(skippedReason(result));
  summarize(result);
  return result;
}

/** Why an error means "cannot run" rather than "ran wrong", or undefined for a failure. */
function skipReason(
  error: unknown,
  impl: Implementation,
  opset: number | undefined,
): string | undefined {
  if (error instanceof UnsupportedOpError) {
    const reason = unsupportedReason(error, opset);
    // Our own paths keep the reasons they always printed; another's name says who lacks it.
    return ALL_IMPLS.includes(impl.name as ConformanceImpl) ? reason : `${impl.name}: ${reason}`;
  }
  if (error instanceof NotSupportedError) return `${impl.name}: ${error.message}`;
  return undefined;
}

/** The distinct skip reasons of the implementations, joined. */
function skippedReason(result: CaseResult): string {
  return [...new Set(result.impls.map((r) => r.skipped!))].join("; ");
}

/** The implementations to run, validated; built-in names become their adapters. */
function implsOf(options: RunCaseOptions, name: string): Implementation[] {
  const impls = options?.impls ?? ALL_IMPLS;
  const valid = (i: unknown) =>
    ALL_IMPLS.includes(i as ConformanceImpl) ||
    (i !== null && typeof i === "object" && typeof (i as Implementation).name === "string" &&
      (i as Implementation).name !== "");
  if (!Array.isArray(impls) || impls.length === 0 || !impls.every(valid)) {
    const listed = Array.isArray(impls)
      ? `[${impls.map((i) => (typeof i === "object" ? i?.name : String(i))).join(", ")}]`
      : String(impls);
    throw new TypeError(
      `Cannot check case ${name}: impls must list some of ${ALL_IMPLS.join(", ")} or ` +
        `implementation objects with a name, got ${listed}`,
    );
  }
  return impls.map((i) => typeof i === "string" ? builtinImplementation(i as ConformanceImpl) : i);
}

/** The tolerance and `n` of every tensor a data set compares. */
interface Tolerances {
  outputs: { tolerance: Tolerance; n: number }[];
  gradInputs: { tolerance: Tolerance; n: number }[];
  gradInitializers: { tolerance: Tolerance; n: number }[];
}

/** Whether some float tensor of the data set has no float64 truth (and needs `A` and `n`). */
function needsAccumulation(set: DataSet): boolean {
  const lacks = (list: readonly (OnnxTensor | undefined)[] | undefined, truth = list) =>
    (list ?? []).some((e, i) => e !== undefined && isFloat(e) && truth?.[i] === undefined);
  const t = set.truth;
  return lacks(set.outputs, t?.outputs ?? []) ||
    (set.gradOutputs !== undefined && (lacks(set.gradInputs, t?.gradInputs ?? []) ||
      lacks(set.gradInitializers, t?.gradInitializers ?? [])));
}

/** Placeholder tolerances of a data set whose every float tensor has a truth (never read). */
function truthOnly(set: DataSet): Tolerances {
  const none = (list: readonly unknown[] | undefined) =>
    (list ?? []).map(() => ({ tolerance: EXACT, n: 0 }));
  return {
    outputs: none(set.outputs),
    gradInputs: none(set.gradInputs),
    gradInitializers: none(set.gradInitializers),
  };
}

/** Evaluates the absolute-value reference once per data set: `A` and `n` for each tensor. */
function expectedTolerances(absolute: GraphExecutor, set: DataSet): Tolerances {
  const outputs = absolute.run(set.inputs);
  const lengths = absolute.reductionLengths();
  const of = (expected: OnnxTensor | undefined, a: OnnxTensor | undefined, n: number) => {
    if (expected === undefined || !isFloat(expected)) return { tolerance: EXACT, n: 0 };
    const data = a?.data as ArrayLike<number> | undefined;
    return { tolerance: tolerance(n, data, expected as { data: ArrayLike<number> }), n };
  };
  const result: Tolerances = {
    outputs: set.outputs.map((e, j) => of(e, outputs[j], lengths.outputs[j] ?? 0)),
    gradInputs: [],
    gradInitializers: [],
  };
  if (set.gradOutputs !== undefined) {
    const grads = absolute.backward(seeds(set));
    result.gradInputs = (set.gradInputs ?? []).map((e, i) =>
      of(e, grads.inputs[i], lengths.gradInputs[i] ?? 0)
    );
    result.gradInitializers = (set.gradInitializers ?? []).map((e, k) =>
      of(e, grads.initializers[k], lengths.gradInitializers[k] ?? 0)
    );
  }
  return result;
}

/** The output gradients to seed: `undefined` for integer/bool outputs, which have none. */
function seeds(set: DataSet): (OnnxTensor | undefined)[] {
  return (set.gradOutputs ?? []).map((g, j) =>
    isFloat(set.outputs[j]) && isFloat(g) ? g : undefined
  );
}

/**
 * Runs one data set through an executor and compares every tensor that has a file; a backward
 * that throws `NotSupportedError` leaves the forward checks and says why (`backwardRefused`).
 */
async function checkSet(
  executor: PreparedRun,
  set: DataSet,
  tolerances: Tolerances,
  index: number,
): Promise<{ checks: TensorCheck[]; backwardRefused?: string; backwardError?: unknown }> {
  const checks: TensorCheck[] = [];
  const truth = set.truth;
  const pooled = truth ? pooledNormwise(Object.values(truth.float32Error)) : 0;
  const judge = (
    tensor: string,
    actual: OnnxTensor | undefined,
    expected: OnnxTensor,
    t: OnnxTensor | undefined,
    { tolerance, n }: { tolerance: Tolerance; n: number },
  ) => {
    const record = truth?.float32Error[tensor];
    checks.push(
      t !== undefined && record !== undefined
        ? compareTruth(tensor, index, actual, expected, t, record, pooled)
        : compare(tensor, index, actual, expected, tolerance, n),
    );
  };
  const outputs = await executor.run(set.inputs);
  set.outputs.forEach((expected, j) => {
    judge(`output_${j}`, outputs[j], expected, truth?.outputs[j], tolerances.outputs[j]);
  });
  if (set.gradOutputs === undefined || executor.backward === undefined) return { checks };
  let grads: GraphGradients & { omitted?: string };
  try {
    grads = await executor.backward(seeds(set));
  } catch (error) {
    if (error instanceof NotSupportedError) return { checks, backwardRefused: error.message };
    // The forward's comparisons stand; the error is the implementation's failure.
    return { checks, backwardError: error };
  }
  const omitted: string[] = [];
  const compareAll = (
    prefix: string,
    expectedList: readonly (OnnxTensor | undefined)[] | undefined,
    actualList: readonly (OnnxTensor | undefined)[],
    truthList: readonly (OnnxTensor | undefined)[] | undefined,
    list: Tolerances["gradInputs"],
  ) => {
    (expectedList ?? []).forEach((expected, i) => {
      if (expected === undefined) return;
      if (actualList[i] === undefined && grads.omitted !== undefined) {
        omitted.push(`${prefix}_${i}`);
        return;
      }
      judge(`${prefix}_${i}`, actualList[i], expected, truthList?.[i], list[i]);
    });
  };
  compareAll(
    "grad_input",
    set.gradInputs,
    grads.inputs,
    truth?.gradInputs,
    tolerances.gradInputs,
  );
  compareAll(
    "grad_initializer",
    set.gradInitializers,
    grads.initializers,
    truth?.gradInitializers,
    tolerances.gradInitializers,
  );
  if (omitted.length > 0) {
    return { checks, backwardRefused: `${omitted.join(", ")} not computed: ${grads.omitted}` };
  }
  return { checks };
}

function missing(tensor: string, dataSet: number, regime: Regime, n: number): TensorCheck {
  return {
    tensor,
    dataSet,
    regime,
    accuracy: NaN,
    normwiseError: NaN,
    vacuous: false,
    n,
    ok: false,
    maxAbsError: NaN,
    worstRatio: Infinity,
    allowed: NaN,
    message: `no ${tensor.startsWith("output") ? "such output" : "gradient"} was computed`,
  };
}

function compareTruth(
  tensor: string,
  dataSet: number,
  actual: OnnxTensor | undefined,
  expected: OnnxTensor,
  truth: OnnxTensor,
  record: Float32Error,
  pooled: number,
): TensorCheck {
  if (actual === undefined) return missing(tensor, dataSet, "truth", 0);
  const c = compareWithTruth(actual, expected, truth, record, pooled);
  return {
    tensor,
    dataSet,
    regime: "truth",
    accuracy: c.accuracy,
    normwiseError: c.normwiseError,
    // A truth that PyTorch's float32 result misses entirely (E₂ ≥ 1/2: a gradient that is zero
    // up to rounding, like a bias ahead of a training-mode batch norm) is only checked at the
    // noise level; its bound reaching its scale says nothing about the check's power.
    vacuous: c.scale > 0 && c.allowed >= c.scale && record.normwise < 0.5,
    n: 0,
    ok: c.ok,
    maxAbsError: c.maxAbsError,
    worstRatio: c.worstRatio,
    allowed: c.allowed,
    message: c.message,
  };
}

function compare(
  tensor: string,
  dataSet: number,
  actual: OnnxTensor | undefined,
  expected: OnnxTensor,
  tol: Tolerance,
  n: number,
): TensorCheck {
  const regime: Regime = tol === EXACT ? "exact" : "accumulation";
  if (actual === undefined) return missing(tensor, dataSet, regime, n);
  const c = compareTensors(actual, expected, tol);
  return {
    tensor,
    dataSet,
    regime,
    accuracy: NaN,
    normwiseError: NaN,
    vacuous: regime === "accumulation" && isVacuous(expected, tol),
    n,
    ok: c.ok,
    maxAbsError: c.maxAbsError,
    worstRatio: c.worstRatio,
    allowed: c.count === 0 && expected.size > 0 ? NaN : allowedAtWorst(actual, expected, tol),
    message: c.message,
  };
}

/**
 * The allowed error at the element with the largest error ÷ allowed ratio, for the report only:
 * it mirrors `compareTensors`' pass rule (`atol + rtol·|e| + bound[i]` over finite pairs), which
 * alone decides pass or fail.
 */
function allowedAtWorst(actual: OnnxTensor, expected: OnnxTensor, tol: Tolerance): number {
  const rtol = tol.rtol ?? 0, atol = tol.atol ?? 0, bound = tol.bound;
  const a = actual.data as ArrayLike<number | bigint>,
    e = expected.data as ArrayLike<number | bigint>;
  let worst = -1, worstAllowed = atol;
  for (let i = 0; i < e.length; i++) {
    const x = Number(a[i]), y = Number(e[i]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const allowed = atol + rtol * Math.abs(y) + (bound ? bound[i] : 0);
    const ratio = allowed > 0 ? Math.abs(x - y) / allowed : x === y ? 0 : Infinity;
    if (ratio > worst) {
      worst = ratio;
      worstAllowed = allowed;
    }
  }
  return worstAllowed;
}

/**
 * Whether the accumulation bound reaches the largest expected magnitude somewhere: then an
 * all-zero answer would pass that element's neighbourhood of the scale, so the bound guards
 * nothing there. An all-zero expected tensor is not vacuous: only (near) zeros pass it.
 */
function isVacuous(expected: OnnxTensor, tol: Tolerance): boolean {
  const e = expected.data as ArrayLike<number>;
  let scale = 0;
  for (let i = 0; i < e.length; i++) {
    const v = Math.abs(Number(e[i]));
    if (Number.isFinite(v) && v > scale) scale = v;
  }
  if (scale === 0) return false;
  const rtol = tol.rtol ?? 0, atol = tol.atol ?? 0, bound = tol.bound;
  for (let i = 0; i < e.length; i++) {
    const v = Math.abs(Number(e[i]));
    if (!Number.isFinite(v)) continue;
    if (atol + rtol * v + (bound ? bound[i] : 0) >= scale) return true;
  }
  return false;
}

function summarize(result: CaseResult): void {
  for (const record of result.impls) {
    if (record.skipped !== undefined) {
      record.ok = false;
      continue;
    }
    const flips = record.checks.find((c) => c.kinkFlips !== undefined)?.kinkFlips;
    if (flips !== undefined) result.pinned.push(`${record.impl}: ${flips} kink flips`);
    for (const c of record.checks) {
      if (c.regime === "truth") {
        result.accuracy = Number.isNaN(result.accuracy)
          ? c.accuracy
          : Math.max(result.accuracy, c.accuracy);
      }
      if (c.vacuous) result.vacuous.push(`${record.impl}: ${c.tensor}`);
      if (!c.ok) record.ok = false;
      if (c.worstRatio > record.worstRatio) record.worstRatio = c.worstRatio;
      if (c.maxAbsError > record.maxAbsError) record.maxAbsError = c.maxAbsError;
      if (c.worstRatio >= result.worstRatio) {
        result.worstRatio = c.worstRatio;
        result.worstTensor = `${record.impl}: ${c.tensor}`;
        result.worstAllowed = c.allowed;
      }
      if (c.maxAbsError > result.maxAbsError) result.maxAbsError = c.maxAbsError;
    }
    if (record.error !== undefined) {
      record.ok = false;
      record.worstRatio = Infinity;
      result.worstRatio = Infinity;
      result.worstTensor = `${record.impl}: threw`;
      result.worstAllowed = NaN;
    }
  }
  const failed = result.impls.filter((r) => !r.ok && r.skipped === undefined);
  result.status = failed.length === 0 ? "passed" : "failed";
  result.reason = failed.map((r) => {
    if (r.error !== undefined) return `${r.impl}: ${r.error}`;
    const c = r.checks.find((c) => !c.ok)!;
    const where = `${c.dataSet > 0 ? `test_data_set_${c.dataSet}/` : ""}${c.tensor}`;
    return `${r.impl}: ${where}: ${c.message}`;
  }).join("; ");
}

function baseResult(dir: string, name: string, model: OnnxModel | undefined): CaseResult {
  return {
    dir,
    name,
    status: "skipped",
    reason: "",
    opset: model?.opsetImports[""],
    ops: model ? [...new Set(model.graph.nodes.map((n) => n.opType))] : [],
    gradients: false,
    dataSets: 0,
    impls: [],
    worstRatio: 0,
    maxAbsError: 0,
    worstTensor: "",
    worstAllowed: NaN,
    accuracy: NaN,
    vacuous: [],
    pinned: [],
    ms: 0,
  };
}

/** Names a graph input or output that is not a tensor (sequence, map, optional, ...). */
function nonTensorValue(model: OnnxModel): string | undefined {
  for (
    const [what, list] of [["input", model.graph.inputs], ["output", model.graph.outputs]] as const
  ) {
    for (const v of list) {
      if (v.kind !== "tensor") {
        return `graph ${what} ${JSON.stringify(v.name)} is ${
          article(v.kind)
        } ${v.kind}; only tensors are supported`;
      }
    }
  }
  return undefined;
}

/** The result of a case whose files do not load: skipped if unsupported, else failed. */
async function unloadable(dir: string, error: unknown): Promise<CaseResult> {
  const name = dir.replace(/\/+$/, "").split("/").pop() ?? dir;
  let model: OnnxModel | undefined;
  try {
    model = await readModelFile(`${dir}/model.onnx`);
  } catch {
    model = undefined;
  }
  const result = baseResult(dir, name, model);
  // A value the model declares as a sequence or optional is stored as a SequenceProto or
  // OptionalProto, which the tensor reader rightly rejects: unsupported, not corrupt.
  const nonTensor = model === undefined ? undefined : nonTensorValue(model);
  if (nonTensor !== undefined || error instanceof OnnxUnsupportedError) {
    result.reason = nonTensor ?? `cannot read ${readProblem(dir, error as OnnxUnsupportedError)}`;
    return result;
  }
  result.status = "failed";
  result.reason = error instanceof OnnxFormatError || error instanceof Error
    ? `cannot load: ${messageOf(error)}`
    : `cannot load: ${String(error)}`;
  return result;
}

/** `<file in the case>: <problem>` from a reader's error (its message names the full path). */
function readProblem(dir: string, error: OnnxFormatError): string {
  const file = error.file.startsWith(`${dir}/`) ? error.file.slice(dir.length + 1) : error.file;
  const at = error.message.indexOf(`${error.file}: `);
  const problem = at < 0 ? error.message : error.message.slice(at + error.file.length + 2);
  return `${file}: ${problem}`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? "an" : "a";
}

function unsupportedReason(error: UnsupportedOpError, opset: number | undefined): string {
  return `${error.opType}${opset === undefined ? "" : ` (opset ${opset})`}: ${error.reason}`;
}

function isFloat(t: OnnxTensor): boolean {
  return t.dtype === "float32" || t.dtype === "float64";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A built-in path's truth checks that failed are judged once more against the float64 truth on
 * the run's own kink branches (`conformance/kink_pinned.ts`): when the run passes there, every
 * truth check of the data set takes that verdict and records the number of flips; otherwise the
 * failures stand and say why the flips do not explain them.
 */
function repinFailedTruths(
  model: OnnxModel,
  set: DataSet,
  name: ConformanceImpl,
  checks: TensorCheck[],
): void {
  if (!canPinBranches(model, set)) return;
  const r = withBuiltinBackend(
    name,
    () => recheckOnPinnedBranches(model, set, name === "reference" ? "reference" : "fast"),
  );
  if (r.flips.length === 0) return;
  if (!r.ok) {
    for (const c of checks) {
      if (c.regime === "truth" && !c.ok) {
        c.message += `; not explained by its ${r.flips.length} kink flips: ${r.reason}`;
      }
    }
    return;
  }
  const pinned = new Map(r.tensors.map((t) => [t.tensor, t]));
  for (const c of checks) {
    const p = c.regime === "truth" ? pinned.get(c.tensor) : undefined;
    if (p === undefined) continue;
    Object.assign(c, {
      ok: p.ok,
      accuracy: p.accuracy,
      normwiseError: p.normwiseError,
      maxAbsError: p.maxAbsError,
      worstRatio: p.worstRatio,
      allowed: p.allowed,
      message: p.message,
      kinkFlips: r.flips.length,
    });
  }
}
