// The peer conformance matrix: per op family and per parameter value, how many cases each peer
// ran and passed, forward (the `output_<j>` comparisons) and backward (the `grad_*` ones)
// separately, rendered as Markdown for the README, plus the JSON shape the HTML report reads
// (`{ peers: { name, report: JsonReport }[] }`).

import type { ImplResult, JsonReport, ReportEntry } from "../conformance/mod.ts";

/** One peer's run over the grid. */
export interface PeerReport {
  /** Peer name (`tfjs-cpu`, ...). */
  name: string;
  /** Its package and version, for the table's legend. */
  version: string;
  /** The harness's report of its run. */
  report: JsonReport;
}

/** What `--peers --json` writes. */
export interface PeerMatrixJson {
  /** One report per peer, in matrix order. */
  peers: { name: string; version: string; report: JsonReport }[];
}

/** Passed out of ran. */
export interface Count {
  /** Cases that passed. */
  passed: number;
  /** Cases that ran (passed or failed). */
  ran: number;
}

/** One peer's counts in a row. */
export interface Cell {
  /** The forward comparisons. */
  forward: Count;
  /** The gradient comparisons. */
  backward: Count;
}

/** A row: a family's parameter value (or the whole family), a cell per peer. */
export interface Row {
  /** Parameter name, or `""` for the family total. */
  parameter: string;
  /** Parameter value, or `""` for the family total. */
  value: string;
  /** Per peer, in peer order. */
  cells: Cell[];
}

/** One family's rows. */
export interface FamilyRows {
  /** The family (`conv2d`, `maxpool1d`, ...). */
  family: string;
  /** Cases in the family (the same for every peer). */
  cases: number;
  /** The total first, then a row per parameter value in order of first appearance. */
  rows: Row[];
}

/** How one peer did on one case, forward and backward; `undefined` where it did not run. */
export interface Outcome {
  /** Forward: whether every output comparison passed. */
  forward?: boolean;
  /** Backward: whether every gradient comparison passed. */
  backward?: boolean;
}

/** The outcome of a case for its single implementation. */
export function outcome(entry: ReportEntry): Outcome {
  const r: ImplResult | undefined = entry.impls[0];
  if (entry.status === "skipped" || r === undefined || r.skipped !== undefined) return {};
  const outputs = r.checks.filter((c) => c.tensor.startsWith("output_"));
  const grads = r.checks.filter((c) => c.tensor.startsWith("grad_"));
  const result: Outcome = {};
  if (outputs.length > 0) result.forward = outputs.every((c) => c.ok);
  else if (r.error !== undefined) result.forward = false;
  if (grads.length > 0) result.backward = grads.every((c) => c.ok) && r.error === undefined;
  else if (
    r.error !== undefined && outputs.length > 0 && entry.gradients &&
    r.backwardSkipped === undefined
  ) {
    result.backward = false; // the backward threw
  }
  return result;
}

function emptyCell(): Cell {
  return { forward: { passed: 0, ran: 0 }, backward: { passed: 0, ran: 0 } };
}

function add(cell: Cell, o: Outcome): void {
  if (o.forward !== undefined) {
    cell.forward.ran++;
    if (o.forward) cell.forward.passed++;
  }
  if (o.backward !== undefined) {
    cell.backward.ran++;
    if (o.backward) cell.backward.passed++;
  }
}

/**
 * Builds the matrix: families and parameter values in order of first appearance in the first
 * report (every peer runs the same cases).
 */
export function peerMatrix(peers: readonly PeerReport[]): FamilyRows[] {
  const families = new Map<string, FamilyRows>();
  const rowOf = new Map<string, Row>();
  const row = (family: FamilyRows, parameter: string, value: string) => {
    const key = `${family.family}\u0000${parameter}\u0000${value}`;
    let r = rowOf.get(key);
    if (r === undefined) {
      r = { parameter, value, cells: peers.map(emptyCell) };
      rowOf.set(key, r);
      family.rows.push(r);
    }
    return r;
  };
  peers.forEach((peer, k) => {
    for (const entry of peer.report.cases) {
      let family = families.get(entry.family);
      if (family === undefined) {
        family = { family: entry.family, cases: 0, rows: [] };
        families.set(entry.family, family);
        row(family, "", "");
      }
      if (k === 0) family.cases++;
      const o = outcome(entry);
      add(row(family, "", "").cells[k], o);
      for (const [name, value] of Object.entries(entry.params)) {
        add(row(family, name, value).cells[k], o);
      }
    }
  });
  return [...families.values()];
}

function countText(c: Count): string {
  if (c.ran === 0) return "—";
  return c.passed === c.ran ? `${c.passed}/${c.ran}` : `**${c.passed}/${c.ran}**`;
}

function header(peers: readonly PeerReport[], first: string): string[] {
  const cols = peers.flatMap((p) => [`${p.name} fwd`, `${p.name} bwd`]);
  return [
    `| ${first} | cases | ${cols.join(" | ")} |`,
    `| --- | ---: | ${cols.map(() => "---:").join(" | ")} |`,
  ];
}

function cells(row: Row): string {
  return row.cells.map((c) => `${countText(c.forward)} | ${countText(c.backward)}`).join(" | ");
}

/**
 * The matrix as Markdown: a summary table (one row per family), then per window-op family a
 * collapsed table of its parameter values. Cells are `passed/ran`, bold when some failed, `—`
 * when the peer ran none.
 */
export function formatMatrix(
  peers: readonly PeerReport[],
  matrix: readonly FamilyRows[],
): string[] {
  const lines: string[] = [];
  lines.push(...header(peers, "family"));
  for (const f of matrix) lines.push(`| ${f.family} | ${f.cases} | ${cells(f.rows[0])} |`);
  for (const f of matrix) {
    if (f.rows.length <= 2) continue; // a family with one parameter value adds nothing
    lines.push("", `<details><summary>${f.family} by parameter</summary>`, "");
    lines.push(...header(peers, "parameter = value"));
    // Rows grouped by parameter (in order of first appearance), values in order of appearance.
    const parameters = [...new Set(f.rows.slice(1).map((r) => r.parameter))];
    const grouped = parameters.flatMap((name) => f.rows.filter((r) => r.parameter === name));
    for (const r of grouped) {
      const cases = peers[0].report.cases.filter((e) =>
        e.family === f.family && e.params[r.parameter] === r.value
      ).length;
      lines.push(`| ${r.parameter} = ${r.value} | ${cases} | ${cells(r)} |`);
    }
    lines.push("", "</details>");
  }
  return lines;
}

/** Replaces the text between `<!-- peers:begin -->` and `<!-- peers:end -->`. */
export function replaceBetweenMarkers(text: string, body: string): string {
  const begin = "<!-- peers:begin -->", end = "<!-- peers:end -->";
  const i = text.indexOf(begin), j = text.indexOf(end);
  if (i < 0 || j < i) {
    throw new RangeError(
      `Cannot write the peer matrix: the README needs the markers ${begin} and ${end} in order`,
    );
  }
  return `${text.slice(0, i + begin.length)}\n${body}\n${text.slice(j)}`;
}
