// The fuzz loop behind `deno task fuzz` and the quick slice in `deno task test`: seeded batches
// of random layer calls and mutated models, each run in a worker with a deadline, counted per
// outcome class; the first failure of each kind is shrunk by fast-check to a minimal reproducer.

import fc from "fast-check";
import { type Outcome, OUTCOMES, passes } from "./classify.ts";
import { type CaseResult, type LayerCase, layerCaseArbitrary } from "./layer_calls.ts";
import { listSeeds, type ModelMutation, mutationArbitrary } from "./model_mutations.ts";
import { CaseRunner } from "./runner.ts";

/** Options of {@linkcode fuzz}. */
export interface FuzzOptions {
  /** Wall-clock budget; the loop stops at the first batch boundary after it. */
  readonly seconds: number;
  /** Seed of every draw. */
  readonly seed: number;
  /** Stop after this many layer calls (and model cases) even with time left. */
  readonly maxCases?: number;
  /** Memory budget inside the worker, bytes. @default 64 MiB */
  readonly budget?: number;
  /** Deadline of one case, milliseconds. @default 10 000 */
  readonly timeoutMs?: number;
  /** Seed model directories. @default listSeeds() */
  readonly seeds?: string[];
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
  /** Shrink the first failure of each kind. @default true */
  readonly shrink?: boolean;
}

/** One failing case. */
export interface Failure {
  readonly kind: "layer" | "model";
  readonly outcome: Outcome;
  readonly detail: string;
  readonly case: LayerCase | ModelMutation;
  /** The shrunk case, when shrinking ran. */
  readonly minimal?: LayerCase | ModelMutation;
  readonly minimalDetail?: string;
}

/** Counts per outcome and the failures of one run. */
export interface FuzzReport {
  readonly seed: number;
  readonly seconds: number;
  readonly seedModels: number;
  readonly layer: Record<Outcome, number>;
  readonly model: Record<Outcome, number>;
  readonly failures: Failure[];
}

const LAYER_BATCH = 400;
const MODEL_BATCH = 100;

function zeros(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/** Runs the fuzz loop. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const seeds = options.seeds ?? await listSeeds();
  const runner = new CaseRunner({
    seeds,
    budget: options.budget ?? 64 * 2 ** 20,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const report: FuzzReport = {
    seed: options.seed,
    seconds: 0,
    seedModels: seeds.length,
    layer: zeros(),
    model: zeros(),
    failures: [],
  };
  const elapsed = () => (performance.now() - started) / 1000;
  const limit = options.maxCases ?? Infinity;
  const layers = layerCaseArbitrary(), mutations = mutationArbitrary();
  const total = (counts: Record<Outcome, number>) => OUTCOMES.reduce((s, o) => s + counts[o], 0);
  try {
    for (let batch = 0; elapsed() < options.seconds; batch++) {
      const seed = (options.seed + batch * 7919) | 0;
      const room = limit - total(report.layer);
      if (room <= 0 && limit - total(report.model) <= 0) break;
      for (const c of fc.sample(layers, { seed, numRuns: Math.min(LAYER_BATCH, room) })) {
        const result = await runner.layer(c);
        record(report, "layer", c, result);
      }
      if (seeds.length > 0) {
        const roomModels = limit - total(report.model);
        const draws = fc.sample(mutations, { seed, numRuns: Math.min(MODEL_BATCH, roomModels) });
        for (const m of draws) {
          const result = await runner.model(m);
          record(report, "model", m, result);
        }
      }
      if (batch % 10 !== 9) continue;
      log(
        `${elapsed().toFixed(0)} s: ${total(report.layer)} layer calls, ${
          total(report.model)
        } models, ${report.failures.length} failures`,
      );
    }
    if (options.shrink ?? true) await shrinkFirsts(runner, report, layers, mutations);
  } finally {
    runner.close();
  }
  return { ...report, seconds: elapsed() };
}

function record(
  report: FuzzReport,
  kind: "layer" | "model",
  c: LayerCase | ModelMutation,
  result: CaseResult,
): void {
  report[kind][result.outcome]++;
  if (!passes(result.outcome) && report.failures.length < 50) {
    report.failures.push({ kind, outcome: result.outcome, detail: result.detail, case: c });
  }
}

/** Shrinks the first failure of each (kind, outcome) with fast-check, starting from it. */
async function shrinkFirsts(
  runner: CaseRunner,
  report: FuzzReport,
  layers: fc.Arbitrary<LayerCase>,
  mutations: fc.Arbitrary<ModelMutation>,
): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < report.failures.length; i++) {
    const failure = report.failures[i];
    const key = `${failure.kind}/${failure.outcome}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let detail = failure.detail;
    const run = (c: LayerCase | ModelMutation) =>
      failure.kind === "layer" ? runner.layer(c as LayerCase) : runner.model(c as ModelMutation);
    const property = fc.asyncProperty(
      (failure.kind === "layer" ? layers : mutations) as fc.Arbitrary<LayerCase | ModelMutation>,
      async (c) => {
        const result = await run(c);
        if (result.outcome === failure.outcome) detail = result.detail;
        return result.outcome !== failure.outcome;
      },
    );
    const out = await fc.check(property, {
      examples: [[failure.case]],
      numRuns: 1,
      interruptAfterTimeLimit: 60_000,
    });
    if (out.failed && out.counterexample) {
      report.failures[i] = { ...failure, minimal: out.counterexample[0], minimalDetail: detail };
    }
  }
}

/** Whether a report has nothing but clean errors and agreements. */
export function clean(report: FuzzReport): boolean {
  return OUTCOMES.every((o) => passes(o) || (report.layer[o] === 0 && report.model[o] === 0));
}

/** JSON of a case with NaN and ±Infinity spelled out (JSON has no literal for them). */
export function showCase(c: unknown): string {
  return JSON.stringify(c, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? `${v}` : v));
}
