// Max pooling (./pool_wasm.ts) on several threads, by planes: the calling thread copies the
// planes into the shared memory chunk by chunk, publishing its progress; the threads pool the
// chunks as they arrive (a chunk per unit), each into its place in the shared output; the calling
// thread copies the outputs (and argmax offsets) out. Planes are independent and every output is
// one thread's, so the result does not depend on the thread count. Check-free: callers validate.

import type { PoolWindow } from "../_pool_window.ts";
import type { Job, Task } from "../_threads/job.ts";
import { runParallel } from "../_threads/pool.ts";
import { THREAD_TUNING } from "../_threads/tuning.ts";
import { MAX_BYTES, sharedContext } from "./engine.ts";
import { POOL_DESCRIPTOR_BYTES } from "./pool_kernel.ts";
import { POOL_TUNING, poolDescriptor, poolKernel, SLACK } from "./pool_wasm.ts";

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

/** Whether this max pool is worth threads (see THREAD_TUNING.poolMinBytes). */
export function poolThreadsCovers(w: PoolWindow): boolean {
  return w.planes > 1 && w.planes * w.inPlane * 4 >= THREAD_TUNING.poolMinBytes;
}

const enum Q {
  Planes,
  Chunk,
  Units,
  InPlane,
  OutPlane,
  X,
  Out,
  Indices,
  Count,
}

/**
 * Max pooling of float32 planes into `out` (and the argmax offsets into `indices`) on `threads`
 * threads; false (nothing done) when it would not fit.
 */
export function maxPoolThreads(
  x: Float32Array,
  w: PoolWindow,
  out: Float32Array,
  indices: Int32Array | undefined,
  threads: number,
): boolean {
  const inPlane = w.inPlane, outPlane = w.outPlane;
  const chunk = Math.max(
    1,
    Math.min(
      Math.ceil(w.planes / (2 * threads)),
      Math.floor(POOL_TUNING.chunkBytes / (inPlane * 4)),
    ),
  );
  const units = Math.ceil(w.planes / chunk);
  const xAt = align(POOL_DESCRIPTOR_BYTES);
  const outAt = align(xAt + w.planes * inPlane * 4 + SLACK);
  const idxAt = align(outAt + w.planes * outPlane * 4);
  const end = idxAt + (indices ? w.planes * outPlane * 4 : 0);
  if (end > MAX_BYTES) return false;
  const ctx = sharedContext();
  const mem = ctx.reserve(end, "maxPool");
  const ints = ctx.ints();
  ints.set(poolDescriptor(w), 0);
  const q = new Array<number>(Q.Count);
  q[Q.Planes] = w.planes;
  q[Q.Chunk] = chunk;
  q[Q.Units] = units;
  q[Q.InPlane] = inPlane;
  q[Q.OutPlane] = outPlane;
  q[Q.X] = xAt;
  q[Q.Out] = outAt;
  q[Q.Indices] = indices ? idxAt : -1;
  runParallel(POOL_TASK, threads, q, false, (publish) => {
    for (let u = 0; u < units; u++) {
      const p0 = u * chunk, p1 = Math.min(w.planes, p0 + chunk);
      mem.set(x.subarray(p0 * inPlane, p1 * inPlane), (xAt >> 2) + p0 * inPlane);
      publish(u + 1);
    }
  });
  out.set(mem.subarray(outAt >> 2, (outAt >> 2) + w.planes * outPlane));
  if (indices) indices.set(ints.subarray(idxAt >> 2, (idxAt >> 2) + w.planes * outPlane));
  return true;
}

function run(job: Job): void {
  const q = job.params;
  const kernel = poolKernel(job.ctx);
  const chunk = q[Q.Chunk];
  for (let u = job.claim(); u < q[Q.Units]; u = job.claim()) {
    job.ready(u + 1);
    const p0 = u * chunk, planes = Math.min(chunk, q[Q.Planes] - p0);
    const x = q[Q.X] + p0 * q[Q.InPlane] * 4, out = q[Q.Out] + p0 * q[Q.OutPlane] * 4;
    if (q[Q.Indices] >= 0) {
      kernel.maxPoolIndices(0, x, out, q[Q.Indices] + p0 * q[Q.OutPlane] * 4, planes);
    } else {
      kernel.maxPool(0, x, out, 0, planes);
    }
  }
}

/** The units: chunks of planes. */
export const POOL_TASK: Task = { id: 8, name: "maxPool", run };
