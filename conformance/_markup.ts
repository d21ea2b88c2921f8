// Escaping and number formatting shared by the HTML and JUnit renderers. Both write text that
// comes from files we do not control (case directory names, ONNX operator names, error messages),
// so everything goes through `escapeMarkup` on its way into markup.

import type { JsonReport } from "./report.ts";

/**
 * Characters XML 1.0 cannot carry even as a character reference: C0 controls other than tab,
 * newline and carriage return, lone surrogates, and U+FFFE/U+FFFF. HTML parsers accept most of
 * them but render them as nothing, which hides them; both outputs show U+FFFD instead.
 */
const NOT_XML_CHAR =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  // In an attribute value an XML parser turns a raw newline or tab into a space; a character
  // reference keeps it (a failure message spans lines).
  "\n": "&#10;",
  "\r": "&#13;",
  "\t": "&#9;",
};

/**
 * Escapes text for element content and for quoted attribute values, in HTML and in XML.
 *
 * @param text Any string (other values are converted with `String`).
 * @returns The text with `& < > " '` and attribute-unsafe whitespace as references, and characters
 * XML cannot represent replaced by U+FFFD.
 */
export function escapeMarkup(text: unknown): string {
  return String(text).replace(NOT_XML_CHAR, "\uFFFD").replace(/[&<>"'\n\r\t]/g, (c) => ENTITIES[c]);
}

/** Like {@linkcode escapeMarkup}, but keeps newlines and tabs as they are (for element text). */
export function escapeText(text: unknown): string {
  return String(text).replace(NOT_XML_CHAR, "\uFFFD").replace(/[&<>"'\r]/g, (c) => ENTITIES[c]);
}

/**
 * A number that JSON may have turned into `null` (NaN and ±Infinity serialise as `null`), or
 * `undefined` when it is missing or not finite.
 */
export function finite(value: number | null | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A margin as a percentage with one decimal, `-∞` for −∞ or a lost value (failed), `—` for none. */
export function percentText(margin: number | null | undefined, failed = false): string {
  const m = finite(margin);
  if (m === undefined) return failed || margin === -Infinity ? "-∞" : "—";
  // A gross failure (error thousands of times the allowed error) reads better in exponent form.
  return Math.abs(100 * m) < 1e4 ? `${(100 * m).toFixed(1)}%` : `${(100 * m).toPrecision(3)}%`;
}

/** A magnitude with three significant digits, exponent form outside [1e-3, 1e4). */
export function numberText(value: number | null | undefined): string {
  const v = finite(value);
  if (v === undefined) return value === Infinity ? "∞" : "—";
  if (v === 0) return "0";
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
    ? String(Number(v.toPrecision(3)))
    : v.toExponential(1);
}

/**
 * Checks that a value looks like a `JsonReport` (format 1) before a renderer walks it, so that a
 * wrong file gives one clear error instead of a TypeError deep inside a loop.
 *
 * @param report The value.
 * @param name How to name it, e.g. `report` or `options.peers[1].report`.
 * @param action What could not be done, e.g. `render the HTML report`.
 * @throws {TypeError} If it is not an object of format 1 with the report's arrays and summary.
 */
export function checkJsonReport(report: JsonReport, name: string, action: string): void {
  const r = report as Partial<JsonReport> | null;
  if (r === null || typeof r !== "object" || r.format !== 1) {
    throw new TypeError(
      `Cannot ${action}: ${name} must be a conformance report of format 1, got ` +
        (r === null || typeof r !== "object"
          ? (r === null ? "null" : typeof r)
          : `format ${JSON.stringify(r.format)}`),
    );
  }
  for (const field of ["impls", "paths", "cases", "table", "skipped"] as const) {
    if (!Array.isArray(r[field])) {
      throw new TypeError(`Cannot ${action}: ${name}.${field} must be an array`);
    }
  }
  if (r.summary === null || typeof r.summary !== "object") {
    throw new TypeError(`Cannot ${action}: ${name}.summary must be a tally`);
  }
}
