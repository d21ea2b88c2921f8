// Random layer calls: convolution, transposed convolution, max and average pooling, forward and
// backward, with options drawn from small valid values and from hostile ones (0, −1, 2^31 − 1,
// 2^31, 2^32, 2^40, 2^53, 1.5, NaN, Infinity, wrong lengths, unknown strings). Every call runs on
// the reference and on the fast path; the two must refuse it with the same clean error or accept
// it and agree. Data are small integers, so both paths' sums are exact and any difference is a
// bug, not rounding.

import fc from "fast-check";
import { conv, convBackward } from "../layers/conv.ts";
import { convTranspose, convTransposeBackward } from "../layers/conv_transpose.ts";
import { maxPool, maxPoolBackward } from "../layers/max_pool.ts";
import { avgPool, avgPoolBackward } from "../layers/avg_pool.ts";
import type { Impl } from "../layers/_impl.ts";
import { type DType, Tensor } from "../layers/tensor.ts";
import { classifyError, compareValues, describeError, type Outcome } from "./classify.ts";

/** The layer operations the fuzzer calls. */
export type LayerOp = "conv" | "convTranspose" | "maxPool" | "avgPool";

/** One drawn layer call: plain data (structured-cloneable), so a worker can run it. */
export interface LayerCase {
  readonly op: LayerOp;
  readonly batch: number;
  /** Input channels per group (convolutions) or channels (pooling). */
  readonly channels: number;
  /** Output channels per group (convolutions). */
  readonly outChannels: number;
  readonly groups: unknown;
  readonly size: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: unknown;
  readonly dilation: unknown;
  readonly padding: unknown;
  readonly outputPadding: unknown;
  readonly outputSize: unknown;
  readonly ceilMode: unknown;
  readonly countIncludePad: unknown;
  readonly bias: boolean;
  readonly dtype: DType;
  readonly backward: boolean;
}

/** The result of one case: its outcome and, for failures, what happened. */
export interface CaseResult {
  readonly outcome: Outcome;
  readonly detail: string;
}

/** Values an attacker tries for an integer option. */
export const HOSTILE_INTEGERS: readonly number[] = [
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  1000,
  65536,
  100000,
  2 ** 30,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 40,
  2 ** 53,
  1e21,
];

const small = (min: number, max: number) => fc.integer({ min, max });

/** Mostly small valid values, sometimes a hostile one. */
function option(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 15, arbitrary: small(min, max) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_INTEGERS) },
  );
}

/** An option given as one number, one per axis, a wrong-length list, or left out. */
function perAxis(rank: number, min: number, max: number, lists = [rank]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: option(min, max) },
    ...lists.map((length) => ({
      weight: 8,
      arbitrary: fc.array(option(min, max), { minLength: length, maxLength: length }),
    })),
    { weight: 1, arbitrary: fc.array(option(min, max), { minLength: 0, maxLength: rank + 2 }) },
  );
}

/** The arbitrary of {@linkcode LayerCase}. */
export function layerCaseArbitrary(): fc.Arbitrary<LayerCase> {
  return fc.integer({ min: 1, max: 3 }).chain((rank) =>
    fc.record({
      op: fc.constantFrom<LayerOp>("conv", "convTranspose", "maxPool", "avgPool"),
      batch: fc.oneof({ weight: 5, arbitrary: small(1, 2) }, { weight: 1, arbitrary: small(0, 0) }),
      channels: fc.oneof({ weight: 5, arbitrary: small(1, 3) }, {
        weight: 1,
        arbitrary: small(0, 0),
      }),
      outChannels: small(1, 3),
      groups: fc.oneof({ weight: 12, arbitrary: small(1, 2) }, {
        weight: 1,
        arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 31, NaN),
      }),
      size: fc.array(small(0, rank === 3 ? 5 : 8), { minLength: rank, maxLength: rank }),
      kernel: fc.array(
        fc.oneof({ weight: 8, arbitrary: small(1, 3) }, { weight: 1, arbitrary: small(4, 9) }),
        { minLength: rank, maxLength: rank },
      ),
      stride: perAxis(rank, 1, 3),
      dilation: perAxis(rank, 1, 3),
      padding: fc.oneof(
        { weight: 12, arbitrary: perAxis(rank, 0, 2, [rank, 2 * rank]) },
        { weight: 1, arbitrary: fc.constantFrom("valid", "same", "same_lower", "full", null) },
      ),
      outputPadding: perAxis(rank, 0, 1),
      outputSize: fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.array(option(1, 12), { minLength: rank, maxLength: rank }) },
        { weight: 1, arbitrary: fc.array(option(1, 12), { minLength: 0, maxLength: 4 }) },
      ),
      ceilMode: fc.constantFrom(undefined, false, true, 1),
      countIncludePad: fc.constantFrom(undefined, false, true),
      bias: fc.boolean(),
      dtype: fc.constantFrom<DType>("float32", "float32", "float64"),
      backward: fc.boolean(),
    })
  );
}

