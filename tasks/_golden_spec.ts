// Shape bookkeeping of the ONNX Runtime adjoint graphs, written from the ONNX operator docs
// (opset 17 Conv, ConvTranspose, MaxPool text) and deliberately NOT taken from
// layers/_geometry.ts: the goldens must not inherit our library's shape math, or a bug there would
// be copied into the expected values. Every result is also checked against the shape ONNX Runtime
// actually produced (see _golden_adjoint.ts), so a disagreement between these formulas and the
// runtime is reported instead of silently producing a wrong adjoint.

import type { AttributeValue } from "../conformance/grid.ts";

/** Explicit per-axis padding of a convolution-like node. */
export interface _Pads {
  begin: number[];
  end: number[];
}

type Attrs = Readonly<Record<string, AttributeValue>>;

const ints = (attrs: Attrs, name: string, fallback: number[]): number[] => {
  const v = attrs[name];
  return Array.isArray(v) ? v.map(Number) : fallback;
};

/** strides, dilations and the effective kernel d·(k−1)+1 per axis. */
export function _window(
  attrs: Attrs,
  kernel: readonly number[],
): { strides: number[]; dilations: number[]; effective: number[] } {
  const rank = kernel.length;
  const strides = ints(attrs, "strides", new Array(rank).fill(1));
  const dilations = ints(attrs, "dilations", new Array(rank).fill(1));
  const effective = kernel.map((k, i) => dilations[i] * (k - 1) + 1);
  return { strides, dilations, effective };
}

/**
 * Conv / pooling pads. ONNX: auto_pad SAME_* gives `out = ceil(in / stride)` and a total pad of
 * `(out − 1)·stride + effective − in` (negative totals clamp to 0, as every runtime does), the odd
 * extra at the end for SAME_UPPER and at the start for SAME_LOWER; VALID is no padding; NOTSET
 * reads `pads` = [begins..., ends...].
 */
export function _convPads(
  attrs: Attrs,
  inSizes: readonly number[],
  kernel: readonly number[],
): _Pads {
  const rank = inSizes.length;
  const { strides, effective } = _window(attrs, kernel);
  const autoPad = String(attrs.auto_pad ?? "NOTSET");
  if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    const begin: number[] = [], end: number[] = [];
    inSizes.forEach((n, i) => {
      const out = Math.ceil(n / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + effective[i] - n);
      const small = Math.floor(total / 2), large = total - small;
      begin.push(autoPad === "SAME_UPPER" ? small : large);
      end.push(autoPad === "SAME_UPPER" ? large : small);
    });
    return { begin, end };
  }
  if (autoPad === "VALID") return { begin: new Array(rank).fill(0), end: new Array(rank).fill(0) };
  const pads = ints(attrs, "pads", new Array(2 * rank).fill(0));
  return { begin: pads.slice(0, rank), end: pads.slice(rank) };
}

/** Conv output extent per axis: floor((in + begin + end − effective) / stride) + 1. */
export function _convOut(
  attrs: Attrs,
  inSizes: readonly number[],
  kernel: readonly number[],
  pads: _Pads,
): number[] {
  const { strides, effective } = _window(attrs, kernel);
  return inSizes.map((n, i) =>
    Math.floor((n + pads.begin[i] + pads.end[i] - effective[i]) / strides[i]) + 1
  );
}

/**
 * ConvTranspose pads, expressed as non-negative begin/end crops of the full (unpadded) output
 * `stride·(in − 1) + output_padding + effective` plus an output padding that may grow:
 *
 * - `output_shape`: total = full − output_shape; per the spec text, with auto_pad other than
 *   SAME_UPPER the odd extra goes to the start. A negative total (output longer than the
 *   unpadded one) is not a padding; as ONNX Runtime and PyTorch's output_size do, it becomes
 *   extra output padding (zeros + bias at the end).
 * - SAME_UPPER / SAME_LOWER: output = in · stride, total = full − in·stride, extra at the end
 *   for SAME_UPPER and at the start for SAME_LOWER (spec text; ONNX Runtime 1.30 does the
 *   reverse). A negative total is left undefined by the spec: returned as `undefined`.
 * - VALID: no padding; NOTSET: `pads`.
 */
export function _convTransposePads(
  attrs: Attrs,
  inSizes: readonly number[],
  kernel: readonly number[],
): (_Pads & { outputPadding: number[]; out: number[] }) | undefined {
  const rank = inSizes.length;
  const { strides, effective } = _window(attrs, kernel);
  const outputPadding = ints(attrs, "output_padding", new Array(rank).fill(0));
  const full = inSizes.map((n, i) => strides[i] * (n - 1) + outputPadding[i] + effective[i]);
  const autoPad = String(attrs.auto_pad ?? "NOTSET");
  const begin: number[] = [], end: number[] = [];
  const outputShape = attrs.output_shape;
  if (Array.isArray(outputShape)) {
    const target = outputShape.slice(-rank).map(Number);
    for (let i = 0; i < rank; i++) {
      const total = full[i] - target[i];
      if (total < 0) {
        outputPadding[i] += -total;
        begin.push(0);
        end.push(0);
      } else {
        const half = Math.floor(total / 2);
        begin.push(autoPad === "SAME_UPPER" ? half : total - half);
        end.push(autoPad === "SAME_UPPER" ? total - half : half);
      }
    }
  } else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    for (let i = 0; i < rank; i++) {
      const total = full[i] - inSizes[i] * strides[i];
      if (total < 0) return undefined;
      const small = Math.floor(total / 2), large = total - small;
      begin.push(autoPad === "SAME_UPPER" ? small : large);
      end.push(autoPad === "SAME_UPPER" ? large : small);
    }
  } else if (autoPad === "VALID") {
    begin.push(...new Array(rank).fill(0));
    end.push(...new Array(rank).fill(0));
  } else {
    const pads = ints(attrs, "pads", new Array(2 * rank).fill(0));
    begin.push(...pads.slice(0, rank));
    end.push(...pads.slice(rank));
  }
  const out = inSizes.map((n, i) =>
    strides[i] * (n - 1) + outputPadding[i] + effective[i] - begin[i] - end[i]
  );
  return { begin, end, outputPadding, out };
}
