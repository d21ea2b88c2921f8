import { assert, assertEquals } from "@std/assert";
import { gridCases } from "./grid.ts";
import {
  CASE_DIRS,
  diffHashes,
  type Manifest,
  manifestFiles,
  sha256Hex,
  verifyManifest,
} from "./manifest.ts";

const GOLDEN = new URL("../golden", import.meta.url);

async function exists(url: URL): Promise<boolean> {
  try {
    await Deno.stat(url);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("sha256Hex()", async (t) => {
  await t.step("FIPS 180-2 test vectors", async () => {
    assertEquals(
      await sha256Hex(new TextEncoder().encode("abc")),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    assertEquals(
      await sha256Hex(new Uint8Array()),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });
});

Deno.test("diffHashes()", async (t) => {
  const expected = new Map([["ort/a/model.onnx", "11"], [
    "ort/a/test_data_set_0/input_0.pb",
    "22",
  ]]);
  await t.step("equal sets: no problem", () => {
    assertEquals(diffHashes(expected, new Map(expected)), []);
  });
  await t.step("a changed file is named", () => {
    const actual = new Map(expected).set("ort/a/test_data_set_0/input_0.pb", "33");
    assertEquals(diffHashes(expected, actual), [
      "ort/a/test_data_set_0/input_0.pb: changed (SHA-256 33, manifest.json says 22)",
    ]);
  });
  await t.step("a missing file is named", () => {
    const actual = new Map(expected);
    actual.delete("ort/a/model.onnx");
    assertEquals(diffHashes(expected, actual), [
      "ort/a/model.onnx: missing (listed in manifest.json)",
    ]);
  });
  await t.step("an unlisted file is named", () => {
    const actual = new Map(expected).set("ort/a/extra.pb", "44");
    assertEquals(diffHashes(expected, actual), ["ort/a/extra.pb: not listed in manifest.json"]);
  });
});

Deno.test("manifestFiles()", async (t) => {
  await t.step("case files live in <source dir>/<case>/, model files in their dir", () => {
    const manifest = {
      cases: [{
        name: "relu_x7",
        onnxruntime: { files: { "model.onnx": "aa" } },
        pytorch: { files: { "test_data_set_0/output_0.pb": "bb" } },
      }],
      models: [{ dir: "torch-models/lenet5", files: { "model.onnx": "cc" } }],
    } as unknown as Manifest;
    assertEquals(
      [...manifestFiles(manifest)],
      [
        [`${CASE_DIRS.onnxruntime}/relu_x7/model.onnx`, "aa"],
        [`${CASE_DIRS.pytorch}/relu_x7/test_data_set_0/output_0.pb`, "bb"],
        ["torch-models/lenet5/model.onnx", "cc"],
      ],
    );
  });
});

Deno.test("golden/manifest.json", async (t) => {
  if (!(await exists(new URL("../golden/manifest.json", import.meta.url)))) {
    console.log("golden/manifest.json is absent: run `deno task golden --write` (skipped)");
    return;
  }
  await t.step(
    "every committed golden file has its recorded SHA-256, none is unlisted",
    async () => {
      const problems = await verifyManifest(GOLDEN);
      assert(problems.length === 0, `golden/ does not match its manifest:\n${problems.join("\n")}`);
    },
  );
  await t.step(
    "≥ 1000 cases; outputs and listed gradients hashed; no unexplained disagreement",
    async () => {
      const manifest = JSON.parse(
        await Deno.readTextFile(new URL("../golden/manifest.json", import.meta.url)),
      ) as Manifest;
      assert(manifest.cases.length >= 1000, `${manifest.cases.length} cases`);
      for (const c of manifest.cases) {
        for (const source of ["onnxruntime", "pytorch"] as const) {
          const entry = c[source];
          if (!entry) continue;
          assert("test_data_set_0/output_0.pb" in entry.files, `${c.name} (${source}): no output`);
          for (const i of entry.gradInputs) {
            assert(
              `test_data_set_0/grad_input_${i}.pb` in entry.files,
              `${c.name} (${source}): grad_input_${i} listed but not hashed`,
            );
          }
        }
      }
      // Every differentiable input (float, not a loss's constant class weights) has a gradient
      // from at least one source.
      const grid = new Map(gridCases().map((c) => [c.name, c]));
      for (const c of manifest.cases) {
        const spec = grid.get(c.name);
        assert(spec, `${c.name} is not a grid case`);
        const covered = new Set([
          ...(c.onnxruntime?.gradInputs ?? []),
          ...(c.pytorch?.gradInputs ?? []),
        ]);
        spec.inputs.forEach((input, i) => {
          const constant = input.dtype === "int64" || (c.op.endsWith("Loss") && input.name === "W");
          assert(
            constant || covered.has(i),
            `${c.name}: no source has a gradient for ${input.name}`,
          );
        });
      }
      for (const d of manifest.disagreements) {
        assert(!d.explanation.startsWith("UNEXPLAINED"), `${d.case} ${d.tensor}: ${d.explanation}`);
      }
    },
  );
  await t.step(
    "every PyTorch golden has a float64 truth per compared file, recorded as in its case",
    async () => {
      const manifest = JSON.parse(
        await Deno.readTextFile(new URL("../golden/manifest.json", import.meta.url)),
      ) as Manifest;
      const entries = [
        ...manifest.cases.flatMap((c) =>
          c.pytorch ? [{ dir: `${CASE_DIRS.pytorch}/${c.name}`, entry: c.pytorch }] : []
        ),
        ...manifest.models.filter((m) => "model.onnx" in m.files).map((m) => ({
          dir: m.dir,
          entry: m,
        })),
      ];
      assert(entries.length > 1000, `${entries.length} PyTorch goldens`);
      for (const { dir, entry } of entries) {
        const compared = Object.keys(entry.files)
          .map((p) => /^test_data_set_0\/((output|grad_input|grad_initializer)_\d+)\.pb$/.exec(p))
          .flatMap((m) => (m ? [m[1]] : [])).sort();
        const truths = Object.keys(entry.files)
          .map((p) => /^test_data_set_0\/float64\/(\w+)\.pb$/.exec(p))
          .flatMap((m) => (m ? [m[1]] : [])).sort();
        assertEquals(truths, compared, `${dir}: float64 truth files`);
        const file = new URL(
          `../golden/${dir}/test_data_set_0/float64/torch_float32_error.json`,
          import.meta.url,
        );
        assertEquals(
          entry.float32Error,
          JSON.parse(await Deno.readTextFile(file)),
          `${dir}: manifest float32Error`,
        );
      }
    },
  );
});
