// The one place where window shapes are computed: output sizes, padding (explicit, SAME, VALID),
// effective kernels, ceil mode and transposed-convolution sizes. Convolution, transposed
// convolution and pooling, in both implementations and in every backward, read the record this
// returns and never recompute a size.

import { formatShape, formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import { checkExtents } from "./_limits_check.ts";
import { MAX_EXTENT } from "./limits.ts";

/** Padding by name: `"valid"` = none, `"same"` = ONNX SAME_UPPER, `"same_lower"` = SAME_LOWER. */
export type PaddingMode = "valid" | "same" | "same_lower";

/**
 * Padding of the spatial axes:
 * - a number: the same padding at both ends of every axis;
 * - an array of `rank` numbers: symmetric padding per axis;
 * - an array of `2 × rank` numbers: explicit begins then ends, ONNX `pads` order
 *   (`[h_begin, w_begin, h_end, w_end]` for 2-D);
 * - a {@linkcode PaddingMode}.
 */
export type Padding = number | readonly number[] | PaddingMode;

/** Window options shared by convolution, transposed convolution and pooling. */
export interface WindowOptions {
  /** Step between windows, per axis or one for all. @default 1 (pooling: the kernel) */
  stride?: number | readonly number[];
  /** Spacing between kernel taps, per axis or one for all. @default 1 */
  dilation?: number | readonly number[];
  /** Spatial padding. @default 0 */
  padding?: Padding;
}

/** Sizes of a sliding-window operation over `rank` spatial axes, each entry per axis. */
export interface Geometry {
  /** Number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  /** Spatial size of the (forward) input. */
  readonly inSize: readonly number[];
  /** Spatial size of the (forward) output. */
  readonly outSize: readonly number[];
  /** Kernel taps per axis. */
  readonly kernel: readonly number[];
  /** Window step per axis. */
  readonly stride: readonly number[];
  /** Tap spacing per axis. */
  readonly dilation: readonly number[];
  /** Extent of a dilated window: `dilation × (kernel − 1) + 1`. */
  readonly effectiveKernel: readonly number[];
  /** Padding before the first element, per axis. */
  readonly padBegin: readonly number[];
  /** Padding after the last element, per axis (for ceil mode, not counting the overhang). */
  readonly padEnd: readonly number[];
}

/**
 * Geometry of a forward window operation (convolution or pooling).
 *
 * Output size per axis: `floor((in + padBegin + padEnd − effectiveKernel) / stride) + 1`, or with
 * `ceilMode` the ceiling, dropping the last window when it would start beyond the input and its
 * left padding (PyTorch `pooling_output_shape_pad_lr`).
 */
export function windowGeometry(
  op: string,
  inSize: readonly number[],
  kernel: readonly number[],
  options: WindowOptions & { ceilMode?: boolean; defaultStride?: readonly number[] } = {},
): Geometry {
  const rank = inSize.length;
  kernel = perAxis(op, "kernelSize", kernel, rank, 1);
  const stride = perAxis(op, "stride", options.stride ?? options.defaultStride, rank, 1);
  const dilation = perAxis(op, "dilation", options.dilation, rank, 1);
  const effectiveKernel = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  checkExtents(op, "effective kernel dilation × (kernel − 1) + 1", effectiveKernel);
  const padding = options.padding ?? 0;
  let padBegin: number[], padEnd: number[];
  if (padding === "same" || padding === "same_lower") {
    // SAME: output = ceil(in / stride); the total pad is clamped at 0 when stride > kernel.
    // SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning.
    padBegin = [];
    padEnd = [];
    for (let i = 0; i < rank; i++) {
      const out = Math.ceil(inSize[i] / stride[i]);
      const total = Math.max(0, (out - 1) * stride[i] + effectiveKernel[i] - inSize[i]);
      const small = Math.floor(total / 2);
      padBegin.push(padding === "same" ? small : total - small);
      padEnd.push(padding === "same" ? total - small : small);
    }
  } else {
    [padBegin, padEnd] = explicitPads(op, padding, rank);
  }
  checkExtents(
    op,
    "padded input size in + padBegin + padEnd",
    inSize.map((n, i) => n + padBegin[i] + padEnd[i]),
  );
  const outSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    const span = inSize[i] + padBegin[i] + padEnd[i] - effectiveKernel[i];
    let out = (options.ceilMode ? Math.ceil(span / stride[i]) : Math.floor(span / stride[i])) + 1;
    if (options.ceilMode && span >= 0 && (out - 1) * stride[i] >= inSize[i] + padBegin[i]) out--;
    if (span < 0 || out < 1) {
      emptyOutput(op, i, { inSize, effectiveKernel, padBegin, padEnd, stride });
    }
    outSize.push(out);
  }
  return {
    rank,
    inSize: [...inSize],
    outSize,
    kernel: [...kernel],
    stride,
    dilation,
    effectiveKernel,
    padBegin,
    padEnd,
  };
}

