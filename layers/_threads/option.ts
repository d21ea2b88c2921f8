// Validation of a `threads` option (the public setters in ../threads.ts, GraphExecutor, train).

import { formatValue } from "../_errors.ts";
import { MAX_THREADS } from "./pool.ts";

/**
 * An integer from 1 to MAX_THREADS, else a TypeError (not a number) or RangeError naming the
 * option, the rule and the value: "Cannot <op>: threads must be an integer from 1 to 64, got 0".
 */
export function checkThreads(op: string, threads: unknown): number {
  if (typeof threads !== "number") {
    throw new TypeError(`Cannot ${op}: threads must be a number, got ${formatValue(threads)}`);
  }
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(
      `Cannot ${op}: threads must be an integer from 1 to ${MAX_THREADS}, got ${
        formatValue(threads)
      }`,
    );
  }
  return threads;
}
