// The HTML report's summary: totals, counts per source and per implementation.

import type { JsonReport, Tally } from "./report.ts";
import { marginClass } from "./_margin_class.ts";
import { escapeText, finite, numberText, percentText } from "./_markup.ts";

/** The totals, the tally per source and the table per implementation. */
export function summarySection(report: JsonReport): string {
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
