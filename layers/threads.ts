/**
 * The `threads` option of the fast path: how many threads its WebAssembly kernels may use. With
 * more than one, large convolutions, GEMMs and max pools are split over a pool of Deno workers
 * that share one `WebAssembly.Memory({ shared: true })` with the calling thread; small problems
 * stay on the calling thread. Results are the same bits for any thread count: every output
 * element is computed by one thread exactly as on one thread, and reductions run in a fixed
 * order.
 *
 * @module
 */

import {
  defaultThreadSetting,
  MAX_THREADS,
  setThreadSetting,
  shutdownPool,
  threadSetting,
  warmPool,
} from "./_threads/pool.ts";
import { checkThreads } from "./_threads/option.ts";

/** Most threads the fast path uses (the calling thread and 63 workers). */
export const MAX_FAST_THREADS: number = MAX_THREADS;

/**
 * Sets how many threads the fast path may use from now on, for every call that does not set its
 * own (`GraphExecutor` and `train` take a `threads` option). `1` is the single-thread path.
 * The default is `navigator.hardwareConcurrency`.
 *
 * @param threads An integer from 1 to {@linkcode MAX_FAST_THREADS}.
 * @throws {TypeError} If `threads` is not a number.
 * @throws {RangeError} If `threads` is not an integer from 1 to {@linkcode MAX_FAST_THREADS}.
 *
 * @example Run on one thread, then on two
 * ```ts
 * import { getThreads, setThreads } from "./threads.ts";
 * setThreads(1);
 * console.log(getThreads()); // 1
 * setThreads(2);
 * console.log(getThreads()); // 2
 * ```
 */
export function setThreads(threads: number): void {
  setThreadSetting(checkThreads("set threads", threads));
}

/**
 * The number of threads the fast path may use now (see {@linkcode setThreads}).
 *
 * @returns An integer from 1 to {@linkcode MAX_FAST_THREADS}.
 *
 * @example The default is the number of logical processors
 * ```ts
 * import { getThreads } from "./threads.ts";
 * console.log(getThreads() >= 1); // true
 * ```
 */
export function getThreads(): number {
  return threadSetting();
}

/** The default thread count: `navigator.hardwareConcurrency` (at most {@linkcode MAX_FAST_THREADS}). */
export function defaultThreads(): number {
  return defaultThreadSetting();
}

/**
 * Runs `fn` with the thread count set to `threads` and restores the previous setting afterwards
 * (also when `fn` throws). `undefined` leaves the setting as it is.
 *
 * @param threads An integer from 1 to {@linkcode MAX_FAST_THREADS}, or undefined.
 * @param fn The work to run.
 * @returns What `fn` returns.
 * @throws {TypeError} If `threads` is neither undefined nor a number.
 * @throws {RangeError} If `threads` is not an integer from 1 to {@linkcode MAX_FAST_THREADS}.
 *
 * @example One call on one thread
 * ```ts
 * import { getThreads, withThreads } from "./threads.ts";
 * console.log(withThreads(1, () => getThreads())); // 1
 * ```
 */
export function withThreads<T>(threads: number | undefined, fn: () => T): T {
  if (threads === undefined) return fn();
  const before = threadSetting();
  setThreadSetting(checkThreads("run with threads", threads));
  try {
    return fn();
  } finally {
    setThreadSetting(before);
  }
}

/**
 * Starts the worker threads the current setting asks for and resolves with the number of
 * threads a call would get once they are ready (they start lazily otherwise, and calls run on
 * the calling thread until they are). Useful before timing.
 *
 * @returns The number of threads ready (1 when the setting is 1 or workers cannot start).
 *
 * @example
 * ```ts
 * import { setThreads, startThreads, stopThreads } from "./threads.ts";
 * setThreads(2);
 * console.log(await startThreads() <= 2); // true
 * stopThreads();
 * ```
 */
export function startThreads(): Promise<number> {
  return warmPool();
}

/**
 * Stops the worker threads now. They also stop by themselves after a second without work, and
 * start again when a call wants them.
 *
 * @example
 * ```ts
 * import { stopThreads } from "./threads.ts";
 * stopThreads();
 * ```
 */
export function stopThreads(): void {
  shutdownPool();
}
