// The pooling window shared by max and average pooling, both implementations and every backward.
// 1-D and 2-D pooling are lifted to 3-D by prepending trivial axes (size 1, kernel 1, stride 1,
// no padding), so one rank-generic loop nest serves every rank. Sizes come from the `Geometry`
// record of `windowGeometry`; nothing here computes an output size.

import type { Geometry } from "./_geometry.ts";

/** A pooling window over `planes` (= N·C) independent planes, lifted to axes [D, H, W]. */
export interface PoolWindow {
  /** Number of (n, c) planes. */
  readonly planes: number;
  /** Input extent [D, H, W]. */
  readonly inSize: readonly number[];
  /** Output extent [oD, oH, oW]. */
  readonly outSize: readonly number[];
  /** Kernel taps per axis. */
  readonly kernel: readonly number[];
  /** Window step per axis. */
  readonly stride: readonly number[];
  /** Tap spacing per axis. */
  readonly dilation: readonly number[];
  /** Padding before the first element, per axis. */
  readonly padBegin: readonly number[];
  /** Padding after the last element, per axis (not counting a ceil-mode overhang). */
  readonly padEnd: readonly number[];
  /** Elements in one input plane, D·H·W. */
  readonly inPlane: number;
  /** Elements in one output plane, oD·oH·oW. */
  readonly outPlane: number;
}

/** Lifts a 1-, 2- or 3-D geometry to a three-axis {@linkcode PoolWindow}. */
export function liftWindow(geometry: Geometry, planes: number): PoolWindow {
  const missing = 3 - geometry.rank;
  const lift = (values: readonly number[], fill: number): number[] => [
    ...new Array<number>(missing).fill(fill),
    ...values,
  ];
  const inSize = lift(geometry.inSize, 1);
  const outSize = lift(geometry.outSize, 1);
  return {
    planes,
    inSize,
    outSize,
    kernel: lift(geometry.kernel, 1),
    stride: lift(geometry.stride, 1),
    dilation: lift(geometry.dilation, 1),
    padBegin: lift(geometry.padBegin, 0),
    padEnd: lift(geometry.padEnd, 0),
    inPlane: inSize[0] * inSize[1] * inSize[2],
    outPlane: outSize[0] * outSize[1] * outSize[2],
  };
}

/**
 * The taps of each window along one axis, precomputed so that inner loops need no bounds checks.
 * For output position `o` the window starts at `o·stride − padBegin`; its taps inside the input
 * are `first[o] + t·dilation` for `t < count[o]`, and `padded[o]` of its taps lie inside the
 * padded extent [−padBegin, in + padEnd) (the ceil-mode overhang beyond it is not counted).
 */
export interface AxisTaps {
  /** Input position of the first tap inside the input (meaningless when `count` is 0). */
  readonly first: Int32Array;
  /** Number of taps inside the input. */
  readonly count: Int32Array;
  /** Number of taps inside the explicitly padded extent. */
  readonly padded: Int32Array;
}

/** Per-output tap ranges of `window` along axis 0 (D), 1 (H) or 2 (W). */
export function axisTaps(window: PoolWindow, axis: number): AxisTaps {
  const n = window.inSize[axis], outN = window.outSize[axis];
  const k = window.kernel[axis], s = window.stride[axis], d = window.dilation[axis];
  const padBegin = window.padBegin[axis], padEnd = window.padEnd[axis];
  const first = new Int32Array(outN), count = new Int32Array(outN), padded = new Int32Array(outN);
  for (let o = 0; o < outN; o++) {
    const start = o * s - padBegin; // never below −padBegin, so every tap t ≥ 0 is inside it
    const t0 = start < 0 ? Math.ceil(-start / d) : 0;
    const t1 = Math.min(k - 1, Math.floor((n - 1 - start) / d));
    first[o] = start + t0 * d;
    count[o] = Math.max(0, t1 - t0 + 1);
    padded[o] = Math.max(0, Math.min(k, Math.floor((n + padEnd - 1 - start) / d) + 1));
  }
  return { first, count, padded };
}
