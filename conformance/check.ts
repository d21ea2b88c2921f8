/**
 * {@linkcode checkImplementation}: every golden case below some directories through one
 * implementation, as a structured report.
 *
 * @module
 */

import { findCases } from "../onnx/case.ts";
import type { Implementation } from "./adapter.ts";
import type { ConformanceImpl } from "./builtin.ts";
import { CaseCatalog, type JsonReport, jsonReport, type ReportEntry } from "./report.ts";
import { runCase } from "./runner.ts";

/** A case directory and how the report prints it. */
export interface LabelledCase {
  /** The case directory. */
  dir: string;
  /** `<searched directory's name>/<path below it>`, e.g. `torch/conv2d_k3x3_…`. */
  label: string;
}

/** Options of {@linkcode checkImplementation}. */
export interface CheckOptions {
  /**
   * Which cases to run: a label substring (`"torch/conv2d_"`) or a predicate on the label.
   * @default every case
   */
  filter?: string | ((label: string) => boolean);
  /** Called after each case, e.g. to print progress. @default none */
  onCase?: (entry: ReportEntry) => void;
}

/**
 * Finds the case directories below `paths` (see `findCases`), labelled as the report prints them
 * and filtered.
 *
 * @param paths Directories (or `model.onnx` files) to search.
 * @param filter A label substring or predicate. @default every case
 * @returns The cases, each directory once, in search order.
 * @throws {Deno.errors.NotFound} If a path does not exist.
 */
export async function labelledCases(
  paths: readonly (string | URL)[],
  filter?: string | ((label: string) => boolean),
): Promise<LabelledCase[]> {
  const keep = typeof filter === "function"
    ? filter
    : (label: string) => filter === undefined || label.includes(filter);
  const found: LabelledCase[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const root = pathOf(path).replace(/\/+$/, "");
    for (const dir of await findCases([path])) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      const below = dir.startsWith(`${root}/`) ? dir.slice(root.length + 1) : "";
      const label = below === "" ? basename(dir) : `${basename(root)}/${below}`;
      if (keep(label)) found.push({ dir, label });
    }
  }
  return found;
}

/**
 * Runs every case below `paths` through `impl` — forward, and backward where the case has
 * gradient files and the implementation a backward — against the tolerance policy.
 *
 * @param impl An {@linkcode Implementation} adapter or a built-in name (`"reference"`, ...).
 * @param paths The golden directories (the repository's `golden/`, or some of its subdirectories
 * such as `golden/torch`); the goldens are not part of the published package.
 * @param options A filter and a per-case callback.
 * @returns The report: totals, the op family × parameter table, every case with its checks.
 * @throws {Deno.errors.NotFound} If a path does not exist.
 * @throws {TypeError} If `impl` is neither a built-in name nor an object with a `name`.
 *
 * @example Check the reference path on the Relu case shipped with the ONNX tests
 * ```ts
 * import { checkImplementation } from "./check.ts";
 * const report = await checkImplementation("reference", [
 *   new URL("../onnx/testdata/relu", import.meta.url),
 * ]);
 * if (report.summary.passed !== 1) throw new Error(JSON.stringify(report.summary));
 * ```
 */
export async function checkImplementation(
  impl: Implementation | ConformanceImpl,
  paths: string | URL | readonly (string | URL)[],
  options: CheckOptions = {},
): Promise<JsonReport> {
  const list = typeof paths === "string" || paths instanceof URL ? [paths] : paths;
  const cases = await labelledCases(list, options.filter);
  const catalog = await CaseCatalog.load(cases.map((c) => c.dir));
  const entries: ReportEntry[] = [];
  try {
    for (const { dir, label } of cases) {
      const result = await runCase(dir, { impls: [impl] });
      const entry: ReportEntry = { ...result, ...catalog.describe(result, label) };
      entries.push(entry);
      options.onCase?.(entry);
    }
  } finally {
    if (typeof impl === "object") await impl.dispose?.();
  }
  const name = typeof impl === "string" ? impl : impl.name;
  return jsonReport(entries, [name], list.map(pathOf));
}

function pathOf(path: string | URL): string {
  return path instanceof URL ? decodeURIComponent(path.pathname) : path;
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
