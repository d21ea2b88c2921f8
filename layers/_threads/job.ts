// What a task sees of a job, on whichever thread runs it: the shared wasm context, its thread
// index (0 = the calling thread, which lays out a scratch region per thread), the parameters, and
// the two synchronisation points a task may use. A task's result must not depend on which thread
// runs which unit: every unit is computed by one thread, the same way on every thread count.

import type { WasmContext } from "../_wasm/engine.ts";

/** One job as a task runs it. */
export interface Job {
  readonly ctx: WasmContext;
  /** 0 for the calling thread, 1.. for the workers. */
  readonly thread: number;
  /** Threads taking part. */
  readonly threads: number;
  /** The GEMM kernels' variant (relaxed SIMD) the calling thread uses. */
  readonly relaxed: boolean;
  /** The job's parameters. */
  readonly params: Int32Array;
  /** The next unclaimed unit of the job (counting from 0, shared by all threads). */
  claim(): number;
  /** Blocks until the calling thread has staged at least `items` items of the job's input. */
  ready(items: number): void;
}

/** A unit of parallel work, identified across threads by `id` (its index in ./tasks.ts). */
export interface Task {
  readonly id: number;
  readonly name: string;
  run(job: Job): void;
}

/**
 * Milliseconds a waiting thread spins before it sleeps on the futex. A sleeping thread takes
 * 20-50 µs to wake on these virtual machines and costs the waker a system call, while the jobs of
 * a training step come every 0.1-1 ms: measured on a W2-sized forward pass behind a 0.15 ms gap
 * of other work, waking from a spin instead of the futex took 8-10% off the job. 1 ms covers
 * such gaps and bounds what an idle pool burns after its last job. Longer is worse on 2 vCPUs:
 * with 5 ms the calling thread and a spinning worker held both, V8's own helper threads waited,
 * and jobs after a 1.5 ms pause stalled for milliseconds (median 6.5 ms against 0.5).
 */
export const SPIN_MS = 1;

/** Spins until ints[index] differs from `value` or `ms` have passed; the value seen last. */
function spin(ints: Int32Array, index: number, value: number, ms: number): number {
  const until = performance.now() + ms;
  for (let i = 1;; i++) {
    const now = Atomics.load(ints, index);
    if (now !== value) return now;
    // The clock costs some 10 loads: read it only every 64.
    if ((i & 63) === 0 && performance.now() >= until) return now;
  }
}

/** Waits (spinning up to `spinMs`, then on the futex) until ints[index] differs from `value`. */
export function waitChange(
  ints: Int32Array,
  index: number,
  value: number,
  spinMs = SPIN_MS,
): number {
  const seen = spin(ints, index, value, spinMs);
  if (seen !== value) return seen;
  for (;;) {
    Atomics.wait(ints, index, value);
    const now = Atomics.load(ints, index);
    if (now !== value) return now;
  }
}

/** Waits until ints[index] ≥ `target` (spinning up to `spinMs`, then on the futex). */
export function waitAtLeast(
  ints: Int32Array,
  index: number,
  target: number,
  spinMs = SPIN_MS,
): void {
  const until = performance.now() + spinMs;
  for (let i = 1;; i++) {
    if (Atomics.load(ints, index) >= target) return;
    if ((i & 63) === 0 && performance.now() >= until) break;
  }
  for (;;) {
    const now = Atomics.load(ints, index);
    if (now >= target) return;
    Atomics.wait(ints, index, now, 50);
  }
}
