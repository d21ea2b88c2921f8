/**
 * The truth regime's second look at a whole graph whose float32 run flipped a kink.
 *
 * A ReLU (or LeakyRelu, Clip) whose exact pre-activation lies within float32 rounding of the kink
 * can take the other branch in any float32 run; the gradient is discontinuous there, so one
 * flipped element moves every upstream gradient, and the comparison with the plain float64 truth
 * measures the flip, not the implementation. PyTorch's own float32 run flips such elements too,
 * but not necessarily the same ones, so its error is no yardstick for ours. Measured: the
 * full-size densenet121 in training mode flips 5 ReLUs on our fast path (pre-activations within
 * 1.1e-5 of 0 on a scale of about 10) and fails by 1760× on a batch-norm bias gradient whose
 * error against the truth on its own branches is 4e-5 normwise.
 *
 * {@linkcode recheckOnPinnedBranches} accepts such a run only when all three hold:
 *
 * 1. **Our float64 reference is PyTorch's float64 truth**: the unpinned graph run in float64 on
 *    the reference path matches the golden's truth on every tensor to a thousandth of the
 *    truth regime's yardstick (float64 rounding is 2⁻²⁹ of float32's, so a correct graph is
 *    far inside; a wrong operator — or a wrong golden — is not). Without this a bug shared by
 *    every path would pass against a truth computed by the same bug.
 * 2. **Every flip is within float32 noise**: `|x₃₂ − x₆₄| ≤ K · max(ρ, F·u) · max|x₆₄|` over the
 *    node's input, the truth regime's elementwise allowance for a tensor of that scale.
 * 3. **Every tensor passes against the pinned truth** (`branchPinnedTruth`: the float64 run on
 *    the float32 run's own kink decisions) with the golden's yardstick, unchanged.
 *
 * @module
 */

import type { DataSet } from "../onnx/case.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import type { OnnxModel } from "../onnx/model.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { branchPinnedTruth, type KinkFlip } from "./branch_truth.ts";
import {
  FLOAT32_UNIT_ROUNDOFF,
  pooledNormwise,
  TRUTH_FACTOR,
  TRUTH_FLOOR,
  truthTolerance,
} from "./tolerance.ts";
import { float32ErrorOf, judgeAgainstTruth, type TruthComparison } from "./truth.ts";

/** How far inside the truth regime's yardstick our float64 reference must be. */
export const REFERENCE64_FRACTION = 1e-3;

/** Operators whose gradient jumps at a kink. */
const KINKED = new Set(["Relu", "LeakyRelu", "Clip"]);

/** One tensor judged against the pinned truth. */
export interface PinnedTensor extends TruthComparison {
  /** File stem: `output_0`, `grad_input_0`, `grad_initializer_3`. */
  tensor: string;
}

/** What {@linkcode recheckOnPinnedBranches} found. */
export interface PinnedRecheck {
  /** Whether the run passes on its own branches (all three conditions of the module doc). */
  ok: boolean;
  /** Why not (empty when `ok`). */
  reason: string;
  /** The float32 run's kink decisions that differ from the float64 run's. */
  flips: KinkFlip[];
  /** Every tensor with a truth, against the pinned truth (empty when condition 1 or 2 failed). */
  tensors: PinnedTensor[];
}

/**
 * Whether a graph has kinks to pin (and its data set a truth to compare with).
 *
 * @param model The case's model.
 * @param set One of its data sets.
 * @returns True when {@linkcode recheckOnPinnedBranches} applies.
 */
export function canPinBranches(model: OnnxModel, set: DataSet): boolean {
  return set.truth !== undefined && model.graph.nodes.some((n) => KINKED.has(n.opType));
}

/**
 * Re-judges an implementation's float32 run of a data set against the float64 truth on the
 * run's own kink decisions (see the module documentation).
 *
 * @param model The case's model.
 * @param set A data set with a float64 truth.
 * @param impl The executor path of the run under test (the GEMM backend is the caller's).
 * @returns The verdict, the flips and every tensor's comparison.
 * @throws {TypeError} If the data set has no truth, or a Clip bound is not a constant.
 */
