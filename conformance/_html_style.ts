// The report page's style sheet, inlined into the page (it loads nothing: no fonts, no images).
// Margin colours run from red (failed) through orange and yellow to green (exact agreement);
// the classes are those of `marginClass` in `html.ts`.

/** The CSS of the HTML report. */
export const REPORT_CSS = `
:root { color-scheme: light; --fail: #f4b6b0; --tight: #fcd29f; --fair: #fbeea0;
  --good: #cfe8c0; --exact: #93cf8a; --skip: #e4e4e4; --none: #ffffff; --ink: #1d2226;
  --muted: #5b6770; --rule: #d5dade; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 16px 24px 48px; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 14px; margin: 14px 0 6px; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12.5px; }
.meta { color: var(--muted); margin: 0; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; padding: 0; }
.stat { min-width: 130px; padding: 8px 14px; border-radius: 6px; border: 1px solid var(--rule); }
.stat dt { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat dd { margin: 0; font-size: 24px; font-weight: 600; }
#summary-line { font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { border: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.m-fail { background: var(--fail); } .m-tight { background: var(--tight); }
.m-fair { background: var(--fair); } .m-good { background: var(--good); }
.m-exact { background: var(--exact); } .m-skip { background: var(--skip); }
.m-none { background: var(--none); }
.legend { display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 6px 0; list-style: none; }
.legend li { padding: 2px 8px; border-radius: 4px; border: 1px solid var(--rule); font-size: 12px; }
.family { margin: 10px 0 14px; }
.family h3 .tally { font-weight: 400; padding: 1px 8px; border-radius: 4px; margin-left: 6px; }
.param { display: flex; gap: 8px; margin: 3px 0; }
.param .name { flex: 0 0 150px; color: var(--muted); padding-top: 3px; overflow-wrap: anywhere; }
.cells { display: flex; flex-wrap: wrap; gap: 4px; }
.cell { display: inline-flex; gap: 6px; align-items: baseline; padding: 2px 7px; border-radius: 4px;
  border: 1px solid rgba(0, 0, 0, .08); white-space: nowrap; }
.cell .value { font-weight: 600; }
.cell .count, .cell .margin, .cell .failed, .cell .skipped { font-size: 12px; }
#impls { width: 100%; } #impls .mono { overflow-wrap: anywhere; }
.failures td.first-difference code { white-space: pre-wrap; overflow-wrap: anywhere; }
.failures td.label { overflow-wrap: anywhere; max-width: 360px; }
.empty { color: var(--muted); font-style: italic; }
details > summary { cursor: pointer; margin: 4px 0; }
.skip-cases { color: var(--muted); overflow-wrap: anywhere; }
.peers td.cell-td { white-space: nowrap; }
.scroll { overflow-x: auto; max-width: 100%; }
summary > h2 { display: inline-block; border: none; margin: 18px 0 4px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
`;
