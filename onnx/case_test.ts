import { assert, assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { type DataSet, findCases, loadCase, writeCase } from "./case.ts";
import { OnnxFormatError } from "./format_error.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { singleNodeModel } from "./single_node.ts";
import { encodeTensor } from "./tensor_proto.ts";

const NODE_TESTS = "/usr/share/libonnx-testdata/data/node";
const hasNodeTests = (() => {
  try {
    return Deno.statSync(NODE_TESTS).isDirectory;
  } catch {
    return false;
  }
})();
const canWrite = (await Deno.permissions.query({ name: "write" })).state === "granted";
const TESTDATA = new URL("./testdata", import.meta.url).pathname;
const RELU = `${TESTDATA}/relu`;

// The generator of onnx/testdata/relu (the doc examples' fixture): Relu on x = [-1, 2, -3, 4].
const f32 = (a: number[], name?: string) => new OnnxTensor(new Float32Array(a), [2, 2], { name });
const reluModel = () =>
  singleNodeModel({
    opType: "Relu",
    opset: 14,
    inputs: [{ name: "x", dtype: "float32", dims: [2, 2] }],
    outputs: [{ name: "y", dtype: "float32", dims: [2, 2] }],
  });
const reluFiles: Record<string, OnnxTensor> = {
  "input_0.pb": f32([-1, 2, -3, 4], "x"),
  "output_0.pb": f32([0, 2, 0, 4], "y"),
  "grad_output_0.pb": f32([0.5, 1, 1.5, 2]),
  "grad_input_0.pb": f32([0, 1, 0, 2]), // relu'(x) · grad_output
};

Deno.test("loadCase() on the Relu fixture", async (t) => {
  await t.step("model, forward and gradient tensors", async () => {
    const c = await loadCase(RELU);
    assertStrictEquals(c.name, "relu");
    assertStrictEquals(c.dir, RELU);
    assertStrictEquals(c.model.graph.nodes[0].opType, "Relu");
    assertStrictEquals(c.dataSets.length, 1);
    const [set] = c.dataSets;
    assertEquals([...set.inputs[0].data], [-1, 2, -3, 4]);
    assertStrictEquals(set.inputs[0].name, "x");
    assertEquals([...set.outputs[0].data], [0, 2, 0, 4]);
    assertEquals(set.gradOutputs?.map((g) => [...g.data]), [[0.5, 1, 1.5, 2]]);
    assertEquals(set.gradInputs?.map((g) => g && [...g.data]), [[0, 1, 0, 2]]);
    assertEquals(set.gradInitializers, []);
  });
  await t.step("the committed files are what the generator above writes", async () => {
    assertEquals(await Deno.readFile(`${RELU}/model.onnx`), reluModel());
    for (const [name, tensor] of Object.entries(reluFiles)) {
      assertEquals(
        await Deno.readFile(`${RELU}/test_data_set_0/${name}`),
        encodeTensor(tensor),
        name,
      );
    }
  });
  await t.step("a URL and a trailing slash work", async () => {
    assertStrictEquals((await loadCase(new URL("./testdata/relu/", import.meta.url))).dir, RELU);
  });
});

Deno.test("findCases()", async (t) => {
  await t.step(
    "finds the fixture; a model.onnx path means its directory; no duplicates",
    async () => {
      assertEquals(await findCases([TESTDATA]), [RELU]);
      assertEquals(await findCases([`${RELU}/model.onnx`, RELU, `${TESTDATA}/`]), [RELU]);
    },
  );
  await t.step("errors", async () => {
    await assertRejects(
      () => findCases([`${RELU}/test_data_set_0/input_0.pb`]),
      TypeError,
      "input_0.pb is a file but not model.onnx",
    );
    await assertRejects(() => findCases([`${TESTDATA}/missing`]), Deno.errors.NotFound);
    await assertRejects(() => findCases("x" as never), TypeError, "paths must be an array");
  });
  if (!hasNodeTests) {
    console.log(`  note: ${NODE_TESTS} not found (libonnx-testdata); real-case steps skipped`);
    return;
  }
  await t.step("ONNX's node tests: every case directory, sorted", async () => {
    const cases = await findCases([NODE_TESTS]);
    assert(cases.length > 100, `${cases.length} cases`);
    assert(cases.includes(`${NODE_TESTS}/test_conv_with_strides_padding`));
    assertEquals(cases, [...cases].sort());
    const c = await loadCase(`${NODE_TESTS}/test_conv_with_strides_padding`);
    assertStrictEquals(c.dataSets.length, 1);
    assertEquals(c.dataSets[0].inputs.map((x) => x.name), ["x", "W"]);
    assertEquals(c.dataSets[0].outputs[0].dims, [1, 1, 4, 3]);
    assertStrictEquals(c.dataSets[0].gradOutputs, undefined);
  });
});

Deno.test("writeCase() and loadCase() errors", async (t) => {
  if (!canWrite) {
    console.log("  note: no --allow-write; writeCase steps skipped");
    return;
  }
  const root = await Deno.makeTempDir({ prefix: "onnx_case_test_" });
  const f64 = (a: number[]) => new OnnxTensor(new Float64Array(a), [a.length]);
  // y = x · w (MatMul of [1, 2] by [2, 1]) with w an initializer: gradients for both.
  const model = singleNodeModel({
    opType: "MatMul",
    inputs: [{ name: "x", dtype: "float64", dims: [1, 2] }],
    initializers: [new OnnxTensor(new Float64Array([3, 4]), [2, 1], { name: "w" })],
    outputs: [{ name: "y", dtype: "float64", dims: [1, 1] }],
  });
  const x = new OnnxTensor(new Float64Array([1, 2]), [1, 2]);
  const set: DataSet = {
    inputs: [x],
    outputs: [new OnnxTensor(new Float64Array([11]), [1, 1])], // 1·3 + 2·4
    gradOutputs: [new OnnxTensor(new Float64Array([1]), [1, 1])],
    gradInputs: [new OnnxTensor(new Float64Array([3, 4]), [1, 2])], // dy/dx = wᵀ
    gradInitializers: [new OnnxTensor(new Float64Array([1, 2]), [2, 1])], // dy/dw = xᵀ
  };
  const files = async (dir: string) => {
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    return names.sort();
  };
  try {
    await t.step("round trip with gradients; names filled from the model", async () => {
      const dir = `${root}/matmul`;
      await writeCase(dir, model, [set, { inputs: [x], outputs: set.outputs }]);
      assertEquals(await files(dir), ["model.onnx", "test_data_set_0", "test_data_set_1"]);
      assertEquals(await files(`${dir}/test_data_set_0`), [
        "grad_initializer_0.pb",
        "grad_input_0.pb",
        "grad_output_0.pb",
        "input_0.pb",
        "output_0.pb",
      ]);
      const c = await loadCase(dir);
      assertStrictEquals(c.dataSets.length, 2);
      const [a, b] = c.dataSets;
      assertStrictEquals(a.inputs[0].name, "x");
      assertStrictEquals(a.outputs[0].name, "y");
      assertEquals([...a.gradInputs![0]!.data], [3, 4]);
      assertEquals([...a.gradInitializers![0]!.data], [1, 2]);
      assertStrictEquals(b.gradOutputs, undefined);
    });
    await t.step("rewriting removes stale data sets; sparse gradients stay sparse", async () => {
      const dir = `${root}/matmul`;
      await writeCase(dir, model, [{ ...set, gradInputs: [undefined] }]);
      assertEquals(await files(dir), ["model.onnx", "test_data_set_0"]);
      const [only] = (await loadCase(dir)).dataSets;
      assertEquals(only.gradInputs, [undefined]);
      assertStrictEquals(only.gradInitializers?.length, 1);
    });
    await t.step("findCases: nested, sorted, not inside cases, symlink cycles", async () => {
      for (const d of ["b/z", "a", "b/a/deep"]) await writeCase(`${root}/tree/${d}`, model, [set]);
      await Deno.mkdir(`${root}/tree/a/inner`); // inside a case: not searched
      await Deno.writeFile(`${root}/tree/a/inner/model.onnx`, model);
      await Deno.symlink(`${root}/tree`, `${root}/tree/b/loop`);
      assertEquals(await findCases([`${root}/tree`]), [
        `${root}/tree/a`,
        `${root}/tree/b/a/deep`,
        `${root}/tree/b/z`,
      ]);
    });

    const broken = async (name: string, edit: (dir: string) => Promise<void>) => {
      const dir = `${root}/broken/${name}`;
      await writeCase(dir, model, [set]);
      await edit(`${dir}/test_data_set_0`);
      return dir;
    };
    await t.step("a gap in the inputs names the directory and the missing file", async () => {
      const dir = await broken("gap", (d) => Deno.rename(`${d}/input_0.pb`, `${d}/input_1.pb`));
      const e = await assertRejects(
        () => loadCase(dir),
        OnnxFormatError,
        `Cannot read case from ${dir}: test_data_set_0: input_0.pb is missing (numbering must have no gaps; found up to input_1.pb)`,
      );
      assertStrictEquals(e.file, dir);
      assertStrictEquals(e.field, "test_data_set_0.input_0.pb");
    });
    await t.step(
      "missing output, missing grad_output, out-of-range gradient, stray .pb",
      async () => {
        const noOutput = await broken("no_output", (d) => Deno.remove(`${d}/output_0.pb`));
        await assertRejects(
          () => loadCase(noOutput),
          OnnxFormatError,
          "test_data_set_0: output_0.pb is missing",
        );
        const noSeed = await broken("no_seed", (d) => Deno.remove(`${d}/grad_output_0.pb`));
        await assertRejects(() => loadCase(noSeed), OnnxFormatError, "grad_output_0.pb is missing");
        const extra = await broken(
          "extra",
          (d) => Deno.copyFile(`${d}/grad_input_0.pb`, `${d}/grad_input_1.pb`),
        );
        await assertRejects(
          () => loadCase(extra),
          OnnxFormatError,
          "test_data_set_0: grad_input_1.pb has no matching input (there are 1)",
        );
        const stray = await broken(
          "stray",
          (d) => Deno.copyFile(`${d}/input_0.pb`, `${d}/weights.pb`),
        );
        await assertRejects(
          () => loadCase(stray),
          OnnxFormatError,
          "weights.pb is not an input_, output_ or grad_ file",
        );
      },
    );
    await t.step("data set numbering, no data sets, corrupt tensor file", async () => {
      const gap = await broken("set_gap", (d) => Deno.rename(d, d.replace(/_0$/, "_1")));
      await assertRejects(() => loadCase(gap), OnnxFormatError, "test_data_set_0 is missing");
      const none = `${root}/broken/none`;
      await Deno.mkdir(none, { recursive: true });
      await Deno.writeFile(`${none}/model.onnx`, model);
      await assertRejects(
        () => loadCase(none),
        OnnxFormatError,
        `from ${none}: no test_data_set_<n> directory`,
      );
      const corrupt = await broken(
        "corrupt",
        (d) => Deno.writeFile(`${d}/output_0.pb`, new Uint8Array([0x4a, 9])),
      );
      await assertRejects(
        () => loadCase(corrupt),
        OnnxFormatError,
        `from ${corrupt}/test_data_set_0/output_0.pb: raw_data claims 9 bytes`,
      );
    });
    await t.step("writeCase validates the data sets", async () => {
      const dir = `${root}/invalid`;
      await assertRejects(
        () => writeCase(dir, model, []),
        TypeError,
        "dataSets must be a non-empty array",
      );
      await assertRejects(
        () => writeCase(dir, model, [{ inputs: [x], outputs: [] }]),
        TypeError,
        "dataSets[0].outputs must not be empty",
      );
      await assertRejects(
        () => writeCase(dir, model, [{ ...set, gradOutputs: [] }]),
        TypeError,
        "dataSets[0].gradOutputs has 0 tensors for 1 outputs",
      );
      await assertRejects(
        () => writeCase(dir, model, [{ ...set, gradInitializers: [f64([1]), f64([2])] }]),
        TypeError,
        "dataSets[0].gradInitializers has 2 entries for 1 initializers",
      );
      await assertRejects(
        () => writeCase(dir, model, [{ inputs: [[1, 2] as never], outputs: set.outputs }]),
        TypeError,
        "dataSets[0].inputs[0] must be an OnnxTensor",
      );
      await assertRejects(() => writeCase(dir, new Uint8Array([0xff]), [set]), OnnxFormatError);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test({
  name: "writeCase() and loadCase() with a float64 truth",
  ignore: !canWrite,
  fn: async (t) => {
    const f64 = (a: number[]) => new OnnxTensor(new Float64Array(a), [2, 2]);
    const record = { maxAbs: 0, normwise: 0, scale: 4, nonfinite: 0 };
    const set: DataSet = {
      inputs: [reluFiles["input_0.pb"]],
      outputs: [reluFiles["output_0.pb"]],
      gradOutputs: [reluFiles["grad_output_0.pb"]],
      gradInputs: [reluFiles["grad_input_0.pb"]],
      truth: {
        outputs: [f64([0, 2, 0, 4])],
        gradInputs: [f64([0, 1, 0, 2])],
        gradInitializers: [],
        float32Error: { output_0: record, grad_input_0: { ...record, scale: 2 } },
      },
    };
    const dir = await Deno.makeTempDir();
    const truthDir = `${dir}/test_data_set_0/float64`;
    try {
      await t.step("round trip", async () => {
        await writeCase(dir, reluModel(), [set]);
        const loaded = (await loadCase(dir)).dataSets[0];
        assertEquals([...loaded.truth!.outputs[0]!.data], [0, 2, 0, 4]);
        assertStrictEquals(loaded.truth!.gradInputs[0]!.dtype, "float64");
        assertEquals(loaded.truth!.float32Error.grad_input_0.scale, 2);
      });
      await t.step(
        "a record missing, a field wrong, or the JSON corrupt names file and field",
        async () => {
          const file = `${truthDir}/torch_float32_error.json`;
          await Deno.writeTextFile(file, JSON.stringify({ output_0: record }));
          let e = await assertRejects(() => loadCase(dir), OnnxFormatError);
          assert(
            e.message.includes("grad_input_0: no record for float64/grad_input_0.pb"),
            e.message,
          );
          assert(e.message.includes(file), e.message);
          await Deno.writeTextFile(
            file,
            JSON.stringify({ output_0: { ...record, normwise: -1 }, grad_input_0: record }),
          );
          e = await assertRejects(() => loadCase(dir), OnnxFormatError);
          assert(
            e.message.includes("output_0.normwise must be a finite number ≥ 0, got -1"),
            e.message,
          );
          assertStrictEquals((e as OnnxFormatError).field, "output_0.normwise");
          await Deno.writeTextFile(
            file,
            JSON.stringify({
              output_0: { ...record, alternative: { maxAbs: 1, normwise: "x" } },
              grad_input_0: record,
            }),
          );
          e = await assertRejects(() => loadCase(dir), OnnxFormatError);
          assert(
            e.message.includes("output_0.alternative.normwise must be a finite number"),
            e.message,
          );
          await Deno.writeTextFile(file, "{");
          e = await assertRejects(() => loadCase(dir), OnnxFormatError);
          assert(e.message.includes("not JSON"), e.message);
          await Deno.remove(file);
          e = await assertRejects(() => loadCase(dir), OnnxFormatError);
          assert(e.message.includes("torch_float32_error.json is missing"), e.message);
        },
      );
      await t.step("a float32 truth, a wrong shape or a stray truth file fails", async () => {
        await writeCase(dir, reluModel(), [set]);
        await Deno.writeFile(`${truthDir}/output_0.pb`, encodeTensor(reluFiles["output_0.pb"]));
        let e = await assertRejects(() => loadCase(dir), OnnxFormatError);
        assert(e.message.includes("output_0.pb must hold float64 values, got float32"), e.message);
        await Deno.writeFile(
          `${truthDir}/output_0.pb`,
          encodeTensor(new OnnxTensor(new Float64Array(4), [4])),
        );
        e = await assertRejects(() => loadCase(dir), OnnxFormatError);
        assert(e.message.includes("has shape [4], its float32 file [2, 2]"), e.message);
        await writeCase(dir, reluModel(), [set]);
        await Deno.writeFile(`${truthDir}/grad_input_3.pb`, encodeTensor(f64([0, 0, 0, 0])));
        e = await assertRejects(() => loadCase(dir), OnnxFormatError);
        assert(e.message.includes("grad_input_3.pb has no grad_input_3.pb beside it"), e.message);
      });
      await t.step("writeCase refuses a truth without its record or float32 file", async () => {
        const noRecord = { ...set, truth: { ...set.truth!, float32Error: { output_0: record } } };
        await assertRejects(
          () => writeCase(dir, reluModel(), [noRecord]),
          TypeError,
          "grad_input_0",
        );
        const stray = { ...set, truth: { ...set.truth!, gradInitializers: [f64([1, 2, 3, 4])] } };
        await assertRejects(
          () => writeCase(dir, reluModel(), [stray]),
          TypeError,
          "truth.gradInitializers[0] has no grad_initializer_0",
        );
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
