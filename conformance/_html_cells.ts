// The coloured cells of the HTML report and the legend that explains their colours.

import type { Tally } from "./report.ts";
import { FAIR_MARGIN, type MarginClass, marginClass, TIGHT_MARGIN } from "./_margin_class.ts";
import { escapeMarkup, escapeText, finite, percentText } from "./_markup.ts";

/** The legend: one swatch per colour class with what it means. */
export function legend(): string {
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
export function cell(value: string, t: Tally, title: string): string {
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

/** `p passed, f failed, s skipped; worst margin m` (the margin only when a case ran). */
export function tallyText(t: Tally): string {
  const ran = t.passed + t.failed;
  const margin = ran > 0 ? `; worst margin ${percentText(t.worstMargin, true)}` : "";
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${margin}`;
}
