/**
 * The conformance report: one line per case (its largest error against the tolerance and the
 * margin left), the skipped cases grouped by reason, a compact op × parameter table of passed /
 * failed cases with the worst margin per parameter value, case counts per source, and the
 * summary line `N passed, M failed, K skipped`; or all of it as JSON.
 *
 * A case's *margin* is `1 − worstRatio`, where `worstRatio` is the largest error ÷ allowed error
 * over every compared element of every implementation: 100% is exact agreement, 0% is at the
 * tolerance, negative is a failure.
 *
 * Families and parameters: golden cases (a `manifest.json` two levels above the case, as in
 * `golden/<source dir>/<case>`) take their family from the manifest and their parameters from
 * the grid case of the same name (`conformance/grid.ts`); whole-model goldens are family `model`,
 * the torchvision zoo (`zoo/<architecture>_<mode>`) family `zoo` by architecture and mode.
 * Other ("foreign") cases, like ONNX's backend test data, take the lowercase type of their main
 * operator as the family (the first node that is not pure plumbing such as Reshape or Unsqueeze)
 * and their source directory and opset as parameters.
 *
 * @module
 */

import { gridCases } from "./grid.ts";
import { CASE_DIRS, type Manifest } from "./manifest.ts";
import type { CaseResult } from "./runner.ts";
import { TRUTH_FACTOR } from "./tolerance.ts";

/** Where a case belongs in the report. */
export interface CaseInfo {
  /** The case as printed: its path below the searched directory's parent, e.g. `ort/conv1d_…`. */
  label: string;
  /** Source of the expected values: `onnxruntime`, `pytorch`, or the parent directory's name. */
  source: string;
  /** Table row group, e.g. `conv2d`, `maxpool1d`, `model`, `averagepool`. */
  family: string;
  /** Table parameters, e.g. `{ stride: "2x1", padding: "same" }`. */
  params: Record<string, string>;
}

/** A case's result and where it belongs. */
export type ReportEntry = CaseResult & CaseInfo;

/** Pass/fail counts and the worst margin of a set of cases. */
export interface Tally {
  /** Cases that passed. */
  passed: number;
  /** Cases that failed. */
  failed: number;
  /** Cases that were skipped. */
  skipped: number;
  /** Smallest `1 − worstRatio` over the cases that ran (`null` when none ran or one threw). */
  worstMargin: number | null;
}

/** One parameter of a family: its values in order of first appearance, each with its tally. */
export interface TableParameter {
  /** Parameter name. */
  name: string;
  /** `[value, tally]` pairs. */
  values: [string, Tally][];
}

/** One family (row group) of the op × parameter table. */
export interface TableFamily {
  /** Family name. */
  family: string;
  /** All its cases. */
  total: Tally;
  /** Its parameters in order of first appearance. */
  parameters: TableParameter[];
}

/** Skipped cases sharing a reason (quoted names elided). */
export interface SkipGroup {
  /** The reason with quoted value names replaced by `"…"`. */
  reason: string;
  /** The skipped cases' labels. */
  cases: string[];
}

/** Operators that only move or relabel data: not what a foreign case is "about". */
const PLUMBING = new Set([
  "Cast",
  "Concat",
  "Constant",
  "Flatten",
  "Identity",
  "Reshape",
  "Shape",
  "Slice",
  "Squeeze",
  "Transpose",
  "Unsqueeze",
]);

/** Reads the golden manifests (and the grid, once) that describe a list of cases. */
export class CaseCatalog {
  readonly #manifests: Map<string, Manifest | undefined>;
  readonly #grid: Map<string, Record<string, string>>;

  private constructor(
    manifests: Map<string, Manifest | undefined>,
    grid: Map<string, Record<string, string>>,
  ) {
    this.#manifests = manifests;
    this.#grid = grid;
  }

  /**
   * Finds the `manifest.json` of every golden root among the cases' grandparent directories.
   *
   * @param dirs Case directories.
   * @returns A catalog that describes those cases.
   * @throws {SyntaxError} If a `manifest.json` is not JSON.
   */
  static async load(dirs: readonly string[]): Promise<CaseCatalog> {
    const manifests = new Map<string, Manifest | undefined>();
    for (const dir of dirs) {
      const root = parent(parent(dir));
      if (manifests.has(root)) continue;
      try {
        manifests.set(root, JSON.parse(await Deno.readTextFile(`${root}/manifest.json`)));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        manifests.set(root, undefined);
      }
    }
    const grid = new Map<string, Record<string, string>>();
    if ([...manifests.values()].some((m) => m !== undefined)) {
      for (const c of gridCases()) grid.set(c.name, c.params);
    }
    return new CaseCatalog(manifests, grid);
  }

