// Whether a convolution or pooling plan fits the wasm kernels' 32-bit address arithmetic. The
// kernels form coordinates and offsets in i32 (o·stride + k·dilation − pad, times row and plane
// strides), so values that are fine as JavaScript doubles (a stride of 2^31 − 1, a pad of 2^30)
// wrap silently there: a wrong answer, or a trap (divide by zero, out-of-bounds access). Every
// wasm entry point asks this first and leaves a plan that does not fit to the TypeScript loops,
// which compute in doubles; the boundary checks (../_limits_check.ts) keep those exact.

import type { ConvPlan } from "../_conv_plan.ts";
import type { PoolWindow } from "../_pool_window.ts";

/** Largest byte offset an i32 may hold. */
const I32_MAX = 2 ** 31 - 1;

/**
 * The largest coordinate magnitude any loop forms along one axis, as a sum of non-negative terms
 * (so it bounds every partial expression): the input and its padding, the farthest window start
 * and one more stride, and the dilated kernel.
 */
function reach(
  inN: number,
  outN: number,
  kernel: number,
  stride: number,
  dilation: number,
  pad: number,
): number {
  return inN + 2 * pad + (outN + 1) * stride + kernel * dilation;
}

/**
 * Whether every address of `p` (per image, all channels, in bytes) stays below 2^31 and no axis
 * is empty.
 */
export function convFitsWasm(p: ConvPlan): boolean {
  // An empty axis (a zero-size input plane, N = 0) leaves the kernels nothing to tile: their
  // tile counts divide by it. The TypeScript loops handle it.
  const sizes = [p.batch, p.inD, p.inH, p.inW, p.outD, p.outH, p.outW];
  if (sizes.some((n) => n === 0)) return false;
  const volume = reach(p.inD, p.outD, p.kD, p.sD, p.dD, p.pD) *
    reach(p.inH, p.outH, p.kH, p.sH, p.dH, p.pH) *
    reach(p.inW, p.outW, p.kW, p.sW, p.dW, p.pW);
  const channels = Math.max(p.inChannels, p.outChannels);
  return volume * channels * 4 <= I32_MAX;
}

/** Whether every address of one plane of `w`, in bytes, stays below 2^31 and it is not empty. */
export function poolFitsWasm(w: PoolWindow): boolean {
  if (w.planes === 0 || w.inPlane === 0 || w.outPlane === 0) return false;
  let volume = 1;
  for (let axis = 0; axis < 3; axis++) {
    volume *= reach(
      w.inSize[axis],
      w.outSize[axis],
      w.kernel[axis],
      w.stride[axis],
      w.dilation[axis],
      Math.max(w.padBegin[axis], w.padEnd[axis]),
    );
  }
  return volume * 4 <= I32_MAX;
}
