/**
 * The conformance report as JUnit XML (`deno task conformance --junit FILE`), the format CI
 * systems (GitLab, Jenkins, GitHub test reporters) read to list and count tests.
 *
 * - one `<testsuite>` per source and family, named `<source>.<family>` (e.g. `onnxruntime.conv2d`);
 * - one `<testcase>` per case and implementation, named `<label> [<impl>]`, with the suite's name
 *   as `classname`; a `<failure type="tolerance">` lists each failing tensor with its first
 *   differing element, an `<error type="threw">` gives what a run threw;
 * - a skipped case is one `<testcase>` named by its label with `<skipped message="reason">`, and a
 *   case that failed before any implementation ran one with `<error type="case">`.
 *
 * Times: the runner times a case, not each implementation, so each of a case's test cases gets
 * the case's wall time divided by the number of implementations; suites and the root add them up.
 *
 * @module
 */

import type { JsonReport, ReportEntry } from "./report.ts";
import { checkJsonReport, escapeMarkup, escapeText, finite } from "./_markup.ts";

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  seconds: number;
}

/**
 * Renders a conformance report as JUnit XML.
 *
 * @param report The report, from `jsonReport()` or parsed back from `--json` output.
 * @returns The document, starting with the XML declaration and ending with a newline.
 * @throws {TypeError} If `report` is not a format-1 conformance report.
 *
 * @example A report of no cases
 * ```ts
 * import { renderJunit } from "./junit.ts";
 * import { jsonReport } from "./report.ts";
 * const xml = renderJunit(jsonReport([], ["reference"], ["golden"]));
 * if (!xml.includes('<testsuites name="conformance" tests="0"')) throw new Error(xml);
 * ```
 */
export function renderJunit(report: JsonReport): string {
  checkJsonReport(report, "report", "render the JUnit report");
  const suites = new Map<string, ReportEntry[]>();
  for (const e of report.cases) {
    const name = `${e.source}.${e.family}`;
    const list = suites.get(name) ?? [];
    list.push(e);
    suites.set(name, list);
  }
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
  const body: string[] = [];
  for (const [name, cases] of suites) {
    const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, seconds: 0 };
    const testcases = cases.flatMap((e) => testcasesOf(e, name, counts));
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
    body.push(
      `  <testsuite name="${escapeMarkup(name)}" ${countAttributes(counts)}>`,
      ...testcases,
      "  </testsuite>",
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="conformance" ${countAttributes(total)}>`,
    ...body,
    "</testsuites>",
    "",
  ].join("\n");
}

function countAttributes(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" ` +
    `skipped="${c.skipped}" time="${c.seconds.toFixed(3)}"`;
}

/** The test cases of one case, counted into `counts`. */
function testcasesOf(
  e: ReportEntry,
  classname: string,
  counts: Counts,
): string[] {
  const ms = finite(e.ms) ?? 0;
  const open = (name: string, seconds: number) => {
    counts.tests++;
    counts.seconds += seconds;
    return `    <testcase name="${escapeMarkup(name)}" classname="${escapeMarkup(classname)}" ` +
      `time="${seconds.toFixed(3)}"`;
  };
  if (e.status === "skipped") {
    counts.skipped++;
    return [
      `${open(e.label, ms / 1000)}><skipped message="${escapeMarkup(e.reason)}"/></testcase>`,
    ];
  }
  if (e.impls.length === 0) {
    // Failed before any implementation ran (the graph could not be prepared, say).
    counts.errors++;
    return [
      `${open(e.label, ms / 1000)}><error type="case" message="${escapeMarkup(e.reason)}">` +
      `${escapeText(e.reason)}</error></testcase>`,
    ];
  }
  const seconds = ms / 1000 / e.impls.length;
  return e.impls.map((r) => {
    const head = open(`${e.label} [${String(r.impl)}]`, seconds);
    if (r.error !== undefined) {
      counts.errors++;
      return `${head}><error type="threw" message="${escapeMarkup(r.error)}">` +
        `${escapeText(r.error)}</error></testcase>`;
    }
    if (r.ok) return `${head}/>`;
    counts.failures++;
    const failing = r.checks.filter((c) => !c.ok);
    const lines = failing.map((c) => `${c.tensor} (data set ${c.dataSet}): ${c.message}`);
    const message = lines[0] ?? e.reason;
    const margin = finite(r.worstRatio);
    lines.push(
      `worst error ÷ allowed error ${margin === undefined ? "∞" : margin.toPrecision(3)} ` +
        `(margin ${margin === undefined ? "-∞" : `${(100 * (1 - margin)).toFixed(1)}%`}); ` +
        `${failing.length} of ${r.checks.length} tensors outside tolerance`,
    );
    return `${head}><failure type="tolerance" message="${escapeMarkup(message)}">` +
      `${escapeText(lines.join("\n"))}</failure></testcase>`;
  });
}
