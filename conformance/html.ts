/**
 * The conformance report as one self-contained HTML page (`deno task conformance --html FILE`):
 * the summary, the failing cases with their first differing element, the op × parameter matrix
 * coloured by margin, the peer matrix when peer reports are given, the skipped cases by reason and
 * every case in a collapsed table. The page loads nothing — its style sheet is inline, it has no
 * script, font or image — so it opens the same from a CI artifact, a mail or a file share.
 *
 * Colours follow the margin `1 − error ÷ allowed error` of the worst case in a cell (see
 * {@linkcode marginClass}): red for a failure, orange below 10%, yellow below 50%, light green
 * below 100%, green for exact agreement, grey when every case was skipped.
 *
 * @module
 */

import type { JsonReport, ReportEntry, TableFamily, Tally } from "./report.ts";
import { directionTallies, matrixColumns } from "./_peer_matrix.ts";
import { REPORT_CSS } from "./_html_style.ts";
import {
  checkJsonReport,
  escapeMarkup,
  escapeText,
  finite,
  numberText,
  percentText,
} from "./_markup.ts";

/** A margin colour class: `m-<class>` in the page. */
export type MarginClass = "fail" | "tight" | "fair" | "good" | "exact" | "skip" | "none";

/** Margins below this are `tight` (orange): a small change of the code could fail them. */
export const TIGHT_MARGIN = 0.1;
/** Margins below this (and at least {@linkcode TIGHT_MARGIN}) are `fair` (yellow). */
export const FAIR_MARGIN = 0.5;

/** Options of {@linkcode renderHtml}. */
export interface HtmlOptions {
  /** Reports of peer implementations, each a column group of the peer matrix. @default [] */
  peers?: readonly { name: string; report: JsonReport }[];
  /** The page title. @default "Conformance report" */
  title?: string;
}

/** At most this many rows of failure detail per list; the JSON report has the rest. */
const MAX_FAILURE_ROWS = 500;

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

/**
 * Renders a conformance report as a self-contained HTML page.
 *
 * @param report The report, from `jsonReport()` or parsed back from `--json` output (where
 * NaN and ±Infinity became `null`).
 * @param options Peer reports and the title.
 * @returns The page, starting with `<!doctype html>`.
 * @throws {TypeError} If `report` (or a peer's report) is not a format-1 conformance report.
 *
 * @example Render a report of no cases
 * ```ts
 * import { renderHtml } from "./html.ts";
 * import { jsonReport } from "./report.ts";
 * const page = renderHtml(jsonReport([], ["reference"], ["golden"]), { title: "Empty" });
 * if (!page.includes("0 passed, 0 failed, 0 skipped")) throw new Error("no summary");
 * ```
 */
