import {
  assert,
  assertAlmostEquals,
  assertEquals,
  assertRejects,
  assertStrictEquals,
} from "@std/assert";
import { gemmBackend } from "../layers/_gemm.ts";
import { type DataSet, type GoldenCase, writeCase } from "../onnx/case.ts";
import { decodeModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel, type SingleNodeOptions } from "../onnx/single_node.ts";
import { checkCase, type ConformanceImpl, runCase } from "./runner.ts";
import { ATOL, RTOL, TRUTH_FLOOR } from "./tolerance.ts";

const u = 2 ** -24;
/** The absolute part for a float64 expected tensor of largest magnitude `scale`. */
const atol64 = (scale: number) => Math.min(ATOL, TRUTH_FLOOR * 2 ** -53 * scale);
const f64 = (v: number[], dims: number[]) => new OnnxTensor(Float64Array.from(v), dims);
const f32 = (v: number[], dims: number[]) => new OnnxTensor(Float32Array.from(v), dims);
const i64 = (v: number[], dims: number[]) =>
  new OnnxTensor(BigInt64Array.from(v, (x) => BigInt(x)), dims);

function golden(options: SingleNodeOptions, dataSets: DataSet[]): GoldenCase {
  return {
    name: options.opType,
    dir: options.opType,
    model: decodeModel(singleNodeModel(options)),
    dataSets,
  };
}

/** Conv1d, float64: x [1, 1, 4] (input), w = ones [1, 1, k] (initializer). */
function conv(x: number[], k: number, dataSet: Omit<DataSet, "inputs">): GoldenCase {
  const out = x.length - k + 1;
  return golden({
    opType: "Conv",
    inputs: [{ name: "x", dtype: "float64", dims: [1, 1, x.length] }],
    outputs: [{ name: "y", dtype: "float64", dims: [1, 1, out] }],
    initializers: [new OnnxTensor(new Float64Array(k).fill(1), [1, 1, k], { name: "w" })],
  }, [{ inputs: [f64(x, [1, 1, x.length])], ...dataSet }]);
}