  /**
   * Places a case in the report.
   *
   * @param result The case's result.
   * @param label How the case is printed.
   * @returns Its source, family and parameters.
   */
  describe(result: CaseResult, label: string): CaseInfo {
    const root = parent(parent(result.dir));
    const manifest = this.#manifests.get(root);
    const sourceDir = basename(parent(result.dir));
    if (manifest !== undefined) {
      const source = (Object.keys(CASE_DIRS) as (keyof typeof CASE_DIRS)[])
        .find((s) => CASE_DIRS[s] === sourceDir);
      const entry = manifest.cases.find((c) => c.name === result.name);
      if (source !== undefined && entry !== undefined) {
        const params = this.#grid.get(result.name) ?? attributeParams(entry.attributes);
        return { label, source, family: entry.family, params };
      }
      const model = manifest.models.find((m) => m.dir === `${sourceDir}/${result.name}`);
      if (model !== undefined && sourceDir === "zoo") {
        // zoo/<architecture>_<eval|train>
        const mode = model.name.slice(model.name.lastIndexOf("_") + 1);
        const architecture = model.name.slice(0, model.name.lastIndexOf("_"));
        return { label, source: model.source, family: "zoo", params: { architecture, mode } };
      }
      if (model !== undefined) {
        return { label, source: model.source, family: "model", params: { model: model.name } };
      }
    }
    const main = result.ops.find((op) => !PLUMBING.has(op)) ?? result.ops[0] ?? "unknown";
    const params: Record<string, string> = { source: sourceDir };
    if (result.opset !== undefined) params.opset = String(result.opset);
    return { label, source: sourceDir, family: main.toLowerCase(), params };
  }
}

/**
 * One line for a case: status, label, and for a case that ran its largest absolute error and
 * its worst error against the allowed error with the margin; the reason for a failed or skipped
 * case.
 *
 * @param entry The case.
 * @returns The line (no newline).
 *
 * @example A passed case
 * ```ts
 * import { caseLine } from "./report.ts";
 * const line = caseLine({
 *   label: "ort/relu_x3", status: "passed", reason: "", maxAbsError: 0, worstRatio: 0,
 *   worstTensor: "fast: output_0", worstAllowed: 1e-7, ms: 1.2,
 * });
 * console.log(line); // ok    ort/relu_x3  max|Δ| 0  exact  margin 100.0%  1 ms
 * if (!line.includes("margin 100.0%")) throw new Error(line);
 * ```
 *
 * A case judged against a float64 truth also shows its accuracy ratio (our error over PyTorch's
 * own float32 error, e.g. `accuracy 0.61× PyTorch`), and a case with a bound that reaches the
 * magnitude of its expected values is marked `VACUOUS BOUND` with the tensors.
 */
export function caseLine(
  entry:
    & Pick<
      ReportEntry,
      | "label"
      | "status"
      | "reason"
      | "maxAbsError"
      | "worstRatio"
      | "worstTensor"
      | "worstAllowed"
      | "ms"
    >
    & Partial<Pick<ReportEntry, "accuracy" | "vacuous" | "pinned">>,
): string {
  const ms = `${Math.round(entry.ms)} ms`;
  if (entry.status === "skipped") return `skip  ${entry.label}  ${entry.reason}`;
  const worst = entry.worstRatio === 0
    ? "exact"
    : Number.isFinite(entry.worstRatio)
    ? `worst ${num(entry.worstRatio * entry.worstAllowed)} ≤ ${num(entry.worstAllowed)} ` +
      `(${entry.worstTensor})`
    : `worst ∞ (${entry.worstTensor})`;
  const accuracy = entry.accuracy === undefined || Number.isNaN(entry.accuracy)
    ? ""
    : `  accuracy ${accuracyText(entry.accuracy)} PyTorch`;
  const vacuous = entry.vacuous?.length ? `  VACUOUS BOUND (${entry.vacuous.join(", ")})` : "";
  const pinned = entry.pinned?.length ? `  on own kink branches (${entry.pinned.join(", ")})` : "";
  const head = `${entry.status === "passed" ? "ok  " : "FAIL"}  ${entry.label}  max|Δ| ` +
    `${num(entry.maxAbsError)}  ${worst}${accuracy}  margin ` +
    `${percent(margin(entry.worstRatio))}${vacuous}${pinned}  ${ms}`;
  return entry.status === "passed" ? head : `${head}\n      ${entry.reason}`;
}

