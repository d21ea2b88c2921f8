/**
 * `deno task conformance [options] [paths...]`: runs every case directory (one holding
 * `model.onnx` and `test_data_set_<n>/`) under the given paths — default the repository's
 * `golden/` — forward, and backward where gradient files exist, through each implementation,
 * and reports each case against the tolerance policy (see `conformance/runner.ts` and
 * `conformance/report.ts`). The last line is exactly `N passed, M failed, K skipped`.
 *
 * `--impl tfjs-cpu` (or `tfjs-wasm`, `onnxruntime`) runs a peer instead of (or besides) our
 * paths; `--peers` runs every peer over the grid (`golden/ort`, `golden/torch`) and writes the peer
 * conformance matrix into the README (see `peers/`).
 *
 * Exit status: 0 when nothing failed, 1 when a case failed (or no case matched), 2 for bad
 * flags or a missing path. With `--peers` the peers' failures are findings: 0 once the matrix
 * is written.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { findCases } from "../onnx/case.ts";
import {
  buildTable,
  CaseCatalog,
  caseLine,
  formatAccuracy,
  formatImplMargins,
  formatSkipCategories,
  formatSkips,
  formatSources,
  formatTable,
  jsonReport,
  type ReportEntry,
  skipCategories,
  skipGroups,
  summaryLine,
} from "../conformance/report.ts";
import { renderHtml } from "../conformance/html.ts";
import { renderJunit } from "../conformance/junit.ts";
import { type NamedReport, readPeerReports } from "../conformance/_peer_file.ts";
import { ALL_IMPLS, type ConformanceImpl, runCase } from "../conformance/runner.ts";
import type { Implementation } from "../conformance/adapter.ts";
import { createPeer, isPeer, type PeerName, PEERS } from "../peers/mod.ts";
import { runPeers } from "../peers/run.ts";
import { setThreads, startThreads, stopThreads } from "../layers/threads.ts";
import { forceThreads } from "../layers/_threads/tuning.ts";

const USAGE = `Usage: deno task conformance [options] [paths...]

Runs every ONNX test case directory (model.onnx + test_data_set_<n>/) below the paths
(default: the repository's golden/) and compares outputs and gradients with the tolerance policy.

Options:
  --filter TEXT   only cases whose label (e.g. ort/conv2d_k3x3_...) contains TEXT
  --impl LIST     comma-separated: reference, fast (WASM SIMD GEMM), fast-ts (TypeScript GEMM),
                  or all (= reference,fast,fast-ts; the default); or a peer: tfjs-cpu,
                  tfjs-wasm, onnxruntime
  --peers         run every peer over the grid (default paths golden/ort golden/torch) and
                  write the peer conformance matrix into the README (--json FILE: the reports)
  --readme FILE   with --peers: the README to write the matrix into (default: the repository's)
  --json FILE     also write the machine-readable report to FILE; "-" writes it to stdout and
                  the text report to stderr
  --html FILE     also write the report as one self-contained HTML page (summary, op × parameter
                  matrix coloured by margin, failing cases with their first differing element)
  --html-peers FILE
                  with --html: add the peer matrix of the peer reports in FILE
                  ({"peers": [{"name", "report"}, ...]}, as --peers --json FILE writes them)
  --junit FILE    also write the report as JUnit XML for CI (a testsuite per source and family,
                  a testcase per case and implementation)
  --threads N     run the fast paths on N threads, with the size thresholds off so that every
                  problem a threaded kernel covers, however small, goes through the threads
                  (default: the library's default, navigator.hardwareConcurrency, thresholds on)
  --quiet         print only failures, the table and the summary
  --help          show this text

Exit status: 0 if no case failed, 1 if a case failed or none matched, 2 for bad usage.`;

/** Parsed command line. */
export interface ConformanceArgs {
  /** Directories (or model.onnx files) to search. */
  paths: string[];
  /** Label substring, or undefined for every case. */
  filter: string | undefined;
  /** Implementations, in run order: ours, then peers. */
  impls: (ConformanceImpl | PeerName)[];
  /** Whether to run every peer and write the matrix (`--peers`). */
  peers: boolean;
  /** With `--peers`: the README to write the matrix into. */
  readme: string;
  /** JSON report destination (`"-"` for stdout), or undefined. */
  json: string | undefined;
  /** HTML report destination, or undefined. */
  html: string | undefined;
  /** Peer reports for the HTML page's peer matrix (a JSON file), or undefined. */
  htmlPeers: string | undefined;
  /** JUnit XML report destination, or undefined. */
  junit: string | undefined;
  /** Whether to print only failures, the table and the summary. */
  quiet: boolean;
  /** Threads for the fast paths (thresholds off), or undefined for the library default. */
  threads: number | undefined;
  /** Whether `--help` was given. */
  help: boolean;
}