export function renderHtml(report: JsonReport, options: HtmlOptions = {}): string {
  checkJsonReport(report, "report", "render the HTML report");
  const peers = options.peers ?? [];
  if (!Array.isArray(peers)) {
    throw new TypeError(`Cannot render the HTML report: options.peers must be an array`);
  }
  peers.forEach((p, i) => {
    if (typeof p?.name !== "string") {
      throw new TypeError(
        `Cannot render the HTML report: options.peers[${i}].name must be a string`,
      );
    }
    checkJsonReport(p.report, `options.peers[${i}].report`, "render the HTML report");
  });
  const title = options.title ?? "Conformance report";
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeText(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    "</head>",
    "<body>",
    "<header>",
    `<h1>${escapeText(title)}</h1>`,
    `<p class="meta">implementations ${escapeText(report.impls.join(", ") || "none")} · ` +
    `searched ${escapeText(report.paths.join(", ") || "nothing")} · ` +
    `${report.cases.length} cases</p>`,
    "</header>",
    summarySection(report),
    failuresSection(report.cases, "failures", "Failing cases"),
    legend(),
    matrixSection(report.table),
    peers.length > 0 ? peerSection(report, peers) : "",
    skippedSection(report),
    casesSection(report.cases),
    "<footer>Written by <code>deno task conformance --html</code>. Margin = 1 − error ÷ " +
    "allowed error of the worst element: 100% is exact agreement, 0% is at the tolerance, " +
    "negative fails. This page loads no external resource.</footer>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

function summarySection(report: JsonReport): string {
  const s = report.summary;
  const stat = (id: string, label: string, value: string, cls: string) =>
    `<div class="stat ${cls}" id="${id}"><dt>${label}</dt><dd>${value}</dd></div>`;
  const sources = Object.entries(report.sources ?? {}).map(([source, t]) =>
    `<tr><td>${escapeText(source)}</td>${tallyCells(t)}</tr>`
  );
  return [
    '<section id="summary">',
    "<h2>Summary</h2>",
    `<p id="summary-line">${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped</p>`,
    '<dl class="stats">',
    stat("count-passed", "passed", String(s.passed), s.passed > 0 ? "m-exact" : "m-none"),
    stat("count-failed", "failed", String(s.failed), s.failed > 0 ? "m-fail" : "m-none"),
    stat("count-skipped", "skipped", String(s.skipped), s.skipped > 0 ? "m-skip" : "m-none"),
    stat(
      "worst-margin",
      "worst margin",
      percentText(s.worstMargin, s.failed > 0),
      `m-${marginClass(s)}`,
    ),
    "</dl>",
    "<h3>By source</h3>",
    '<table id="sources"><thead><tr><th>source</th><th>passed</th><th>failed</th>' +
    "<th>skipped</th><th>worst margin</th></tr></thead><tbody>",
    ...sources,
    "</tbody></table>",
    implTable(report),
    "</section>",
  ].join("\n");
}

function tallyCells(t: Tally): string {
  return `<td class="num">${t.passed}</td><td class="num">${t.failed}</td>` +
    `<td class="num">${t.skipped}</td><td class="num m-${marginClass(t)}">` +
    `${percentText(t.worstMargin, t.failed > 0)}</td>`;
}

/** Per implementation: cases run and failed, worst margin and accuracy with their cases. */
function implTable(report: JsonReport): string {
  const rows = report.impls.map(String).map((impl) => {
    let ran = 0, failed = 0, worstRatio = 0, worstCase = "", accuracy = NaN, accuracyCase = "";
    for (const e of report.cases) {
      const r = e.impls.find((x) => String(x.impl) === impl);
      if (r === undefined) continue;
      ran++;
      if (!r.ok) failed++;
      const ratio = finite(r.worstRatio) ?? Infinity;
      if (ratio > worstRatio || worstCase === "") [worstRatio, worstCase] = [ratio, e.label];
      for (const c of r.checks) {
        const a = finite(c.accuracy);
        if (c.regime === "truth" && a !== undefined && !(a <= accuracy)) {
          [accuracy, accuracyCase] = [a, `${e.label}: ${c.tensor}`];
        }
      }
    }
    const t: Tally = {
      passed: ran - failed,
      failed,
      skipped: 0,
      worstMargin: ran > 0 && Number.isFinite(worstRatio) ? 1 - worstRatio : null,
    };
    const acc = Number.isNaN(accuracy)
      ? "—"
      : `${numberText(accuracy)}× <span class="mono">${escapeText(accuracyCase)}</span>`;
    return `<tr><td>${escapeText(impl)}</td><td class="num">${ran}</td>` +
      `<td class="num">${failed}</td><td class="num m-${marginClass(t)}">` +
      `${percentText(t.worstMargin, failed > 0)}</td><td class="mono">${
        escapeText(worstCase)
      }</td>` +
      `<td>${acc}</td></tr>`;
  });
  return [
    "<h3>By implementation</h3>",
    '<table id="impls"><thead><tr><th>implementation</th><th>cases run</th><th>failed</th>' +
    "<th>worst margin</th><th>worst case</th><th>worst accuracy vs PyTorch's float32 error</th>" +
    "</tr></thead><tbody>",
    ...rows,
    "</tbody></table>",
  ].join("\n");
}

function legend(): string {
  const items: [MarginClass, string][] = [
    ["fail", "failed (margin < 0, or threw)"],
    ["tight", `margin < ${100 * TIGHT_MARGIN}%`],
    ["fair", `margin < ${100 * FAIR_MARGIN}%`],
    ["good", "margin < 100%"],
    ["exact", "exact (100%)"],
    ["skip", "all skipped"],
  ];
  return '<ul class="legend" id="legend">' +
    items.map(([c, text]) => `<li class="m-${c}" data-class="${c}">${text}</li>`).join("") +
    "</ul>";
}

/** A matrix cell: the value (omitted when empty), passed/ran, failures, skips, worst margin. */
function cell(value: string, t: Tally, title: string): string {
  const ran = t.passed + t.failed;
  const parts = [
    value === "" ? "" : `<span class="value">${escapeText(value)}</span>`,
    ran + t.skipped === 0
      ? '<span class="count">—</span>'
      : `<span class="count">${t.passed}/${ran}</span>`,
    t.failed > 0 ? `<span class="failed">✗${t.failed}</span>` : "",
    t.skipped > 0 ? `<span class="skipped">(${t.skipped} skipped)</span>` : "",
    ran > 0 ? `<span class="margin">${percentText(t.worstMargin, true)}</span>` : "",
  ];
  const m = finite(t.worstMargin);
  return `<span class="cell m-${marginClass(t)}" data-class="${marginClass(t)}"` +
    (m === undefined ? "" : ` data-margin="${m}"`) +
    ` title="${escapeMarkup(title)}">${parts.join("")}</span>`;
}

function tallyText(t: Tally): string {
  const ran = t.passed + t.failed;
  const margin = ran > 0 ? `; worst margin ${percentText(t.worstMargin, true)}` : "";
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${margin}`;
}

function matrixSection(table: readonly TableFamily[]): string {
  const ran = table.filter((f) => f.total.passed + f.total.failed > 0);
  const skippedOnly = table.filter((f) => f.total.passed + f.total.failed === 0);
  const families = ran.map((f) => {
    const params = f.parameters.map((p) =>
      `<div class="param"><div class="name">${escapeText(p.name)}</div><div class="cells">` +
      p.values.map(([value, t]) => cell(value, t, `${p.name} = ${value}: ${tallyText(t)}`))
        .join("") +
      "</div></div>"
    );
    return `<section class="family" data-family="${escapeMarkup(f.family)}">` +
      `<h3>${escapeText(f.family)} <span class="tally m-${marginClass(f.total)}">` +
      `${tallyText(f.total)}</span></h3>\n${params.join("\n")}</section>`;
  });
  const skipped = skippedOnly.length === 0 ? "" : "<h3>Only skipped</h3>" +
    `<div class="cells" id="skipped-families">` +
    skippedOnly.map((f) => cell(f.family, f.total, `${f.family}: ${tallyText(f.total)}`)).join("") +
    "</div>";
  return [
    '<section id="matrix">',
    "<h2>Op × parameter</h2>",
    '<p class="meta">Each cell: parameter value, passed/ran, worst margin.</p>',
    families.length + skippedOnly.length === 0 ? '<p class="empty">No cases.</p>' : "",
    ...families,
    skipped,
    "</section>",
  ].join("\n");
}

/** The rows of failure detail: one per failing check, per run that threw, per case that did not run. */
function failureRows(
  cases: readonly ReportEntry[],
  impl?: string,
): { label: string; html: string }[] {
  const rows: { label: string; html: string }[] = [];
  const row = (e: ReportEntry, who: string, what: string, detail: string) => ({
    label: e.label,
    html: `<tr class="failure" data-case="${escapeMarkup(e.label)}"><td class="label mono">` +
      `${escapeText(e.label)}</td><td class="impl">${escapeText(who)}</td>` +
      `<td class="tensor mono">${escapeText(what)}</td><td class="first-difference">` +
      `<code>${escapeText(detail)}</code></td></tr>`,
  });
  for (const e of cases) {
    if (e.status === "skipped") continue;
    if (e.impls.length === 0) {
      if (e.status === "failed") rows.push(row(e, "—", "—", e.reason));
      continue;
    }
    for (const r of e.impls) {
      if (r.ok || (impl !== undefined && String(r.impl) !== impl)) continue;
      const failing = r.checks.filter((c) => !c.ok);
      if (r.error !== undefined) rows.push(row(e, String(r.impl), "threw", r.error));
      for (const c of failing) {
        rows.push(row(e, String(r.impl), `${c.tensor} (data set ${c.dataSet})`, c.message));
      }
      if (r.error === undefined && failing.length === 0) {
        rows.push(row(e, String(r.impl), "—", e.reason));
      }
    }
  }
  return rows;
}

function failuresSection(
  cases: readonly ReportEntry[],
  id: string,
  heading: string,
  impl?: string,
): string {
  const rows = failureRows(cases, impl);
  const failedCases = new Set(rows.map((r) => r.label)).size;
  const shown = rows.slice(0, MAX_FAILURE_ROWS);
  const more = rows.length > shown.length
    ? `<p class="meta">… and ${rows.length - shown.length} more rows (see the JSON report).</p>`
    : "";
  return [
    `<section id="${escapeMarkup(id)}" class="failures-section">`,
    `<h2>${escapeText(heading)} (${failedCases})</h2>`,
    rows.length === 0
      ? '<p class="empty">No failing cases.</p>'
      : '<table class="failures"><thead><tr><th>case</th><th>implementation</th>' +
        "<th>tensor</th><th>first differing element</th></tr></thead><tbody>\n" +
        shown.map((r) => r.html).join("\n") + "\n</tbody></table>" + more,
    "</section>",
  ].join("\n");
}

function peerSection(
  report: JsonReport,
  peers: readonly { name: string; report: JsonReport }[],
): string {
  const columns = matrixColumns([{ name: "ours", report }, ...peers]);
  const tallies = columns.map((c) => directionTallies(c.report, c.impl));
  const families = [...new Set(tallies.flatMap((t) => [...t.keys()]))];
  const empty: Tally = { passed: 0, failed: 0, skipped: 0, worstMargin: null };
  const td = (family: string, t: Tally, title: string) =>
    `<td class="cell-td">${cell("", t, `${family} ${title}`)}</td>`;
  const rows = families.map((family) =>
    `<tr data-family="${escapeMarkup(family)}"><th scope="row">${escapeText(family)}</th>` +
    columns.map((c, i) => {
      const t = tallies[i].get(family);
      return td(
        family,
        t?.forward ?? empty,
        `forward, ${c.heading}: ${tallyText(t?.forward ?? empty)}`,
      ) +
        td(
          family,
          t?.backward ?? empty,
          `backward, ${c.heading}: ${tallyText(t?.backward ?? empty)}`,
        );
    }).join("") + "</tr>"
  );
  const failures = peers.flatMap((p, i) =>
    p.report.impls.map(String).map((impl) =>
      failuresSection(
        p.report.cases,
        `peer-failures-${i}-${impl.replace(/[^\w-]/g, "_")}`,
        `Failing cases of ${
          columns.find((c) => c.report === p.report && c.impl === impl)?.heading
        }`,
        impl,
      )
    )
  );
  return [
    '<section id="peers">',
    "<h2>Peer matrix</h2>",
    '<p class="meta">Per op family and implementation: forward (outputs) and backward ' +
    "(gradients) cases passed/ran, coloured by the worst margin.</p>",
    '<table class="peers"><thead><tr><th rowspan="2">family</th>' +
    columns.map((c) => `<th colspan="2" class="peer">${escapeText(c.heading)}</th>`).join("") +
    "</tr><tr>" + columns.map(() => "<th>forward</th><th>backward</th>").join("") +
    "</tr></thead><tbody>",
    ...rows,
    "</tbody></table>",
    ...failures,
    "</section>",
  ].join("\n");
}

function skippedSection(report: JsonReport): string {
  const groups = report.skipped.map((g) =>
    `<details class="skip-group"><summary><span class="count">${g.cases.length}</span> ` +
    `${escapeText(g.reason)}</summary><p class="skip-cases mono">` +
    `${g.cases.map(escapeText).join(", ")}</p></details>`
  );
  return [
    '<section id="skipped">',
    `<h2>Skipped cases (${report.summary.skipped}), by reason</h2>`,
    groups.length === 0 ? '<p class="empty">No skipped cases.</p>' : groups.join("\n"),
    "</section>",
  ].join("\n");
}

function casesSection(cases: readonly ReportEntry[]): string {
  const rows = cases.map((e) => {
    const worstRatio = finite(e.worstRatio);
    const t: Tally = {
      passed: e.status === "passed" ? 1 : 0,
      failed: e.status === "failed" ? 1 : 0,
      skipped: e.status === "skipped" ? 1 : 0,
      worstMargin: worstRatio === undefined ? null : 1 - worstRatio,
    };
    const params = Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(" ");
    const margin = e.status === "skipped" ? "—" : percentText(t.worstMargin, true);
    return `<tr><td class="mono">${escapeText(e.label)}</td><td class="m-${marginClass(t)}">` +
      `${e.status}</td><td>${escapeText(e.family)}</td><td class="mono">${escapeText(params)}` +
      `</td><td class="num">${numberText(e.maxAbsError)}</td><td class="num">${margin}</td>` +
      `<td class="mono">${escapeText(e.worstTensor)}</td>` +
      `<td class="num">${Math.round(finite(e.ms) ?? 0)}</td></tr>`;
  });
  return [
    '<section id="cases">',
    `<details><summary>All cases (${cases.length})</summary>`,
    '<table class="all-cases"><thead><tr><th>case</th><th>status</th><th>family</th>' +
    "<th>parameters</th><th>max |Δ|</th><th>margin</th><th>worst tensor</th><th>ms</th></tr>" +
    "</thead><tbody>",
    ...rows,
    "</tbody></table></details>",
    "</section>",
  ].join("\n");
}
