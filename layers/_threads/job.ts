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

/** Waits (spinning briefly, then on the futex) until ints[index] differs from `value`. */
export function waitChange(ints: Int32Array, index: number, value: number, spins = 2000): number {
  for (let i = 0; i < spins; i++) {
    const now = Atomics.load(ints, index);
    if (now !== value) return now;
  }
  for (;;) {
    Atomics.wait(ints, index, value);
    const now = Atomics.load(ints, index);
    if (now !== value) return now;
  }
}

/** Waits until ints[index] ≥ `target` (spinning briefly, then on the futex). */
export function waitAtLeast(ints: Int32Array, index: number, target: number, spins = 2000): void {
  for (let i = 0; i < spins; i++) if (Atomics.load(ints, index) >= target) return;
  for (;;) {
    const now = Atomics.load(ints, index);
    if (now >= target) return;
    Atomics.wait(ints, index, now, 50);
  }
}