Deno.test("checkCase()", async (t) => {
  await t.step("x=[1,2,3,4] k=3: tolerance atol + rtol·|e| + 2·n·u·(|x|⋆|w|), n = 3", async () => {
    // y = [6, 9]; |x|⋆|w| = [6, 9]; the allowed error of element 0 (float64 expected values of
    // scale 9: the absolute part is a few float64 ulps of 9, not 1e-7):
    const allowed = atol64(9) + RTOL * 6 + 2 * 3 * u * 6;
    const near = await checkCase(
      conv([1, 2, 3, 4], 3, { outputs: [f64([6 + 0.9 * allowed, 9], [1, 1, 2])] }),
    );
    assertStrictEquals(near.status, "passed", near.reason);
    // Not exactly 0.9: rtol applies to the expected value 6 + 0.9·allowed.
    assertAlmostEquals(near.worstRatio, 0.9, 1e-3);
    assertAlmostEquals(near.worstAllowed, allowed + RTOL * 0.9 * allowed, 1e-12);
    assertEquals(near.impls.map((r) => r.checks[0].n), [3, 3, 3]);
    const far = await checkCase(
      conv([1, 2, 3, 4], 3, { outputs: [f64([6 + 1.1 * allowed, 9], [1, 1, 2])] }),
    );
    assertStrictEquals(far.status, "failed");
    assert(
      far.reason.includes("reference: output_0: values differ at index [0, 0, 0]"),
      far.reason,
    );
    assertEquals(far.impls.map((r) => r.ok), [false, false, false]);
  });
  await t.step("a cancelling sum near 0 gets the accumulation bound, not just atol", async () => {
    // y = x0 − ... : x = [1, −1, 1, −1], k = 2 → y = [0, 0, 0], |x|⋆|w| = [2, 2, 2].
    const bound = 2 * 2 * u * 2; // ≈ 4.8e-7, where atol alone would be 1e-7 at most
    const allowed = bound + atol64(0.95 * bound);
    const pass = await checkCase(
      conv([1, -1, 1, -1], 2, { outputs: [f64([0.95 * allowed, 0, 0], [1, 1, 3])] }),
    );
    assertStrictEquals(pass.status, "passed", pass.reason);
    const fail = await checkCase(
      conv([1, -1, 1, -1], 2, { outputs: [f64([1.05 * allowed, 0, 0], [1, 1, 3])] }),
    );
    assertStrictEquals(fail.status, "failed");
  });
  await t.step("gradients: grad_input and grad_initializer files are compared", async () => {
    // g = ones: dX_i = Σ_j w_{i−j} = [1, 2, 2, 1], dW_k = Σ_j x_{j+k} = [3, 5, 7].
    const set = (dW: number[]) => ({
      outputs: [f64([6, 9], [1, 1, 2])],
      gradOutputs: [f64([1, 1], [1, 1, 2])],
      gradInputs: [f64([1, 2, 2, 1], [1, 1, 4])],
      gradInitializers: [f64(dW, [1, 1, 3])],
    });
    const ok = await checkCase(conv([1, 2, 3, 4], 3, set([3, 5, 7])));
    assertStrictEquals(ok.status, "passed", ok.reason);
    assert(ok.gradients);
    assertEquals(ok.impls[0].checks.map((c) => c.tensor), [
      "output_0",
      "grad_input_0",
      "grad_initializer_0",
    ]);
    assertStrictEquals(ok.worstRatio, 0);
    const wrong = await checkCase(conv([1, 2, 3, 4], 3, set([3, 5, 8])));
    assertStrictEquals(wrong.status, "failed");
    assert(
      wrong.reason.includes("grad_initializer_0: values differ at index [0, 0, 2]"),
      wrong.reason,
    );
  });
  await t.step(
    "MaxPool Indices (int64) compare exactly; its grad_output seeds nothing",
    async () => {
      const maxPool = (indices: number[]) =>
        golden({
          opType: "MaxPool",
          inputs: [{ name: "x", dtype: "float32", dims: [1, 1, 4] }],
          outputs: [{ name: "y", dtype: "float32", dims: [1, 1, 2] }, {
            name: "i",
            dtype: "int64",
            dims: [1, 1, 2],
          }],
          attributes: { kernel_shape: [2], strides: [2] },
        }, [{
          inputs: [f32([1, 3, 2, 4], [1, 1, 4])],
          outputs: [f32([3, 4], [1, 1, 2]), i64(indices, [1, 1, 2])],
          gradOutputs: [f32([1, 1], [1, 1, 2]), f32([5, 5], [1, 1, 2])],
          gradInputs: [f32([0, 1, 0, 1], [1, 1, 4])],
        }]);
      const ok = await checkCase(maxPool([1, 3]));
      assertStrictEquals(ok.status, "passed", ok.reason);
      const off = await checkCase(maxPool([1, 2]));
      assertStrictEquals(off.status, "failed");
      assert(off.reason.includes("output_1: values differ at index [0, 0, 1]"), off.reason);
    },
  );
  await t.step("NaN matches only NaN", async () => {
    const relu = (expected: number) =>
      golden({
        opType: "Relu",
        inputs: [{ name: "x", dtype: "float32", dims: [2] }],
        outputs: [{ name: "y", dtype: "float32", dims: [2] }],
      }, [{ inputs: [f32([NaN, 2], [2])], outputs: [f32([expected, 2], [2])] }]);
    assertStrictEquals((await checkCase(relu(NaN))).status, "passed");
    assertStrictEquals((await checkCase(relu(0))).status, "failed");
  });
  await t.step("an unsupported operator or element type is skipped with the reason", async () => {
    const gather = await checkCase(golden({
      opType: "GatherElements",
      inputs: [{ name: "x", dtype: "float32", dims: [2] }, {
        name: "i",
        dtype: "int64",
        dims: [1],
      }],
      outputs: [{ name: "y", dtype: "float32", dims: [1] }],
    }, [{ inputs: [f32([1, 2], [2]), i64([0], [1])], outputs: [f32([1], [1])] }]));
    assertStrictEquals(gather.status, "skipped");
    assertStrictEquals(
      gather.reason,
      "GatherElements (opset 17): operator GatherElements is not supported",
    );
    assertEquals(gather.impls, []);
    const half = new OnnxTensor(new Float32Array([1, 2]), [2], { dtype: "float16" });
    const relu = await checkCase(golden({
      opType: "Relu",
      inputs: [{ name: "x", dtype: "float16", dims: [2] }],
      outputs: [{ name: "y", dtype: "float16", dims: [2] }],
    }, [{ inputs: [half], outputs: [half] }]));
    assertStrictEquals(relu.status, "skipped");
    assert(relu.reason.includes('input "x" has dtype float16'), relu.reason);
  });
  await t.step("a run-time error fails the case", async () => {
    const bad = conv([1, 2, 3, 4], 3, { outputs: [f64([6, 9], [1, 1, 2])] });
    const result = await checkCase({
      ...bad,
      dataSets: [{ ...bad.dataSets[0], inputs: [f64([1, 2, 3], [1, 1, 3])] }],
    });
    assertStrictEquals(result.status, "failed");
    assert(result.reason.includes("must have shape [1, 1, 4], got [1, 1, 3]"), result.reason);
    assertStrictEquals(result.worstRatio, Infinity);
  });
  await t.step("a wrong output shape fails (count, then shape, then dtype)", async () => {
    const result = await checkCase(conv([1, 2, 3, 4], 3, { outputs: [f64([6, 9], [1, 2, 1])] }));
    assertStrictEquals(result.status, "failed");
    assert(result.reason.includes("shape differs"), result.reason);
    const dtype = await checkCase(conv([1, 2, 3, 4], 3, { outputs: [f32([6, 9], [1, 1, 2])] }));
    assert(dtype.reason.includes("dtype differs: actual float64, expected float32"), dtype.reason);
  });
  await t.step("impls must list known implementations", async () => {
    const relu = conv([1, 2, 3, 4], 3, { outputs: [f64([6, 9], [1, 1, 2])] });
    await assertRejects(() => checkCase(relu, { impls: [] }), TypeError, "impls must list some of");
    await assertRejects(
      () => checkCase(relu, { impls: ["gpu" as ConformanceImpl] }),
      TypeError,
      "got [gpu]",
    );
  });
  await t.step("impls selects the implementations; the GEMM backend is restored", async () => {
    const before = gemmBackend();
    const result = await checkCase(conv([1, 2, 3, 4], 3, { outputs: [f64([6, 9], [1, 1, 2])] }), {
      impls: ["fast-ts"],
    });
    assertEquals(result.impls.map((r) => r.impl), ["fast-ts"]);
    assertStrictEquals(gemmBackend(), before);
  });
});

