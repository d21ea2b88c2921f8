/**
 * `deno task golden`: regenerates the golden tensors and proves them reproducible.
 *
 * ```text
 * deno task golden [--check | --write] [--filter SUBSTRING] [--no-torch] [--fashion-mnist DIR]
 * deno task golden --zoo DIR
 * ```
 *
 * - `--check` (default): regenerates everything into a temporary directory — the ONNX Runtime
 *   half in this process (npm:onnxruntime-node, forward runs and adjoint graphs), the PyTorch
 *   half with `/usr/bin/python3 tasks/golden_torch.py` — cross-checks the two sources, and
 *   compares the result with the committed `golden/`: the same file set, every tensor within the
 *   tolerance policy, manifest.json equal apart from the hashes of files that changed within
 *   tolerance. Exits 1 with a report naming each file otherwise.
 * - `--write`: rewrites `golden/` (built beside it, then swapped in).
 * - `--filter`: only grid cases whose name contains SUBSTRING (whole-model and training goldens
 *   are skipped); `--write --filter` replaces just those cases.
 * - `--no-torch` (implied when python3-torch is missing, with a hint how to install it): the
 *   ONNX Runtime half only; the committed manifest's cross-check decisions are reused.
 * - `--fashion-mnist`: the data set of the training golden (default
 *   /usr/share/datasets/fashion-mnist); if absent, the training golden is skipped with a note.
 *
 * - `--zoo DIR`: writes the full-size torchvision zoo (ten architectures, eval and training mode,
 *   torchvision's published widths, input [2, 3, 64, 64]) into `DIR/zoo/` with `DIR/manifest.json`,
 *   for `deno task conformance DIR`; needs python3-torch and python3-torchvision. The committed
 *   `golden/zoo/` holds the reduced-width versions of the same architectures.
 *
 * Any cross-check disagreement is printed; one that no rule in tasks/_golden_explain.ts verifies
 * fails the run.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { GRID_OPSET, gridCases } from "../conformance/grid.ts";
import {
  CASE_DIRS,
  listFiles,
  type Manifest,
  type ManifestCase,
  type ManifestModel,
  verifyManifest,
} from "../conformance/manifest.ts";
import { _compareGoldens } from "./_golden_compare.ts";
import { UNEXPLAINED } from "./_golden_explain.ts";
import {
  _backwardMethods,
  _formatManifest,
  _generate,
  type _Generated,
  type _Scope,
  _sortLists,
  _zooEntry,
} from "./_golden_generate.ts";
import { _runTorchZoo, _takeTorchVersions, _torchMissing, TORCH_HINT } from "./_golden_torch.ts";
import { ORT_VERSION } from "./_golden_session.ts";

const USAGE = "usage: deno task golden [--check | --write] [--filter SUBSTRING] [--no-torch] " +
  "[--fashion-mnist DIR]\n       deno task golden --zoo DIR";

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      check: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      filter: { type: "string" },
      "no-torch": { type: "boolean", default: false },
      "fashion-mnist": { type: "string", default: "/usr/share/datasets/fashion-mnist" },
      zoo: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.check && values.write) {
    console.error(`--check and --write exclude each other\n${USAGE}`);
    return 2;
  }
  if (values.zoo !== undefined) return await writeFullZoo(values.zoo);
  const write = values.write;
  const root = new URL("../", import.meta.url).pathname.replace(/\/$/, "");
  const golden = `${root}/golden`;
  const committed = await readManifest(golden);

  const missing = values["no-torch"] ? "--no-torch given" : await _torchMissing();
  if (missing) {
    console.log(
      `note: PyTorch half skipped (${missing}); regenerating the ONNX Runtime half only. ` +
        `For the PyTorch goldens install Debian's packages: ${TORCH_HINT}`,
    );
  }
  const fashion = values["fashion-mnist"];
  const haveFashion = await exists(`${fashion}/train-images-idx3-ubyte.gz`);
  const scope: _Scope = {
    sources: missing ? ["onnxruntime"] : ["onnxruntime", "pytorch"],
    ...(values.filter ? { filter: values.filter } : {}),
    models: !missing && !values.filter,
    training: !missing && !values.filter && haveFashion,
  };
  if (!missing && !values.filter && !haveFashion) {
    console.log(
      `note: training golden skipped: no Fashion-MNIST at ${fashion} (committed training/ ` +
        `data ${write ? "is kept" : "is not checked"})`,
    );
  }
  if (values.filter) console.log(`note: only cases containing "${values.filter}"; models skipped`);

  const fresh = write
    ? `${root}/.golden-new-${Date.now()}`
    : await Deno.makeTempDir({ prefix: "golden-check-" });
  try {
    const started = performance.now();
    const generated = await _generate({
      out: fresh,
      scope,
      fashionMnist: fashion,
      committed,
      log: (line) => console.log(line),
    });
    const unexplained = report(generated);
    const total = Math.round((performance.now() - started) / 100) / 10;
    if (write) {
      await merge(golden, fresh, scope, generated.manifest, committed);
      const problems = await verifyManifest(fresh);
      if (problems.length) {
        throw new Error(`new golden/ fails its manifest:\n${problems.join("\n")}`);
      }
      await swap(golden, fresh);
      const files = await listFiles(golden);
      let bytes = 0;
      for (const f of files) bytes += (await Deno.stat(`${golden}/${f}`)).size;
      console.log(
        `wrote golden/: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB, in ${total} s`,
      );
      return unexplained ? 1 : 0;
    }
    if (!committed) {
      console.error("error: there is no golden/manifest.json to check against; run --write");
      return 1;
    }
    const result = await _compareGoldens(golden, fresh, scope, generated.tolerances);
    for (const note of result.notes) console.log(`note: ${note}`);
    console.log(
      `check: ${result.compared} files compared, ${result.withinTolerance.length} differ in ` +
        `bytes but agree within the tolerance policy, in ${total} s`,
    );
    if (result.problems.length) {
      console.error(`check FAILED: ${result.problems.length} problem(s):`);
      for (const p of result.problems.slice(0, 200)) console.error(`  ${p}`);
      if (result.problems.length > 200) console.error(`  ... ${result.problems.length - 200} more`);
      return 1;
    }
    console.log("check passed: the committed goldens are reproduced");
    return unexplained ? 1 : 0;
  } finally {
    if (await exists(fresh)) await Deno.remove(fresh, { recursive: true });
  }
}

/** `--zoo DIR`: the full-size zoo and a manifest listing it, for `deno task conformance DIR`. */
async function writeFullZoo(dir: string): Promise<number> {
  const missing = await _torchMissing();
  if (missing) {
    console.error(`error: --zoo needs PyTorch (${missing}): ${TORCH_HINT} python3-torchvision`);
    return 2;
  }
  dir = dir.replace(/\/+$/, "");
  await Deno.mkdir(`${dir}/zoo`, { recursive: true });
  const started = performance.now();
  const models: ManifestModel[] = [];
  let failed = 0;
  for (const record of await _runTorchZoo(`${dir}/zoo`, "full")) {
    if (record.status !== "ok") {
      failed++;
      console.error(`error: ${record.name}: ${record.reason}`);
      continue;
    }
    models.push(await _zooEntry(record, dir));
    console.log(`${record.name}: ${record.parameters} parameters`);
  }
  const versions = await _takeTorchVersions(`${dir}/zoo`);
  const manifest: Manifest = {
    format: 1,
    opset: GRID_OPSET,
    generators: { deno: Deno.version.deno, "onnxruntime-node": ORT_VERSION, ...versions },
    fills: "zoo only: see each model's description",
    tolerance: "conformance/tolerance.ts (float64 truth regime)",
    backwardMethods: {},
    cases: [],
    models,
    unsupported: [],
    disagreements: [],
  };
  await Deno.writeTextFile(`${dir}/manifest.json`, _formatManifest(manifest));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `wrote ${models.length} full-size zoo cases to ${dir}/zoo in ${seconds} s; check them with ` +
      `deno task conformance ${dir}`,
  );
  return failed ? 1 : 0;
}