export function recheckOnPinnedBranches(
  model: OnnxModel,
  set: DataSet,
  impl: "reference" | "fast",
): PinnedRecheck {
  const truth = set.truth;
  if (truth === undefined) {
    throw new TypeError("recheckOnPinnedBranches: the data set has no truth");
  }
  const pooled = pooledNormwise(Object.values(truth.float32Error));
  const seeds = (set.gradOutputs ?? []).map((g, j) =>
    isFloat(set.outputs[j]) && isFloat(g) ? g : undefined
  );
  const backward = set.gradOutputs !== undefined;
  const expected = (values: {
    outputs: readonly (OnnxTensor | undefined)[];
    inputs?: readonly (OnnxTensor | undefined)[];
    initializers?: readonly (OnnxTensor | undefined)[];
  }) =>
    [
      ...truth.outputs.map((t, j) => ({ tensor: `output_${j}`, t, v: values.outputs[j] })),
      ...truth.gradInputs.map((t, i) => ({ tensor: `grad_input_${i}`, t, v: values.inputs?.[i] })),
      ...truth.gradInitializers.map((t, k) => ({
        tensor: `grad_initializer_${k}`,
        t,
        v: values.initializers?.[k],
      })),
    ].filter((e) => e.t !== undefined && truth.float32Error[e.tensor] !== undefined);

  // 1. Our float64 reference against PyTorch's float64 truth.
  const exact = new GraphExecutor(model, { impl: "reference", dtype: "float64" });
  const outputs64 = exact.run(set.inputs);
  const grads64 = backward ? exact.backward(seeds) : undefined;
  for (const { tensor, t, v } of expected({ outputs: outputs64, ...grads64 })) {
    if (v === undefined) continue;
    const yardstick = truthTolerance({ ...truth.float32Error[tensor], pooled });
    const own = float32ErrorOf(v.data as ArrayLike<number>, t!.data as ArrayLike<number>);
    const limitAbs = REFERENCE64_FRACTION * yardstick.maxAbsYardstick;
    const limitNorm = REFERENCE64_FRACTION * yardstick.normwiseYardstick;
    if (!(own.maxAbs <= limitAbs && own.normwise <= limitNorm)) {
      return {
        ok: false,
        reason: `our float64 reference differs from the float64 truth on ${tensor} ` +
          `(max ${own.maxAbs.toPrecision(3)}, normwise ${own.normwise.toPrecision(3)}; allowed ` +
          `${limitAbs.toPrecision(3)}, ${limitNorm.toPrecision(3)}): not a kink flip`,
        flips: [],
        tensors: [],
      };
    }
  }

  // 2. Every flip within float32 noise of the kink.
  const pinned = branchPinnedTruth(model, set.inputs, seeds, { impl });
  const noise = TRUTH_FACTOR * Math.max(pooled, TRUTH_FLOOR * FLOAT32_UNIT_ROUNDOFF);
  const wide = pinned.flips.find((f) => !(Math.abs(f.x32 - f.x64) <= noise * f.scale));
  if (wide !== undefined) {
    return {
      ok: false,
      reason: `${wide.opType} ${wide.node} element ${wide.index} took the other branch at ` +
        `${wide.x32} (exact ${wide.x64}), farther than float32 noise ` +
        `(${(noise * wide.scale).toPrecision(3)}) from its kink`,
      flips: pinned.flips,
      tensors: [],
    };
  }

  // 3. Every tensor against the truth on the run's own branches.
  const tensors: PinnedTensor[] = [];
  const ours = { outputs: pinned.outputs32, ...pinned.gradients32 };
  const truths = { outputs: pinned.outputs, ...pinned.gradients };
  const pinnedOf = new Map(expected(truths).map((e) => [e.tensor, e.v]));
  for (const { tensor, v } of expected(ours)) {
    const t = pinnedOf.get(tensor);
    if (v === undefined || t === undefined) continue;
    const scale = largestFinite(t.data as ArrayLike<number>);
    tensors.push({
      tensor,
      ...judgeAgainstTruth(v, t, { ...truth.float32Error[tensor], scale, pooled }),
    });
  }
  const bad = tensors.find((c) => !c.ok);
  return {
    ok: bad === undefined,
    reason: bad === undefined ? "" : `${bad.tensor} against the pinned truth: ${bad.message}`,
    flips: pinned.flips,
    tensors,
  };
}

function isFloat(t: OnnxTensor | undefined): boolean {
  return t !== undefined && (t.dtype === "float32" || t.dtype === "float64");
}

function largestFinite(data: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) {
    const v = Math.abs(data[i]);
    if (v > max && Number.isFinite(v)) max = v;
  }
  return max;
}
