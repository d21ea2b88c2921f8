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

import type { JsonReport } from "./report.ts";
import { REPORT_CSS } from "./_html_style.ts";
import { legend } from "./_html_cells.ts";
import {
  casesSection,
  failuresSection,
  matrixSection,
  peerSection,
  skippedSection,
} from "./_html_sections.ts";
import { summarySection } from "./_html_summary.ts";
import { checkJsonReport, escapeText } from "./_markup.ts";

export { FAIR_MARGIN, type MarginClass, marginClass, TIGHT_MARGIN } from "./_margin_class.ts";

/** Options of {@linkcode renderHtml}. */
export interface HtmlOptions {
  /** Reports of peer implementations, each a column group of the peer matrix. @default [] */
  peers?: readonly { name: string; report: JsonReport }[];
  /** The page title. @default "Conformance report" */
  title?: string;
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
