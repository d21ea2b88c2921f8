/**
 * The golden manifest (`golden/manifest.json`): what every golden case is, where it came from,
 * and the SHA-256 of every file, so that a changed, missing or stray golden file is caught by
 * name (`verifyManifest`, run by `deno task test`).
 *
 * Written by `tasks/golden.ts`; the README explains the sources and the tolerance policy.
 *
 * @module
 */

import type { Float32Error } from "../onnx/case.ts";
import type { AttributeValue } from "./grid.ts";

export type { AttributeValue, Float32Error };

/** Where a golden's values come from. */
export type GoldenSource = "onnxruntime" | "pytorch";

/** Versions of everything that produced the goldens. */
export interface GeneratorVersions {
  /** `Deno.version.deno` of the run. */
  deno: string;
  /** npm:onnxruntime-node. */
  "onnxruntime-node": string;
  /** PyTorch (python3-torch). */
  torch?: string;
  /** onnx (python3-onnx). */
  onnx?: string;
  /** numpy. */
  numpy?: string;
  /** The Python interpreter. */
  python?: string;
}

/** One source's golden of a grid case, in `<source dir>/<case name>/` (see `CASE_DIRS`). */
export interface SourceCase {
  /** Shapes of the node outputs. */
  outputShapes: number[][];
  /** How model.onnx was made: our single-node builder, torch.onnx.export, or onnx.helper. */
  model: "single-node" | "export" | "helper";
  /**
   * How the gradients were computed: a key of `Manifest.backwardMethods` ("adjoint: ...",
   * "autograd"), or "none: <reason>".
   */
  backward: string;
  /** The PyTorch call that computed the values (PyTorch source only). */
  call?: string;
  /** Input indices with a `grad_input_<i>.pb`. */
  gradInputs: number[];
  /** The source's remarks (PyTorch construction, known runtime differences, dropped files). */
  notes?: string[];
  /**
   * PyTorch only: its float32 error against its own float64 run, per compared file stem (the
   * yardstick of the tolerance policy; also in `test_data_set_0/float64/torch_float32_error.json`).
   */
  float32Error?: Record<string, Float32Error>;
  /** SHA-256 (hex) of every file, by path relative to the case directory. */
  files: Record<string, string>;
}

/** One grid case and its goldens from each source that provides it. */
export interface ManifestCase {
  /** The grid case name (`conformance/grid.ts`), also the case directory's name. */
  name: string;
  /** Report family, e.g. `conv2d`. */
  family: string;
  /** ONNX operator. */
  op: string;
  /** ONNX attributes as in the grid. */
  attributes: Record<string, AttributeValue>;
  /** Shapes of the node inputs. */
  inputShapes: number[][];
  /** The case seed: input i is `fillTensor(spec, seed + i)`, grad_output j `gradOutputValues(shape, seed, j)`. */
  seed: number;
  /** The ONNX Runtime golden, in `ort/<name>/`. */
  onnxruntime?: SourceCase;
  /** The PyTorch golden, in `torch/<name>/`. */
  pytorch?: SourceCase;
}

/** Directory of each source's single-node cases, relative to the golden root. */
export const CASE_DIRS: Readonly<Record<GoldenSource, string>> = Object.freeze({
  onnxruntime: "ort",
  pytorch: "torch",
});

/** A whole-model or training golden (PyTorch). */
export interface ManifestModel {
  /** Name, e.g. `lenet5` or `training`. */
  name: string;
  /** Source of the values. */
  source: GoldenSource;
  /** Directory relative to the golden root. */
  dir: string;
  /** What it holds. */
  description: string;
  /** PyTorch's float32 error against its float64 truth, per compared file stem. */
  float32Error?: Record<string, Float32Error>;
  /** SHA-256 (hex) of every file, by path relative to `dir`. */
  files: Record<string, string>;
}

/** A grid case, or its gradients, that a source does not provide. */
export interface UnsupportedEntry {
  /** Grid case name. */
  case: string;
  /** The source that lacks it. */
  source: GoldenSource;
  /** `case`: no case directory; `gradients`: forward only. */
  scope: "case" | "gradients";
  /** Why. */
  reason: string;
}

/** A tensor on which the two sources disagree beyond the tolerance policy. */
export interface Disagreement {
  /** Grid case name. */
  case: string;
  /** File stem, e.g. `output_0` or `grad_input_1`. */
  tensor: string;
  /** Largest |ONNX Runtime − PyTorch| over finite pairs (null when shapes differ). */
  maxAbsError: number | null;
  /** The allowed error at the worst element (null when shapes differ). */
  bound: number | null;
  /** Error over allowed error at the worst element (null when shapes differ). */
  worstRatio: number | null;
  /** Elements outside the tolerance, of how many. */
  failed: string;
  /** What the ONNX Runtime golden lost: the whole case (forward differs) or this tensor. */
  dropped: "case" | "tensor";
  /** Why the references differ (PyTorch's semantics win). */
  explanation: string;
}

