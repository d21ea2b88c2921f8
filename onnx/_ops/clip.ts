// Clip on the clamp family's kernels. Forward: torch.clamp's `min(max(x, min), max)` (NaN
// propagates, −0 stays, min > max gives max). Opsets 1 and 6 read the bounds from the FLOAT
// attributes `min` and `max` (defaults: float32's lowest and largest values); from opset 11 they
// are optional scalar inputs of X's type (omitted or empty: no bound). Integer X (opset 12+) is
// clamped exactly, without a gradient.
//
// Gradient: torch.onnx exports nn.ReLU6, F.relu6, nn.Hardtanh and torch.clamp all as Clip, and
// PyTorch differentiates them differently at the bounds: hardtanh/relu6 block the gradient where
// x equals a bound, clamp passes it there. We take hardtanh's rule — the one of the CNNs that
// export Clip (MobileNetV2's ReLU6), and ReLU's convention at its kink: `dx = min < x < max ?
// g : 0`, also 0 at NaN (PyTorch's vectorized hardtanh kernel). In eval-mode exports with zero
// biases whole windows of a ReLU6 output are exactly 0, and clamp's rule would send gradient
// through every one of them. Bounds given as graph values (not Constants) get the rest: an
// element's gradient goes to the bound it reached (see `openBoundGradients`), so x, min and max
// share it exactly (a NaN element's goes nowhere).

import {
  checkBounds,
  clampTo,
  openBoundGradients,
  openIntervalGradient,
} from "../../layers/_clamp.ts";
import { Tensor } from "../../layers/tensor.ts";
import { formatShape } from "../../layers/_errors.ts";
import { allocateOnnx } from "../dtype.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, NodeRun, OpKernel } from "./_context.ts";
import { floatOf, type Indexable, isFloat, isInteger, wrap } from "./_data.ts";

const FLOAT32_MAX = 3.4028234663852886e38;

/** A scalar bound input: one element of X's dtype, as a number (or bigint for 64-bit ints). */
function boundOf(
  ctx: NodeContext,
  value: OnnxTensor | undefined,
  what: string,
  dtype: string,
): number | bigint | undefined {
  if (value === undefined) return undefined;
  if (value.dtype !== dtype) {
    ctx.typeError(`${what} must have X's dtype ${dtype}, got ${value.dtype}`);
  }
  if (value.size !== 1) {
    ctx.typeError(`${what} must be a scalar, got shape ${formatShape(value.dims)}`);
  }
  const v = (value.data as unknown as Indexable)[0];
  if (typeof v === "number" && Number.isNaN(v)) ctx.rangeError(`${what} must not be NaN`);
  return v;
}

/** Clip-1..21. */
export const Clip: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const legacy = ctx.opset < 11;
    ctx.arity(legacy ? [1, 1] : [1, 3], [1, 1]);
    ctx.known(legacy ? ["min", "max", ...ctx.consumedInputs()] : []);
    const attributeMin = legacy ? ctx.float("min", -FLOAT32_MAX) : undefined;
    const attributeMax = legacy ? ctx.float("max", FLOAT32_MAX) : undefined;
    if (Number.isNaN(attributeMin) || Number.isNaN(attributeMax)) {
      ctx.unsupported(`attributes min and max must not be NaN`);
    }
    return (inputs) => {
      const x = inputs[0];
      if (x === undefined) ctx.typeError(`input is required`);
      if (!isFloat(x.dtype)) {
        if (!isInteger(x.dtype) || ctx.opset < 12) {
          ctx.unsupported(
            `input has dtype ${x.dtype}; Clip-${ctx.opset} supports float32 and float64` +
              (ctx.opset >= 12 ? " and integers" : ""),
          );
        }
        const lo = ctx.has(1) ? boundOf(ctx, inputs[1], "min", x.dtype) : undefined;
        const hi = ctx.has(2) ? boundOf(ctx, inputs[2], "max", x.dtype) : undefined;
        return integerClip(x, lo, hi, inputs.length);
      }
      const input = floatOf(ctx, x, "input");
      const lo = legacy
        ? attributeMin
        : ctx.has(1)
        ? boundOf(ctx, inputs[1], "min", x.dtype)
        : undefined;
      const hi = legacy
        ? attributeMax
        : ctx.has(2)
        ? boundOf(ctx, inputs[2], "max", x.dtype)
        : undefined;
      const [min, max] = checkBounds("Clip", [lo, hi], ["min", "max"]);
      const bounded = legacy ? [] : [1, 2].filter((i) => ctx.has(i));
      const gradReduction: (number | undefined)[] = inputs.map((_, i) =>
        i === 0 ? 0 : bounded.includes(i) ? input.size : undefined
      );
      // Absolute evaluation: the clipped value is x or a bound, so the magnitudes of the terms
      // behind it are at most x's: pass them through (as Relu does); the bounds' gradient
      // magnitudes bound every term they could sum.
      if (ctx.options.absolute) {
        return {
          outputs: [wrap(input)],
          reduction: [0],
          gradReduction,
          backward: ([g]) =>
            gradReduction.map((_, i) =>
              i === 0 ? g : bounded.includes(i) ? scalar(total(g!), inputs[i]!, input) : undefined
            ),
        };
      }
      return {
        outputs: [wrap(clampTo("Clip", input, min, max))],
        reduction: [0],
        gradReduction,
        backward: ([g]) => {
          const dx = openIntervalGradient("Clip", g, { input }, min, max).input;
          if (bounded.length === 0) return [dx];
          const bounds = openBoundGradients(input.data, g!.data, min, max);
          // An omitted bound (min given as "") has no tensor and gets no gradient.
          return gradReduction.map((_, i) =>
            i === 0
              ? dx
              : bounded.includes(i)
              ? scalar(i === 1 ? bounds.min : bounds.max, inputs[i]!, input)
              : undefined
          );
        },
      };
    };
  },
};

function total(g: Tensor): number {
  let s = 0;
  for (let i = 0; i < g.size; i++) s += g.data[i];
  return s;
}

/** A bound's gradient: one value in the bound's dims and the input's float type. */
function scalar(value: number, bound: OnnxTensor, like: Tensor): Tensor {
  return new Tensor(Float64Array.of(value), bound.dims).astype(like.dtype);
}

/** Exact integer clamping (`x < min ? min : x`, then `> max ? max`); no gradient. */
function integerClip(
  x: OnnxTensor,
  lo: number | bigint | undefined,
  hi: number | bigint | undefined,
  inputCount: number,
): NodeRun {
  const out = allocateOnnx(x.dtype, x.size) as unknown as Indexable;
  const src = x.data as unknown as Indexable;
  for (let i = 0; i < x.size; i++) {
    let v = src[i];
    if (lo !== undefined && v < lo) v = lo;
    if (hi !== undefined && v > hi) v = hi;
    out[i] = v;
  }
  return {
    outputs: [new OnnxTensor(out as never, x.dims, { dtype: x.dtype })],
    reduction: [0],
    gradReduction: new Array(inputCount).fill(undefined),
  };
}
