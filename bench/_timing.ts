// Timing and agreement rules of the bench: median of at least MIN_RUNS timed runs after warm-up;
// implementations too slow for that within the cell's budget get fewer runs, and say so.

/** A timing: median milliseconds over `runs` timed runs; `capped` when fewer than MIN_RUNS. */
export interface Timing {
  ms: number;
  /** The fastest timed run, ms (the median's distance from it shows how noisy the machine was). */
  minMs: number;
  runs: number;
  capped: boolean;
  /** Set when the measurement is of a part of the workload (e.g. "1/8 images"). */
  note?: string;
}

export const MIN_RUNS = 10;

/** Options of {@linkcode measure}. */
export interface MeasureOptions {
  /** Seconds the timed runs may take before the count is capped. */
  budget: number;
  /** Seconds of timed runs to aim for beyond MIN_RUNS (more runs steady the median). */
  target?: number;
  /** Upper bound on timed runs. */
  maxRuns?: number;
}

/** Times `run` (sync or async): warm-up, then timed runs; returns the median. */
export async function measure(
  run: () => unknown,
  options: MeasureOptions,
): Promise<Timing> {
  const { budget, target = 0.5, maxRuns = 100 } = options;
  // Warm-up: until 0.3 s or 200 runs have passed (at least one). Steady state takes more
  // than a couple of runs: JIT tiers, and the allocator settling on reusing freed output
  // buffers instead of mapping fresh pages (the small workloads run 100+ times before that).
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    await run();
    const elapsed = performance.now() - t0;
    if (elapsed >= 300 || elapsed * (i + 2) / (i + 1) > budget * 250) break;
  }
  const times: number[] = [];
  const start = performance.now();
  for (;;) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
    const elapsed = (performance.now() - start) / 1000;
    if (times.length >= maxRuns) break;
    if (times.length >= MIN_RUNS && elapsed >= target) break;
    // Cap: stop when the next run would exceed the budget before MIN_RUNS are in.
    const mean = elapsed / times.length;
    if (elapsed + mean > budget && times.length < MIN_RUNS) break;
    if (elapsed + mean > Math.max(budget, target) && times.length >= MIN_RUNS) break;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const ms = times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { ms, minMs: times[0], runs: times.length, capped: times.length < MIN_RUNS };
}

/** Two timings taken in alternation, and the median of their per-pair ratio. */
export interface PairedTiming {
  a: Timing;
  b: Timing;
  /** Median over the pairs of time(a) / time(b): above 1, b is faster. */
  ratio: number;
}

/**
 * Times `a` and `b` in alternation (a b, b a, a b, ...) after warming both up, for a ratio that
 * a drifting machine cannot bias: on these shared 2-vCPU guests the speed of one core changes by
 * 1.5× from second to second, so two cells timed half a second apart can differ by more than a
 * code change does, while the two runs of a pair see the same machine.
 */
export async function measurePair(
  a: () => unknown,
  b: () => unknown,
  options: MeasureOptions,
): Promise<PairedTiming> {
  const { budget, target = 1, maxRuns = 200 } = options;
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    await a();
    await b();
    const elapsed = performance.now() - t0;
    if (elapsed >= 600 || elapsed * (i + 2) / (i + 1) > budget * 500) break;
  }
  const ta: number[] = [], tb: number[] = [], ratios: number[] = [];
  const time = async (run: () => unknown) => {
    const t = performance.now();
    await run();
    return performance.now() - t;
  };
  const start = performance.now();
  for (let i = 0;; i++) {
    let x: number, y: number;
    if (i % 2 === 0) {
      x = await time(a);
      y = await time(b);
    } else {
      y = await time(b);
      x = await time(a);
    }
    ta.push(x);
    tb.push(y);
    ratios.push(x / y);
    const elapsed = (performance.now() - start) / 1000;
    const mean = elapsed / ta.length;
    if (ta.length >= maxRuns) break;
    if (ta.length >= MIN_RUNS && elapsed >= target) break;
    if (elapsed + mean > Math.max(budget, target)) break;
  }
  return { a: summarize(ta), b: summarize(tb), ratio: median(ratios) };
}

function median(values: number[]): number {
  const v = [...values].sort((x, y) => x - y), mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function summarize(times: number[]): Timing {
  return {
    ms: median(times),
    minMs: Math.min(...times),
    runs: times.length,
    capped: times.length < MIN_RUNS,
  };
}

/** Result of comparing a peer's output with ours. */
export interface Agreement {
  ok: boolean;
  maxAbsError: number;
  tolerance: number;
}

/**
 * max |a − e| against a float32 summation tolerance: 8·2⁻²³·√L·max|e| for reduction length L
 * (the rounding error of a length-L float32 sum grows like √L with reordering), or exact
 * equality when L = 0 (pooling). NaN must match NaN.
 */
export function agree(actual: Float32Array, expected: Float32Array, reduction: number): Agreement {
  if (actual.length !== expected.length) {
    return { ok: false, maxAbsError: Infinity, tolerance: 0 };
  }
  let scale = 0, maxAbsError = 0, nanMismatch = false;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i], a = actual[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) nanMismatch = true;
      continue;
    }
    scale = Math.max(scale, Math.abs(e));
    const d = a === e ? 0 : Math.abs(a - e);
    if (d > maxAbsError || Number.isNaN(d)) maxAbsError = Number.isNaN(d) ? Infinity : d;
  }
  const tolerance = reduction === 0 ? 0 : 8 * 2 ** -23 * Math.sqrt(reduction) * scale;
  return { ok: !nanMismatch && maxAbsError <= tolerance, maxAbsError, tolerance };
}