/**
 * Tallies cases.
 *
 * @param entries The cases.
 * @returns Counts and worst margin.
 */
export function tally(entries: readonly Pick<CaseResult, "status" | "worstRatio">[]): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, worstMargin: null };
  let ran = false, worst = Infinity;
  for (const e of entries) {
    t[e.status]++;
    if (e.status === "skipped") continue;
    ran = true;
    worst = Math.min(worst, margin(e.worstRatio));
  }
  t.worstMargin = ran && Number.isFinite(worst) ? worst : null;
  return t;
}

/**
 * Builds the op × parameter table: per family, per parameter, per value, the cases' tally.
 *
 * @param entries The cases.
 * @returns Families in order of first appearance.
 */
export function buildTable(entries: readonly ReportEntry[]): TableFamily[] {
  const families = new Map<string, ReportEntry[]>();
  for (const e of entries) {
    const list = families.get(e.family) ?? [];
    list.push(e);
    families.set(e.family, list);
  }
  return [...families].map(([family, list]) => {
    const byParam = new Map<string, Map<string, ReportEntry[]>>();
    for (const e of list) {
      for (const [name, value] of Object.entries(e.params)) {
        const values = byParam.get(name) ?? new Map<string, ReportEntry[]>();
        values.set(value, [...(values.get(value) ?? []), e]);
        byParam.set(name, values);
      }
    }
    const parameters = [...byParam].map(([name, values]) => ({
      name,
      values: [...values].map(([value, cases]) => [value, tally(cases)] as [string, Tally]),
    }));
    return { family, total: tally(list), parameters };
  });
}

/**
 * Prints the table: a line per family with its tally, then a line per parameter listing each
 * value as `value passed/ran margin` (`✗n` for failures, `(n skipped)` for skips), wrapped.
 *
 * @param table From {@linkcode buildTable}.
 * @param width Line width to wrap at. @default 100
 * @returns The lines.
 */
export function formatTable(table: readonly TableFamily[], width = 100): string[] {
  const lines: string[] = [];
  const nameWidth = Math.max(8, ...table.flatMap((f) => f.parameters.map((p) => p.name.length)));
  // Families whose every case was skipped add nothing but their name: one wrapped list at the end.
  const ran = table.filter((f) => f.total.passed + f.total.failed > 0);
  const skippedOnly = table.filter((f) => f.total.passed + f.total.failed === 0);
  for (const f of ran) {
    lines.push(`${f.family}: ${tallyText(f.total)}`);
    for (const p of f.parameters) {
      const cells = p.values.map(([value, t]) => `${value} ${cellText(t)}`);
      const indent = `  ${p.name.padEnd(nameWidth)}  `;
      let line = indent;
      for (const [i, cell] of cells.entries()) {
        const piece = i === 0 ? cell : ` · ${cell}`;
        if (line.length + piece.length > width && line.trim().length > 0 && i > 0) {
          lines.push(line);
          line = " ".repeat(indent.length) + cell;
        } else line += piece;
      }
      lines.push(line);
    }
  }
  if (skippedOnly.length > 0) {
    const names = skippedOnly.map((f) => `${f.family} (${f.total.skipped})`);
    let line = `only skipped (${skippedOnly.length} families): `;
    for (const [i, name] of names.entries()) {
      const piece = i === 0 ? name : `, ${name}`;
      if (line.length + piece.length > width) {
        lines.push(line + ",");
        line = `  ${name}`;
      } else line += piece;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Groups the skipped cases by reason (quoted names elided), most frequent first.
 *
 * @param entries The cases.
 * @returns The groups.
 */
export function skipGroups(entries: readonly ReportEntry[]): SkipGroup[] {
  const groups = new Map<string, string[]>();
  for (const e of entries) {
    if (e.status !== "skipped") continue;
    const key = e.reason.replace(/"[^"]*"/g, '"…"');
    groups.set(key, [...(groups.get(key) ?? []), e.label]);
  }
  return [...groups].map(([reason, cases]) => ({ reason, cases }))
    .sort((a, b) => b.cases.length - a.cases.length || (a.reason < b.reason ? -1 : 1));
}

/** Skipped cases of one kind, with what they need (operators, element types, ...). */
export interface SkipCategory {
  /** E.g. `unsupported operator`, `unsupported element type`, `non-tensor value`. */
  category: string;
  /** Number of cases. */
  count: number;
  /** The operators, element types or value kinds involved, sorted (empty for `other`). */
  details: string[];
}

const CATEGORIES: readonly { category: string; pattern: RegExp }[] = [
  { category: "unsupported operator", pattern: /operator (\w+) is not supported/ },
  { category: "non-default domain", pattern: /domain "([^"]*)" is not supported/ },
  {
    category: "unsupported element type",
    pattern: /dtype (\w+)|data_type \d+ \((\w+)\)|cast (?:to|from) (\w+)/,
  },
  { category: "non-tensor value", pattern: /is an? (\w+); only tensors/ },
  { category: "random output (training-mode Dropout)", pattern: /()random masks/ },
];

/**
 * Sorts the skipped cases into a few categories for the README: unsupported operators, other
 * domains, element types (float16, strings, ...), non-tensor values (sequences, optionals),
 * random outputs, and `other` for the rest.
 *
 * @param entries The cases.
 * @returns Categories, most frequent first (then by name).
 */
export function skipCategories(entries: readonly ReportEntry[]): SkipCategory[] {
  const found = new Map<string, { count: number; details: Set<string> }>();
  for (const e of entries) {
    if (e.status !== "skipped") continue;
    let category = "other", detail: string | undefined;
    for (const c of CATEGORIES) {
      const match = c.pattern.exec(e.reason);
      if (match === null) continue;
      category = c.category;
      detail = match.slice(1).find((g) => g !== undefined && g !== "");
      break;
    }
    const entry = found.get(category) ?? { count: 0, details: new Set<string>() };
    entry.count++;
    if (detail !== undefined) entry.details.add(detail);
    found.set(category, entry);
  }
  return [...found].map(([category, { count, details }]) => ({
    category,
    count,
    details: [...details].sort(),
  })).sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1));
}