/** A command-line mistake: reported in one line, exit status 2. */
export class UsageError extends Error {
  /**
   * Creates the error.
   *
   * @param message What is wrong.
   */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses the command line.
 *
 * @param args `Deno.args`.
 * @returns The parsed arguments (paths default to the repository's `golden/`).
 * @throws {UsageError} For an unknown flag, a missing value or an unknown implementation.
 */
export function parseConformanceArgs(args: readonly string[]): ConformanceArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        filter: { type: "string" },
        impl: { type: "string" },
        json: { type: "string" },
        html: { type: "string" },
        "html-peers": { type: "string" },
        junit: { type: "string" },
        quiet: { type: "boolean" },
        threads: { type: "string" },
        peers: { type: "boolean" },
        readme: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    // node:util's messages go on with advice about "--"; the first sentence says what is wrong.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split(". ")[0]);
  }
  const { values, positionals } = parsed;
  const impls = new Set<ConformanceImpl | PeerName>();
  for (const name of (values.impl ?? "all").split(",").map((s) => s.trim())) {
    if (name === "all") ALL_IMPLS.forEach((i) => impls.add(i));
    else if ((ALL_IMPLS as readonly string[]).includes(name)) impls.add(name as ConformanceImpl);
    else if (isPeer(name)) impls.add(name);
    else {
      throw new UsageError(
        `--impl must list reference, fast, fast-ts, all or a peer (${PEERS.join(", ")}), got ${
          JSON.stringify(name)
        }`,
      );
    }
  }
  if (values.peers && values.impl !== undefined) {
    throw new UsageError("--peers runs every peer; it takes no --impl");
  }
  if (values.readme !== undefined && !values.peers) {
    throw new UsageError("--readme needs --peers");
  }
  for (const flag of ["html", "junit"] as const) {
    if (values.peers && values[flag] !== undefined) {
      throw new UsageError(
        `--${flag} reports our own run; with --peers write the peers' reports with --json FILE, ` +
          `then run --${flag} ${flag === "html" ? "page.html --html-peers FILE" : "FILE"}`,
      );
    }
  }
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!/^\d+$/.test(values.threads) || threads < 1 || threads > 64) {
      throw new UsageError(
        `--threads must be an integer from 1 to 64, got ${JSON.stringify(values.threads)}`,
      );
    }
  }
  if (values["html-peers"] !== undefined && values.html === undefined) {
    throw new UsageError("--html-peers needs --html");
  }
  for (const flag of ["html", "junit"] as const) {
    if (values[flag] === "-" || values[flag] === "") {
      throw new UsageError(
        `--${flag} needs a file name (only --json writes to stdout), got ${
          JSON.stringify(values[flag])
        }`,
      );
    }
  }
  return {
    threads,
    paths: positionals.length > 0
      ? positionals
      : values.peers
      ? [`${defaultGoldenDir()}/ort`, `${defaultGoldenDir()}/torch`]
      : [defaultGoldenDir()],
    filter: values.filter,
    impls: [...ALL_IMPLS.filter((i) => impls.has(i)), ...PEERS.filter((p) => impls.has(p))],
    peers: values.peers ?? false,
    readme: values.readme ?? decodeURIComponent(new URL("../README.md", import.meta.url).pathname),
    json: values.json,
    html: values.html,
    htmlPeers: values["html-peers"],
    junit: values.junit,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

/**
 * Runs the suite as the command line asks and prints the report.
 *
 * @param args `Deno.args`.
 * @returns The exit status: 0, 1 (a failure, or no case matched) or 2 (bad usage).
 */
export async function main(args: readonly string[]): Promise<number> {
  let options: ConformanceArgs;
  try {
    options = parseConformanceArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`conformance: ${error.message} (see --help)`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const print = options.json === "-" ? console.error : console.log;
  if (options.threads !== undefined) {
    setThreads(options.threads);
    forceThreads(options.threads > 1);
    const ready = await startThreads();
    print(`threads: ${options.threads} (${ready} ready), size thresholds off`);
  }
  try {
    if (options.peers) return await runPeers(options, print);
    return await report(options, print);
  } finally {
    forceThreads(false);
    stopThreads();
  }
}

async function report(options: ConformanceArgs, print: (line: string) => void): Promise<number> {
  const started = performance.now();

  // Read the peer reports before the run, so that a bad file costs no run.
  let htmlPeers: NamedReport[] = [];
  if (options.htmlPeers !== undefined) {
    try {
      htmlPeers = await readPeerReports(options.htmlPeers);
    } catch (error) {
      if (!(error instanceof Error) || error.name === "PermissionDenied") throw error;
      console.error(`conformance: --html-peers: ${error.message}`);
      return 2;
    }
  }

  const labelled: { dir: string; label: string }[] = [];
  const seen = new Set<string>();
  for (const path of options.paths) {
    let dirs: string[];
    try {
      dirs = await findCases([path]);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) && !(error instanceof TypeError)) throw error;
      console.error(`conformance: cannot search ${path}: ${(error as Error).message}`);
      return 2;
    }
    const root = path.replace(/\/+$/, "");
    for (const dir of dirs) {
      if (seen.has(dir)) continue;
      seen.add(dir);
      const below = dir.startsWith(`${root}/`) ? dir.slice(root.length + 1) : "";
      const label = below === "" ? basename(dir) : `${basename(root)}/${below}`;
      if (options.filter === undefined || label.includes(options.filter)) {
        labelled.push({ dir, label });
      }
    }
  }

  const catalog = await CaseCatalog.load(labelled.map((c) => c.dir));
  const entries: ReportEntry[] = [];
  const impls: (ConformanceImpl | Implementation)[] = [];
  for (const name of options.impls) impls.push(isPeer(name) ? await createPeer(name) : name);
  try {
    for (const { dir, label } of labelled) {
      const result = await runCase(dir, { impls });
      const entry: ReportEntry = { ...result, ...catalog.describe(result, label) };
      entries.push(entry);
      if (!options.quiet || entry.status === "failed") print(caseLine(entry));
    }
  } finally {
    for (const impl of impls) if (typeof impl === "object") await impl.dispose?.();
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!options.quiet) {
    const skips = skipGroups(entries);
    if (skips.length > 0) {
      print("");
      print(`Skipped, by kind (${entries.filter((e) => e.status === "skipped").length}):`);
      formatSkipCategories(skipCategories(entries)).forEach((line) => print(line));
      print("");
      print("Skipped, by reason:");
      formatSkips(skips).forEach((line) => print(line));
    }
  }
  print("");
  print("op × parameter: value passed/ran, worst margin (1 − error ÷ allowed error)");
  formatTable(buildTable(entries)).forEach((line) => print(line));
  print("");
  if (!options.quiet) {
    formatSources(entries).forEach((line) => print(line));
    print(formatImplMargins(entries));
  }
  formatAccuracy(entries).forEach((line) => print(line));
  const threads = options.threads === undefined ? "" : `, ${options.threads} threads`;
  print(
    `${entries.length} cases, implementations ${options.impls.join(", ")}${threads}, ${seconds} s`,
  );
  const machineReport = jsonReport(entries, options.impls, options.paths);
  if (options.json !== undefined) {
    const text = JSON.stringify(machineReport);
    if (options.json === "-") console.log(text);
    else await Deno.writeTextFile(options.json, text + "\n");
  }
  if (options.html !== undefined) {
    const page = renderHtml(machineReport, { peers: htmlPeers });
    await Deno.writeTextFile(options.html, page);
  }
  if (options.junit !== undefined) {
    await Deno.writeTextFile(options.junit, renderJunit(machineReport));
  }
  if (entries.length === 0) print("no case matched");
  print(summaryLine(entries));
  const failed = entries.some((e) => e.status === "failed");
  return failed || entries.length === 0 ? 1 : 0;
}

function defaultGoldenDir(): string {
  return decodeURIComponent(new URL("../golden", import.meta.url).pathname);
}

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