/** Options of a transposed convolution's geometry. */
export interface TransposedWindowOptions extends WindowOptions {
  /** Extra size added at the end of each output axis. @default 0 */
  outputPadding?: number | readonly number[];
  /** Requested output spatial size; pads are derived from it (ONNX `output_shape`). */
  outputSize?: readonly number[];
}

/**
 * Geometry of a transposed convolution, returned as the geometry of the forward convolution whose
 * input gradient it is: `inSize` is the transposed output, `outSize` the transposed input.
 *
 * Output size per axis: `stride × (in − 1) + effectiveKernel + outputPadding − padBegin − padEnd`.
 * With `padding: "same"`/`"same_lower"` or an explicit `outputSize` (ONNX `output_shape`, which
 * takes precedence over explicit pads), the total padding
 * `stride × (in − 1) + outputPadding + effectiveKernel − out` is split as the ONNX spec says: the
 * odd extra pad at the end for `"same"` (SAME_UPPER), at the beginning otherwise;
 * `"same"`/`"same_lower"` without an output size mean `out = in × stride`. An output size larger
 * than the natural one adds its excess at the end (as output padding: it must stay below stride
 * or dilation).
 */
export function transposedGeometry(
  op: string,
  inSize: readonly number[],
  kernel: readonly number[],
  options: TransposedWindowOptions = {},
): Geometry {
  const rank = inSize.length;
  kernel = perAxis(op, "kernelSize", kernel, rank, 1);
  const stride = perAxis(op, "stride", options.stride, rank, 1);
  const dilation = perAxis(op, "dilation", options.dilation, rank, 1);
  const outputPadding = perAxis(op, "outputPadding", options.outputPadding, rank, 0, 0);
  const effectiveKernel = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
  checkExtents(op, "effective kernel dilation × (kernel − 1) + 1", effectiveKernel);
  for (let i = 0; i < rank; i++) {
    if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
      rangeError(
        op,
        `outputPadding must be smaller than stride or dilation on every axis: outputPadding ` +
          `${formatShape(outputPadding)}, stride ${formatShape(stride)}, dilation ${
            formatShape(dilation)
          }`,
      );
    }
  }
  const padding = options.padding ?? 0;
  let padBegin: number[], padEnd: number[];
  let outSize: number[];
  if (options.outputSize !== undefined || padding === "same" || padding === "same_lower") {
    const requested = options.outputSize ?? inSize.map((n, i) => n * stride[i]);
    if (
      !Array.isArray(requested) || requested.length !== rank ||
      requested.some((n) => !Number.isInteger(n) || n < 1)
    ) {
      typeError(
        op,
        `outputSize must hold ${rank} positive integers, got ${formatValue(options.outputSize)}`,
      );
    }
    padBegin = [];
    padEnd = [];
    for (let i = 0; i < rank; i++) {
      const total = stride[i] * (inSize[i] - 1) + outputPadding[i] + effectiveKernel[i] -
        requested[i];
      if (total < 0) {
        // Larger than the natural size: like PyTorch's output_size (and ONNX Runtime), the extra
        // rows go at the end as output padding, which must stay below stride or dilation.
        if (
          options.outputSize === undefined ||
          -total + outputPadding[i] >= Math.max(stride[i], dilation[i])
        ) {
          rangeError(
            op,
            `outputSize ${formatShape(requested)} exceeds what a transposed convolution of ` +
              `input ${formatShape(inSize)} can produce on spatial axis ${i} by ${-total}; the ` +
              `excess must be smaller than stride or dilation (SAME padding: ONNX leaves a ` +
              `negative total padding undefined)`,
          );
        }
        padBegin.push(0);
        padEnd.push(0);
        continue;
      }
      // ONNX: SAME_UPPER puts the odd extra pad at the end; SAME_LOWER and an explicit
      // output_shape without auto_pad put it at the beginning.
      const small = Math.floor(total / 2);
      padBegin.push(padding === "same" ? small : total - small);
      padEnd.push(padding === "same" ? total - small : small);
    }
    outSize = [...requested];
  } else {
    [padBegin, padEnd] = explicitPads(op, padding, rank);
    outSize = inSize.map((n, i) =>
      stride[i] * (n - 1) + effectiveKernel[i] + outputPadding[i] - padBegin[i] - padEnd[i]
    );
    const bad = outSize.findIndex((n) => n < 1);
    if (bad >= 0) {
      const detail = ` give ${formatShape(outSize)}`;
      emptyOutput(op, bad, { inSize, effectiveKernel, padBegin, padEnd, stride }, detail);
    }
  }
  // stride × (in − 1) can exceed the cap while each factor stays within it; the padded extent is
  // what the mirrored convolution's loops span.
  checkExtents(op, "output size", outSize);
  checkExtents(
    op,
    "padded output size out + padBegin + padEnd",
    outSize.map((n, i) => n + padBegin[i] + padEnd[i]),
  );
  // The forward convolution that this transposes: its input is our output and vice versa.
  return {
    rank,
    inSize: outSize,
    outSize: [...inSize],
    kernel: [...kernel],
    stride,
    dilation,
    effectiveKernel,
    padBegin,
    padEnd,
  };
}