/**
 * Prints the skip categories, each with its details wrapped.
 *
 * @param categories From {@linkcode skipCategories}.
 * @param width Line width to wrap at. @default 100
 * @returns The lines.
 */
export function formatSkipCategories(
  categories: readonly SkipCategory[],
  width = 100,
): string[] {
  const lines: string[] = [];
  for (const c of categories) {
    const head = `${String(c.count).padStart(5)}  ${c.category}`;
    if (c.details.length === 0) {
      lines.push(head);
      continue;
    }
    let line = `${head} (${c.details.length}): `;
    for (const [i, detail] of c.details.entries()) {
      const piece = i === 0 ? detail : `, ${detail}`;
      if (line.length + piece.length > width) {
        lines.push(line + ",");
        line = `         ${detail}`;
      } else line += piece;
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Prints the skip groups: count, reason and up to three example cases.
 *
 * @param groups From {@linkcode skipGroups}.
 * @returns The lines.
 */
export function formatSkips(groups: readonly SkipGroup[]): string[] {
  return groups.map((g) => {
    const names = g.cases.slice(0, 3).map((c) => c.slice(c.lastIndexOf("/") + 1)).join(", ");
    const more = g.cases.length > 3 ? ", …" : "";
    return `${String(g.cases.length).padStart(5)}  ${g.reason}  (${names}${more})`;
  });
}

/**
 * Case counts per source.
 *
 * @param entries The cases.
 * @returns Lines `source: N cases (a passed, b failed, c skipped)`.
 */
export function formatSources(entries: readonly ReportEntry[]): string[] {
  const sources = new Map<string, ReportEntry[]>();
  for (const e of entries) sources.set(e.source, [...(sources.get(e.source) ?? []), e]);
  return [...sources].map(([source, list]) =>
    `${source}: ${list.length} cases (${tallyText(tally(list))})`
  );
}

/**
 * The worst margin of each implementation over the cases that ran.
 *
 * @param entries The cases.
 * @returns One line, e.g. `worst margin by implementation: reference 41.0% (conv…), fast 38.2% (…)`.
 */
export function formatImplMargins(entries: readonly ReportEntry[]): string {
  const worst = new Map<string, { ratio: number; label: string }>();
  for (const e of entries) {
    for (const r of e.impls) {
      if (r.skipped !== undefined) continue;
      const current = worst.get(r.impl);
      if (current === undefined || r.worstRatio > current.ratio) {
        worst.set(r.impl, { ratio: r.worstRatio, label: e.label });
      }
    }
  }
  const parts = [...worst].map(([impl, w]) => `${impl} ${percent(margin(w.ratio))} (${w.label})`);
  return `worst margin by implementation: ${parts.length > 0 ? parts.join(", ") : "none ran"}`;
}

/**
 * The summary line, exactly `N passed, M failed, K skipped`.
 *
 * @param entries The cases.
 * @returns The line.
 *
 * @example Summarise
 * ```ts
 * import { summaryLine } from "./report.ts";
 * const line = summaryLine([{ status: "passed", worstRatio: 0 }, { status: "skipped", worstRatio: 0 }]);
 * if (line !== "1 passed, 0 failed, 1 skipped") throw new Error(line);
 * ```
 */
export function summaryLine(entries: readonly Pick<CaseResult, "status" | "worstRatio">[]): string {
  const t = tally(entries);
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

/** The machine-readable report. */
export interface JsonReport {
  /** Format version. */
  format: 1;
  /** Implementations run. */
  impls: string[];
  /** Searched paths. */
  paths: string[];
  /** Totals. */
  summary: Tally;
  /** Tally per source. */
  sources: Record<string, Tally>;
  /** Skipped cases by reason. */
  skipped: SkipGroup[];
  /** The op × parameter table. */
  table: TableFamily[];
  /** Every case with its checks. */
  cases: ReportEntry[];
}

/**
 * Builds the JSON report (non-finite numbers become `null` when serialised).
 *
 * @param entries The cases.
 * @param impls The implementations run.
 * @param paths The searched paths.
 * @returns The report object.
 */
export function jsonReport(
  entries: readonly ReportEntry[],
  impls: readonly string[],
  paths: readonly string[],
): JsonReport {
  const sources: Record<string, Tally> = {};
  for (const source of new Set(entries.map((e) => e.source))) {
    sources[source] = tally(entries.filter((e) => e.source === source));
  }
  return {
    format: 1,
    impls: [...impls],
    paths: [...paths],
    summary: tally(entries),
    sources,
    skipped: skipGroups(entries),
    table: buildTable(entries),
    cases: [...entries],
  };
}

/**
 * The worst accuracy ratio (ours over PyTorch's float32 error, truth regime) of each
 * implementation, and the bounds that guard nothing.
 *
 * @param entries The cases.
 * @returns Lines, e.g. `worst accuracy vs PyTorch's float32 error (passes up to 4×): reference
 * 0.87× (lenet5: output_0), ...` and `vacuous bounds: none`.
 */
export function formatAccuracy(entries: readonly ReportEntry[]): string[] {
  const worst = new Map<string, { ratio: number; label: string }>();
  for (const e of entries) {
    for (const r of e.impls) {
      for (const c of r.checks) {
        if (c.regime !== "truth") continue;
        const w = worst.get(r.impl);
        if (w === undefined || c.accuracy > w.ratio) {
          worst.set(r.impl, { ratio: c.accuracy, label: `${e.label}: ${c.tensor}` });
        }
      }
    }
  }
  const parts = [...worst].map(([impl, w]) => `${impl} ${accuracyText(w.ratio)} (${w.label})`);
  const vacuous = entries.filter((e) => e.vacuous?.length);
  return [
    `worst accuracy vs PyTorch's float32 error (passes up to ${TRUTH_FACTOR}×): ` +
    (parts.length ? parts.join(", ") : "no float64 truth compared"),
    vacuous.length === 0
      ? "vacuous bounds (allowed error ≥ the largest expected magnitude): none"
      : `VACUOUS BOUNDS in ${vacuous.length} cases: ` +
        vacuous.slice(0, 20).map((e) => `${e.label} (${e.vacuous.join(", ")})`).join("; ") +
        (vacuous.length > 20 ? "; ..." : ""),
  ];
}

function accuracyText(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio < 10 ? ratio.toFixed(2) : ratio.toPrecision(3)}×` : "∞×";
}

function tallyText(t: Tally): string {
  const margin = t.worstMargin === null ? "" : `; worst margin ${percent(t.worstMargin)}`;
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${margin}`;
}

function cellText(t: Tally): string {
  const ran = t.passed + t.failed;
  const parts = [`${t.passed}/${ran}`];
  if (t.failed > 0) parts.push(`✗${t.failed}`);
  if (t.worstMargin !== null) parts.push(percent(t.worstMargin));
  else if (ran > 0) parts.push("threw");
  if (t.skipped > 0) parts.push(`(${t.skipped} skipped)`);
  return parts.join(" ");
}

function margin(worstRatio: number): number {
  return 1 - worstRatio;
}

function percent(value: number): string {
  if (!Number.isFinite(value)) return value < 0 ? "-∞" : "—";
  return `${(100 * value).toFixed(1)}%`;
}

function num(value: number): string {
  if (Number.isNaN(value)) return "—";
  if (value === 0) return "0";
  return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e4
    ? String(Number(value.toPrecision(3)))
    : value.toExponential(1);
}

function attributeParams(attributes: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) {
    out[k] = Array.isArray(v) ? v.join("x") : String(v);
  }
  return out;
}

function parent(path: string): string {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
