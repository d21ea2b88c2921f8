// The peer matrix of the HTML report: per op family, per implementation column, a tally of the
// forward checks (`output_<j>`) and one of the backward checks (`grad_*`), so that a peer that
// gets the forward pass right and a gradient wrong shows up as such.

import type { JsonReport, ReportEntry, Tally } from "./report.ts";
import type { ImplResult, TensorCheck } from "./runner.ts";
import { finite } from "./_markup.ts";

/** One column of the matrix: one implementation of one report. */
export interface MatrixColumn {
  /** Heading: the peer's name, with the implementation when its report ran several. */
  heading: string;
  /** The implementation's name in the report's `impls`. */
  impl: string;
  /** The report it comes from. */
  report: JsonReport;
}

/** Forward and backward tallies of one family in one column. */
export interface DirectionTallies {
  /** Cases by their forward checks. */
  forward: Tally;
  /** Cases with gradient files, by their backward checks. */
  backward: Tally;
}

/**
 * The columns for a list of named reports: one per implementation of each.
 *
 * @param named The reports, e.g. `[{ name: "ours", report }, { name: "tfjs-cpu", report }]`.
 * @returns The columns in order.
 */
export function matrixColumns(
  named: readonly { name: string; report: JsonReport }[],
): MatrixColumn[] {
  return named.flatMap(({ name, report }) => {
    const impls = report.impls.map(String);
    return impls.map((impl) => ({
      heading: impls.length === 1 && impl === name ? name : `${name}: ${impl}`,
      impl,
      report,
    }));
  });
}

/**
 * Tallies one implementation of a report per family and direction. A skipped case counts as
 * skipped in both directions (backward only when it has gradient files); a run that threw, or a
 * case that failed before any implementation ran, counts as failed with no margin in both, since
 * the report does not say which pass threw; a case with gradient files whose run compared no
 * gradient (a peer without that backward) counts as skipped backward.
 *
 * @param report The report.
 * @param impl The implementation.
 * @returns Tallies by family, in order of first appearance.
 */
export function directionTallies(report: JsonReport, impl: string): Map<string, DirectionTallies> {
  const byFamily = new Map<string, { forward: Accumulator; backward: Accumulator }>();
  for (const entry of report.cases) {
    let family = byFamily.get(entry.family);
    if (family === undefined) {
      family = { forward: new Accumulator(), backward: new Accumulator() };
      byFamily.set(entry.family, family);
    }
    addCase(family.forward, family.backward, entry, impl);
  }
  const out = new Map<string, DirectionTallies>();
  for (const [name, { forward, backward }] of byFamily) {
    out.set(name, { forward: forward.tally(), backward: backward.tally() });
  }
  return out;
}

function addCase(
  forward: Accumulator,
  backward: Accumulator,
  entry: ReportEntry,
  impl: string,
): void {
  if (entry.status === "skipped") {
    forward.skip();
    if (entry.gradients) backward.skip();
    return;
  }
  const run: ImplResult | undefined = entry.impls.find((r) => String(r.impl) === impl);
  if (run === undefined) {
    if (entry.impls.length > 0) return; // The report did not run this implementation on it.
    forward.threw();
    if (entry.gradients) backward.threw();
    return;
  }
  if (run.error !== undefined) {
    forward.threw();
    if (entry.gradients) backward.threw();
    return;
  }
  const outputs = run.checks.filter((c) => c.tensor.startsWith("output_"));
  const gradients = run.checks.filter((c) => c.tensor.startsWith("grad_"));
  if (outputs.length > 0) forward.add(outputs);
  else forward.skip();
  if (gradients.length > 0) backward.add(gradients);
  else if (entry.gradients) backward.skip();
}

/** Tally under construction; the worst margin stays `null` when nothing ran or a run threw. */
class Accumulator {
  #passed = 0;
  #failed = 0;
  #skipped = 0;
  #worst = Infinity;

  skip(): void {
    this.#skipped++;
  }

  threw(): void {
    this.#failed++;
    this.#worst = -Infinity;
  }

  add(checks: readonly TensorCheck[]): void {
    let worstRatio = 0, ok = true;
    for (const c of checks) {
      // A ratio serialised as null was NaN or Infinity: a count, shape or non-finite mismatch.
      worstRatio = Math.max(worstRatio, finite(c.worstRatio) ?? Infinity);
      ok &&= c.ok;
    }
    if (ok) this.#passed++;
    else this.#failed++;
    this.#worst = Math.min(this.#worst, 1 - worstRatio);
  }

  tally(): Tally {
    const ran = this.#passed + this.#failed > 0;
    return {
      passed: this.#passed,
      failed: this.#failed,
      skipped: this.#skipped,
      worstMargin: ran && Number.isFinite(this.#worst) ? this.#worst : null,
    };
  }
}
