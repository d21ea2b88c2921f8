// The HTML report's sections below the summary: failing cases, the op × parameter matrix, the
// peer matrix, skipped cases and the table of every case.

import type { JsonReport, ReportEntry, TableFamily, Tally } from "./report.ts";
import { cell, tallyText } from "./_html_cells.ts";
import { marginClass } from "./_margin_class.ts";
import { directionTallies, matrixColumns } from "./_peer_matrix.ts";
import { escapeMarkup, escapeText, finite, numberText, percentText } from "./_markup.ts";

/** At most this many rows of failure detail per list; the JSON report has the rest. */
const MAX_FAILURE_ROWS = 500;

/** The op × parameter matrix: per family a row per parameter, a cell per value. */
export function matrixSection(table: readonly TableFamily[]): string {
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

/** A list of failure detail (capped at `MAX_FAILURE_ROWS`), optionally of one implementation. */
export function failuresSection(
  cases: readonly ReportEntry[],
  id: string,
  heading: string,
  impl?: string,
  collapsed = false,
): string {
  const rows = failureRows(cases, impl);
  const failedCases = new Set(rows.map((r) => r.label)).size;
  const shown = rows.slice(0, MAX_FAILURE_ROWS);
  const more = rows.length > shown.length
    ? `<p class="meta">… and ${rows.length - shown.length} more rows (see the JSON report).</p>`
    : "";
  const title = `<h2>${escapeText(heading)} (${failedCases})</h2>`;
  return [
    `<section id="${escapeMarkup(id)}" class="failures-section">`,
    // A peer's list can run to hundreds of rows: collapsed under its heading.
    collapsed ? `<details><summary>${title}</summary>` : title,
    rows.length === 0
      ? '<p class="empty">No failing cases.</p>'
      : '<table class="failures"><thead><tr><th>case</th><th>implementation</th>' +
        "<th>tensor</th><th>first differing element</th></tr></thead><tbody>\n" +
        shown.map((r) => r.html).join("\n") + "\n</tbody></table>" + more,
    collapsed ? "</details>" : "",
    "</section>",
  ].join("\n");
}

/** The peer matrix (family × implementation column, forward and backward) and the peers' failures. */
export function peerSection(
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
        true,
      )
    )
  );
  return [
    '<section id="peers">',
    "<h2>Peer matrix</h2>",
    '<p class="meta">Per op family and implementation: forward (outputs) and backward ' +
    "(gradients) cases passed/ran, coloured by the worst margin.</p>",
    '<div class="scroll"><table class="peers"><thead><tr><th rowspan="2">family</th>' +
    columns.map((c) => `<th colspan="2" class="peer">${escapeText(c.heading)}</th>`).join("") +
    "</tr><tr>" + columns.map(() => "<th>forward</th><th>backward</th>").join("") +
    "</tr></thead><tbody>",
    ...rows,
    "</tbody></table></div>",
    ...failures,
    "</section>",
  ].join("\n");
}

/** The skipped cases grouped by reason, each group collapsed. */
export function skippedSection(report: JsonReport): string {
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

/** Every case in one collapsed table. */
export function casesSection(cases: readonly ReportEntry[]): string {
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