/** Prints counts, unsupported cases and disagreements; returns whether any is unexplained. */
function report(g: _Generated): boolean {
  const m = g.manifest;
  for (const source of ["onnxruntime", "pytorch"] as const) {
    const entries = m.cases.filter((c) => c[source]);
    if (!entries.length) continue;
    const families = new Map<string, number>();
    for (const c of entries) families.set(c.family, (families.get(c.family) ?? 0) + 1);
    const grads = entries.filter((c) => c[source]!.gradInputs.length).length;
    console.log(
      `${source}: ${entries.length} cases (${grads} with gradients): ` +
        [...families].map(([f, n]) => `${f} ${n}`).join(", "),
    );
    const missing = m.unsupported.filter((u) => u.source === source);
    const reasons = new Map<string, number>();
    for (const u of missing) {
      const key = `${u.scope}: ${u.reason.replace(/\[[^\]]*\]|\d+/g, "#")}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    for (const [reason, n] of reasons) console.log(`  unsupported ×${n} ${reason}`);
  }
  console.log(`disagreements: ${m.disagreements.length}`);
  let unexplained = false;
  for (const d of m.disagreements) {
    const line = `  ${d.case} ${d.tensor} (${d.failed}, max abs error ${d.maxAbsError}, ONNX ` +
      `Runtime ${d.dropped} dropped): ${d.explanation}`;
    if (d.explanation.startsWith(UNEXPLAINED)) {
      unexplained = true;
      console.error(line);
    } else console.log(line);
  }
  if (unexplained) console.error("error: unexplained disagreements: investigate them first");
  console.log(
    `timings (s since start): ${Object.entries(g.timings).map(([k, v]) => `${k} ${v}`).join(", ")}`,
  );
  return unexplained;
}

/**
 * Completes a partial regeneration with the committed goldens outside its scope (cases not
 * matching the filter, a source or the models not regenerated), files and manifest entries.
 */
async function merge(
  golden: string,
  fresh: string,
  scope: _Scope,
  manifest: Manifest,
  committed: Manifest | undefined,
): Promise<void> {
  if (committed) {
    const inScope = (name: string) => !scope.filter || name.includes(scope.filter);
    const regenerated = new Map(manifest.cases.map((c) => [c.name, c]));
    const old = new Map(committed.cases.map((c) => [c.name, c]));
    const cases: ManifestCase[] = [];
    for (const { name } of gridCases()) {
      const entry: ManifestCase | undefined = inScope(name) ? regenerated.get(name) : undefined;
      const merged: ManifestCase | undefined = entry
        ? { ...entry }
        : old.get(name)
        ? { ...old.get(name)!, onnxruntime: undefined, pytorch: undefined }
        : undefined;
      if (!merged) continue;
      for (const source of ["onnxruntime", "pytorch"] as const) {
        if (inScope(name) && scope.sources.includes(source)) continue;
        const kept = old.get(name)?.[source];
        if (!kept) continue;
        merged[source] = kept;
        await copyTree(
          `${golden}/${CASE_DIRS[source]}/${name}`,
          `${fresh}/${CASE_DIRS[source]}/${name}`,
        );
      }
      for (const source of ["onnxruntime", "pytorch"] as const) {
        if (merged[source] === undefined) delete merged[source];
      }
      if (merged.onnxruntime || merged.pytorch) cases.push(merged);
    }
    const keepModel = (name: string) => (name === "training" ? !scope.training : !scope.models);
    const models = [...committed.models.filter((m) => keepModel(m.name)), ...manifest.models];
    for (const m of committed.models.filter((x) => keepModel(x.name))) {
      await copyTree(`${golden}/${m.dir}`, `${fresh}/${m.dir}`);
    }
    const regeneratedUnsupported = (u: { case: string; source: string }) =>
      inScope(u.case) && scope.sources.includes(u.source as "pytorch");
    manifest.cases = cases;
    manifest.models = models.sort((a, b) => a.dir.localeCompare(b.dir));
    manifest.unsupported = [
      ...committed.unsupported.filter((u) => !regeneratedUnsupported(u)),
      ...manifest.unsupported,
    ];
    manifest.disagreements = [
      ...committed.disagreements.filter((d) => !inScope(d.case)),
      ...manifest.disagreements,
    ];
    manifest.generators = { ...committed.generators, ...manifest.generators };
    manifest.backwardMethods = _backwardMethods(cases);
    _sortLists(manifest);
  }
  await Deno.writeTextFile(`${fresh}/manifest.json`, _formatManifest(manifest));
}

async function copyTree(from: string, to: string): Promise<void> {
  if (!(await exists(from))) return;
  for (const path of await listFiles(from)) {
    const target = `${to}/${path}`;
    await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${from}/${path}`, target);
  }
}

/** Replaces `golden` by `fresh` with two renames (the old tree is removed afterwards). */
async function swap(golden: string, fresh: string): Promise<void> {
  const old = `${golden}.old-${Date.now()}`;
  const hadOld = await exists(golden);
  if (hadOld) await Deno.rename(golden, old);
  await Deno.rename(fresh, golden);
  if (hadOld) await Deno.remove(old, { recursive: true });
}

async function readManifest(golden: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${golden}/manifest.json`)) as Manifest;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main());
