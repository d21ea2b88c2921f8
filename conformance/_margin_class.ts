// The colour classes of the HTML report's cells, by margin (see `marginClass`).

import type { Tally } from "./report.ts";
import { finite } from "./_markup.ts";

/** A margin colour class: `m-<class>` in the page. */
export type MarginClass = "fail" | "tight" | "fair" | "good" | "exact" | "skip" | "none";

/** Margins below this are `tight` (orange): a small change of the code could fail them. */
export const TIGHT_MARGIN = 0.1;
/** Margins below this (and at least {@linkcode TIGHT_MARGIN}) are `fair` (yellow). */
export const FAIR_MARGIN = 0.5;

/**
 * The colour class of a tally: `fail` when a case failed or threw, `skip` when every case was
 * skipped, `none` when it has no case, else by the worst margin: `tight` below
 * {@linkcode TIGHT_MARGIN}, `fair` below {@linkcode FAIR_MARGIN}, `good` below 1, `exact` at 1.
 *
 * @param t The tally.
 * @returns The class.
 *
 * @example Classify
 * ```ts
 * import { marginClass } from "./html.ts";
 * const c = marginClass({ passed: 3, failed: 0, skipped: 0, worstMargin: 0.05 });
 * if (c !== "tight") throw new Error(c);
 * ```
 */
export function marginClass(t: Tally): MarginClass {
  if (t.failed > 0) return "fail";
  if (t.passed === 0) return t.skipped > 0 ? "skip" : "none";
  const m = finite(t.worstMargin);
  if (m === undefined || m < 0) return "fail";
  if (m < TIGHT_MARGIN) return "tight";
  if (m < FAIR_MARGIN) return "fair";
  return m < 1 ? "good" : "exact";
}
