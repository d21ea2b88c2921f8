// Float32 max pooling on WebAssembly SIMD (./pool_kernel.ts) for windows whose depth axis is
// trivial (1-D and 2-D pooling). Planes are staged in chunks that fit in L2: copy in, pool,
// copy the outputs (and indices) out, one TypedArray.set per chunk and array.
// Check-free: callers validate.

import { poolFitsWasm } from "./fits.ts";
import type { PoolWindow } from "../_pool_window.ts";
import {
  intView,
  MAX_BYTES,
  MAX_PAGES,
  plainContext,
  reserve,
  type WasmContext,
} from "./engine.ts";
import { buildPoolModule, POOL_DESCRIPTOR_BYTES, type PoolKernelExports } from "./pool_kernel.ts";

/**
 * Target bytes of staged input per chunk (at least one plane): half of this machine's 1 MiB L2
 * measured best (256 KiB chunks cost more calls, 8 MiB ones miss L2). Exported for tuning.
 */
export const POOL_TUNING = { chunkBytes: 512 << 10 };
/** Room after the staged input: stride-2 loads may read one float past a window. */
export const SLACK = 64;

/** The max-pool module, instantiated once per context. */
export function poolKernel(ctx: WasmContext = plainContext()): PoolKernelExports {
  return ctx.instance("pool", () => buildPoolModule(MAX_PAGES)) as unknown as PoolKernelExports;
}

/**
 * Whether the wasm kernel covers this window: no pooling along the depth axis, and addresses
 * that fit its i32 arithmetic.
 */
export function maxPoolWasmCovers(w: PoolWindow): boolean {
  return w.inSize[0] === 1 && w.kernel[0] === 1 && w.padBegin[0] === 0 && w.outSize[0] === 1 &&
    poolFitsWasm(w);
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** The kernel's descriptor words (POOL_DESCRIPTOR order) for window `w`. */
export function poolDescriptor(w: PoolWindow): number[] {
  const [, inH, inW] = w.inSize, [, outH, outW] = w.outSize;
  const [, kH, kW] = w.kernel, [, sH, sW] = w.stride, [, dH, dW] = w.dilation;
  const [, pH, pW] = w.padBegin;
  // Outputs whose window lies inside the input along W: ow·sW − pW ≥ 0 and
  // ow·sW − pW + (kW − 1)·dW ≤ inW − 1.
  const owA = Math.min(outW, Math.ceil(pW / sW));
  const last = inW - 1 - (kW - 1) * dW + pW;
  const owB = Math.max(owA, Math.min(outW, last < 0 ? 0 : Math.floor(last / sW) + 1));
  const vector = sW === 1 || sW === 2 ? sW : 0;
  return [inH, inW, outH, outW, kH, kW, sH, sW, dH, dW, pH, pW, owA, owB, vector];
}

/**
 * Max pooling of float32 planes into `out`, and the argmax offsets into `indices` when given
 * (see `maxPoolFast`). Requires `maxPoolWasmCovers(w)`. Returns false, doing nothing, when one
 * plane would not fit in the wasm memory cap.
 */
export function maxPoolWasm(
  x: Float32Array,
  w: PoolWindow,
  out: Float32Array,
  indices: Int32Array | undefined,
): boolean {
  const kernel = poolKernel();
  const inPlane = w.inPlane, outPlane = w.outPlane;
  const chunk = Math.max(1, Math.min(w.planes, Math.floor(POOL_TUNING.chunkBytes / (inPlane * 4))));
  const xAt = align(POOL_DESCRIPTOR_BYTES);
  const outAt = align(xAt + chunk * inPlane * 4 + SLACK);
  const idxAt = align(outAt + chunk * outPlane * 4);
  const end = idxAt + (indices ? chunk * outPlane * 4 : 0);
  if (end > MAX_BYTES) return false;
  const mem = reserve(end, "maxPool");
  intView().set(poolDescriptor(w), 0);
  const ints = indices ? intView() : undefined;
  for (let p0 = 0; p0 < w.planes; p0 += chunk) {
    const planes = Math.min(chunk, w.planes - p0);
    mem.set(x.subarray(p0 * inPlane, (p0 + planes) * inPlane), xAt >> 2);
    if (indices && ints) {
      kernel.maxPoolIndices(0, xAt, outAt, idxAt, planes);
      indices.set(ints.subarray(idxAt >> 2, (idxAt >> 2) + planes * outPlane), p0 * outPlane);
    } else {
      kernel.maxPool(0, xAt, outAt, idxAt, planes);
    }
    out.set(mem.subarray(outAt >> 2, (outAt >> 2) + planes * outPlane), p0 * outPlane);
  }
  return true;
}
