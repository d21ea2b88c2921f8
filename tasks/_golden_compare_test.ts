// `deno task golden --check` on PyTorch whole models: files with a float64 truth are compared
// through it (a regenerated float32 result must be as accurate as the committed one, within the
// policy's factor), so CPU-dependent last bits pass and real changes fail.

import { assert, assertEquals } from "@std/assert";
import { decodeTensor, encodeTensor } from "../onnx/tensor_proto.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { _compareGoldens } from "./_golden_compare.ts";
import type { _Scope } from "./_golden_generate.ts";

const GOLDEN = decodeURIComponent(new URL("../golden", import.meta.url).pathname);
const SCOPE: _Scope = {
  sources: ["pytorch"],
  filter: "\u0000 no grid case",
  models: true,
  training: false,
};
const OUTPUT = "torch-models/lenet5/test_data_set_0/output_0.pb";

async function freshCopy(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "golden-compare-" });
  await Deno.copyFile(`${GOLDEN}/manifest.json`, `${dir}/manifest.json`);
  for (const sub of ["torch-models", "zoo"]) {
    await new Deno.Command("cp", { args: ["-r", `${GOLDEN}/${sub}`, `${dir}/`] }).output();
  }
  return dir;
}

async function scaleElement(dir: string, path: string, factor: number): Promise<void> {
  const t = decodeTensor(await Deno.readFile(`${dir}/${path}`), path);
  const data = (t.data as Float32Array).slice();
  data[3] = Math.fround(data[3] * factor);
  await Deno.writeFile(
    `${dir}/${path}`,
    encodeTensor(new OnnxTensor(data, t.dims, { name: t.name })),
  );
}

Deno.test("_compareGoldens() through the float64 truth", async (t) => {
  const dir = await freshCopy();
  try {
    await t.step("an identical regeneration passes", async () => {
      const r = await _compareGoldens(GOLDEN, dir, SCOPE, new Map());
      assertEquals(r.problems, []);
      assert(r.compared > 20, `${r.compared} files compared`);
    });
    await t.step("last-bit differences of the float32 result pass within tolerance", async () => {
      await scaleElement(dir, OUTPUT, 1 + 2 ** -23);
      const r = await _compareGoldens(GOLDEN, dir, SCOPE, new Map());
      assertEquals(r.problems, []);
      assertEquals(r.withinTolerance, [OUTPUT]);
    });
    await t.step("a 1e-3 relative change fails, naming the file", async () => {
      await scaleElement(dir, OUTPUT, 1 + 1e-3);
      const r = await _compareGoldens(GOLDEN, dir, SCOPE, new Map());
      assertEquals(r.problems.length, 1, r.problems.join("\n"));
      assert(r.problems[0].startsWith(`${OUTPUT}: regenerated against the committed truth`));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