/** The whole manifest. */
export interface Manifest {
  /** Manifest format version. */
  format: 1;
  /** ONNX opset of every model. */
  opset: number;
  /** Generator versions. */
  generators: GeneratorVersions;
  /** How inputs and upstream gradients are made. */
  fills: string;
  /** The tolerance policy used for cross-checks and regeneration checks. */
  tolerance: string;
  /** What each `backward` key means. */
  backwardMethods: Record<string, string>;
  /** Single-node cases, each with its goldens per source. */
  cases: ManifestCase[];
  /** Whole-model and training goldens. */
  models: ManifestModel[];
  /** Cases or gradients a source does not provide, with reasons. */
  unsupported: UnsupportedEntry[];
  /** Cross-check disagreements, each explained. */
  disagreements: Disagreement[];
}

/**
 * SHA-256 of bytes as lowercase hex.
 *
 * @param bytes The data.
 * @returns 64 hex digits.
 *
 * @example Hash of the empty string
 * ```ts
 * import { sha256Hex } from "./manifest.ts";
 * const h = await sha256Hex(new Uint8Array());
 * if (!h.startsWith("e3b0c442")) throw new Error(h);
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Every file a manifest lists, as golden-root-relative path → SHA-256.
 *
 * @param manifest The manifest.
 * @returns The expected hashes.
 */
export function manifestFiles(manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  const add = (dir: string, files: Record<string, string>) => {
    for (const [path, hash] of Object.entries(files)) out.set(`${dir}/${path}`, hash);
  };
  for (const c of manifest.cases) {
    for (const source of ["onnxruntime", "pytorch"] as const) {
      const entry = c[source];
      if (entry) add(`${CASE_DIRS[source]}/${c.name}`, entry.files);
    }
  }
  for (const m of manifest.models) add(m.dir, m.files);
  return out;
}

/**
 * Compares expected with actual hashes: one line per changed, missing or unlisted file.
 *
 * @param expected Path → SHA-256 from the manifest.
 * @param actual Path → SHA-256 of the files present.
 * @returns Problems naming each file, in path order; empty when all agree.
 *
 * @example A changed file is named
 * ```ts
 * import { diffHashes } from "./manifest.ts";
 * const problems = diffHashes(new Map([["a.pb", "00"]]), new Map([["a.pb", "11"]]));
 * if (!problems[0].startsWith("a.pb: changed")) throw new Error(problems[0]);
 * ```
 */
export function diffHashes(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
): string[] {
  const problems: string[] = [];
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  for (const path of paths) {
    const want = expected.get(path), got = actual.get(path);
    if (got === undefined) problems.push(`${path}: missing (listed in manifest.json)`);
    else if (want === undefined) problems.push(`${path}: not listed in manifest.json`);
    else if (want !== got) {
      problems.push(`${path}: changed (SHA-256 ${got}, manifest.json says ${want})`);
    }
  }
  return problems;
}

/**
 * Lists every regular file below a directory, as sorted `/`-separated relative paths.
 *
 * @param root The directory.
 * @returns Relative paths.
 * @throws {Deno.errors.NotFound} If `root` does not exist.
 */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`, rel);
      else out.push(rel);
    }
  };
  await walk(root, "");
  return out.sort();
}

/**
 * Verifies a golden directory against its `manifest.json`: every listed file exists with its
 * SHA-256, and no other file is present.
 *
 * @param root The golden directory (holding `manifest.json`), a path or `file:` URL.
 * @returns Problems naming each file (empty when everything matches).
 * @throws {Deno.errors.NotFound} If `root` or its `manifest.json` does not exist.
 * @throws {SyntaxError} If `manifest.json` is not JSON.
 *
 * @example Verify the committed goldens
 * ```ts ignore
 * import { verifyManifest } from "./manifest.ts";
 * const problems = await verifyManifest(new URL("../golden", import.meta.url));
 * if (problems.length) throw new Error(problems.join("\n"));
 * ```
 */
export async function verifyManifest(root: string | URL): Promise<string[]> {
  const dir = root instanceof URL ? root.pathname : root;
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as Manifest;
  const actual = new Map<string, string>();
  for (const path of await listFiles(dir)) {
    if (path === "manifest.json") continue;
    actual.set(path, await sha256Hex(await Deno.readFile(`${dir}/${path}`)));
  }
  return diffHashes(manifestFiles(manifest), actual);
}