/** Small integers from a position, so sums are exact in float32 and float64. */
function integers(shape: readonly number[], salt: number, dtype: DType): Tensor {
  const t = Tensor.zeros(shape, dtype);
  for (let i = 0; i < t.size; i++) t.data[i] = ((i * 7 + salt * 13) % 5) - 2;
  return t;
}

interface PathResult {
  readonly tensors?: readonly Tensor[];
  readonly error?: unknown;
}

/** Runs the case on one implementation: the forward, then (if asked) the backward. */
function runPath(c: LayerCase, impl: Impl): PathResult {
  try {
    const x = integers([c.batch, c.channels * groupsOf(c), ...c.size], 1, c.dtype);
    const common = {
      stride: c.stride,
      dilation: c.dilation,
      padding: c.padding,
      impl,
    } as Record<string, unknown>;
    if (c.op === "conv" || c.op === "convTranspose") {
      const g = groupsOf(c);
      const weightShape = c.op === "conv"
        ? [c.outChannels * g, c.channels, ...c.kernel]
        : [c.channels * g, c.outChannels, ...c.kernel];
      const w = integers(weightShape, 2, c.dtype);
      const options = {
        ...common,
        groups: c.groups,
        bias: c.bias ? integers([c.outChannels * g], 3, c.dtype) : undefined,
        ...(c.op === "convTranspose"
          ? { outputPadding: c.outputPadding, outputSize: c.outputSize }
          : {}),
      } as never;
      const forward = c.op === "conv" ? conv : convTranspose;
      const y = forward(x, w, options);
      if (!c.backward) return { tensors: [y] };
      const backward = c.op === "conv" ? convBackward : convTransposeBackward;
      const grads = backward(integers(y.shape, 4, c.dtype), { input: x, weight: w }, options);
      return { tensors: [y, grads.input, grads.weight, ...(grads.bias ? [grads.bias] : [])] };
    }
    const options = {
      ...common,
      kernelSize: c.kernel,
      ceilMode: c.ceilMode,
      ...(c.op === "avgPool" ? { countIncludePad: c.countIncludePad } : {}),
    } as never;
    const forward = c.op === "maxPool" ? maxPool : avgPool;
    const y = forward(x, options);
    if (!c.backward) return { tensors: [y] };
    const backward = c.op === "maxPool" ? maxPoolBackward : avgPoolBackward;
    const grads = backward(integers(y.shape, 4, c.dtype), { input: x }, options);
    return { tensors: [y, grads.input] };
  } catch (error) {
    return { error };
  }
}

/** Groups as a count for building tensors: the drawn value when it is a small integer, else 1. */
function groupsOf(c: LayerCase): number {
  const g = c.groups;
  return typeof g === "number" && Number.isInteger(g) && g >= 1 && g <= 4 ? g : 1;
}

/** Runs a case on both implementations and classifies the pair. */
export function runLayerCase(c: LayerCase): CaseResult {
  const reference = runPath(c, "reference");
  const fast = runPath(c, "fast");
  for (const [name, r] of [["reference", reference], ["fast", fast]] as const) {
    if (r.error !== undefined) {
      const outcome = classifyError(r.error);
      if (outcome !== "clean-error") {
        return { outcome, detail: `${name} path: ${describeError(r.error)}` };
      }
    }
  }
  if (reference.error !== undefined || fast.error !== undefined) {
    const ref = reference.error === undefined ? "accepted" : describeError(reference.error);
    const fst = fast.error === undefined ? "accepted" : describeError(fast.error);
    if (ref === fst) return { outcome: "clean-error", detail: ref };
    return { outcome: "disagreement", detail: `reference: ${ref}; fast: ${fst}` };
  }
  const names = ["output", "input gradient", "weight gradient", "bias gradient"];
  const a = reference.tensors!, b = fast.tensors!;
  for (let i = 0; i < a.length; i++) {
    if (a[i].shape.join() !== b[i].shape.join()) {
      return {
        outcome: "disagreement",
        detail: `${names[i]} shape [${a[i].shape}] (reference) vs [${b[i].shape}] (fast)`,
      };
    }
    const mismatch = compareValues(b[i].data, a[i].data);
    if (mismatch !== undefined) {
      return { outcome: "disagreement", detail: `${names[i]} (fast vs reference): ${mismatch}` };
    }
  }
  return { outcome: "agreement", detail: "" };
}