Deno.test("runCase()", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "runner_test_" });
  try {
    const model = singleNodeModel({
      opType: "Relu",
      inputs: [{ name: "x", dtype: "float32", dims: [2] }],
      outputs: [{ name: "y", dtype: "float32", dims: [2] }],
    });
    await t.step("a case on disk passes", async () => {
      await writeCase(`${dir}/relu`, model, [{
        inputs: [f32([-1, 2], [2])],
        outputs: [f32([0, 2], [2])],
      }]);
      const result = await runCase(`${dir}/relu/`);
      assertStrictEquals(result.status, "passed", result.reason);
      assertStrictEquals(result.name, "relu");
      assertEquals(result.ops, ["Relu"]);
      assert(result.ms > 0);
    });
    await t.step("a STRING tensor file is skipped: unsupported, not corrupt", async () => {
      await writeCase(`${dir}/strings`, model, [{
        inputs: [f32([1, 2], [2])],
        outputs: [f32([1, 2], [2])],
      }]);
      // TensorProto { dims: [1], data_type: STRING (8), string_data: ["a"] }.
      await Deno.writeFile(
        `${dir}/strings/test_data_set_0/input_0.pb`,
        new Uint8Array([8, 1, 16, 8, 50, 1, 97]),
      );
      const result = await runCase(`${dir}/strings`);
      assertStrictEquals(result.status, "skipped");
      assert(result.reason.startsWith("cannot read test_data_set_0/input_0.pb: "), result.reason);
      assert(result.reason.includes("STRING"), result.reason);
    });
    await t.step("a corrupt tensor file fails the case", async () => {
      await writeCase(`${dir}/corrupt`, model, [{
        inputs: [f32([1, 2], [2])],
        outputs: [f32([1, 2], [2])],
      }]);
      await Deno.writeFile(
        `${dir}/corrupt/test_data_set_0/output_0.pb`,
        new Uint8Array([0x0a, 0x05, 1]),
      );
      const result = await runCase(`${dir}/corrupt`);
      assertStrictEquals(result.status, "failed");
      assert(result.reason.startsWith("cannot load: "), result.reason);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