/** Throws the RangeError for an output size below 1 on `axis`, naming every term of the formula. */
function emptyOutput(
  op: string,
  axis: number,
  terms: Pick<Geometry, "inSize" | "effectiveKernel" | "padBegin" | "padEnd" | "stride">,
  detail = "",
): never {
  const { inSize, effectiveKernel, padBegin, padEnd, stride } = terms;
  rangeError(
    op,
    `output size must be at least 1 on spatial axis ${axis}: input ${formatShape(inSize)}, ` +
      `effective kernel ${formatShape(effectiveKernel)}, pads ${formatShape(padBegin)}/` +
      `${formatShape(padEnd)}, stride ${formatShape(stride)}${detail}`,
  );
}

/** Parses number / per-axis / ONNX-pads padding into begin and end lists, or throws naming it. */
function explicitPads(op: string, padding: Padding, rank: number): [number[], number[]] {
  if (padding === "valid") return [new Array(rank).fill(0), new Array(rank).fill(0)];
  let begin: number[], end: number[];
  if (typeof padding === "number") {
    begin = new Array(rank).fill(padding);
    end = new Array(rank).fill(padding);
  } else if (Array.isArray(padding) && padding.length === rank) {
    begin = [...padding];
    end = [...padding];
  } else if (Array.isArray(padding) && padding.length === 2 * rank) {
    begin = padding.slice(0, rank); // ONNX pads: all begins, then all ends
    end = padding.slice(rank);
  } else {
    typeError(
      op,
      `padding must be a number, ${rank} per-axis numbers, ${2 * rank} begin/end numbers ` +
        `(ONNX pads order), "valid", "same" or "same_lower", got ${formatValue(padding)}`,
    );
  }
  for (const p of [...begin, ...end]) {
    if (typeof p !== "number" || !Number.isInteger(p)) {
      typeError(op, `padding must contain integers, got ${formatValue(padding)}`);
    }
    if (p < 0) rangeError(op, `padding must be non-negative, got ${formatValue(padding)}`);
    if (p > MAX_EXTENT) {
      rangeError(op, `padding must be at most ${MAX_EXTENT}, got ${formatValue(padding)}`);
    }
  }
  return [begin, end];
}
