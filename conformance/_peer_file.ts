// Reads the peer reports for the HTML report's peer matrix from a JSON file of the shape
// `{ "peers": [{ "name": "tfjs-cpu", "report": <JsonReport> }, ...] }` — what
// `deno task conformance --peers --json FILE` writes (extra fields such as `version` are ignored).

import type { JsonReport } from "./report.ts";
import { checkJsonReport } from "./_markup.ts";

/** A named peer report. */
export interface NamedReport {
  /** The peer's name, e.g. `tfjs-cpu`. */
  name: string;
  /** Its conformance report. */
  report: JsonReport;
}

/**
 * Reads and checks a peer-reports file.
 *
 * @param path The file.
 * @returns The peers in file order.
 * @throws {SyntaxError} If the file is not JSON (the message names the file).
 * @throws {TypeError} If a field is missing or of the wrong kind (the message names the file and
 * the field).
 */
export async function readPeerReports(path: string): Promise<NamedReport[]> {
  const text = await Deno.readTextFile(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot read peer reports ${path}: not JSON (${(error as Error).message})`,
    );
  }
  const peers = (value as { peers?: unknown } | null)?.peers;
  if (!Array.isArray(peers)) {
    throw new TypeError(`Cannot read peer reports ${path}: field "peers" must be an array`);
  }
  return peers.map((p: unknown, i) => {
    const entry = p as Partial<NamedReport> | null;
    if (typeof entry?.name !== "string" || entry.name === "") {
      throw new TypeError(
        `Cannot read peer reports ${path}: peers[${i}].name must be a non-empty string`,
      );
    }
    checkJsonReport(entry.report as JsonReport, `peers[${i}].report`, `read peer reports ${path}`);
    return { name: entry.name, report: entry.report as JsonReport };
  });
}
