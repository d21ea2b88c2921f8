import { assert, assertEquals, assertRejects, assertStrictEquals } from "@std/assert";
import { type Implementation, NotSupportedError } from "./adapter.ts";
import { checkImplementation, labelledCases } from "./check.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { layerAdapter } from "./_layer_adapter_test_util.ts";

const golden = new URL("../golden/torch", import.meta.url);
const models = new URL("../golden/torch-models", import.meta.url);
// Asymmetric pads [1, 0], dilation 2, bias: y[j] = b + Σ_t x[j + 2t − 1]·w[t].
const ASYM = "torch/conv1d_k3_s1_pasym_d2_g1_b_n1_x7";

/** A hand-written 1-D convolution (groups 1), optionally with its pads swapped (a wrong one). */
function conv1d(swapPads = false): Implementation {
  return {
    name: swapPads ? "swapped-pads" : "conv1d",
    conv(x, w, b, p) {
      if (p.kernel.length !== 1 || p.groups !== 1) throw new NotSupportedError("1-D, groups 1");
      const [n, c, len] = x.shape, [m, , k] = w.shape, out = p.outSize[0];
      const begin = swapPads ? p.padEnd[0] : p.padBegin[0];
      const y = new Float64Array(n * m * out);
      for (let i = 0; i < y.length; i++) {
        const o = Math.floor(i / out) % m, j = i % out, batch = Math.floor(i / (m * out));
        let sum = b ? b.data[o] : 0;
        for (let ci = 0; ci < c; ci++) {
          for (let t = 0; t < k; t++) {
            const at = j * p.stride[0] + t * p.dilation[0] - begin;
            if (at >= 0 && at < len) {
              sum += x.data[(batch * c + ci) * len + at] * w.data[(o * c + ci) * k + t];
            }
          }
        }
        y[i] = sum;
      }
      return { data: y, shape: [n, m, out] };
    },
  };
}

Deno.test("checkImplementation()", async (t) => {
  await t.step("a hand-written conv passes forward; its missing backward is reported", async () => {
    const report = await checkImplementation(conv1d(), golden, { filter: ASYM });
    assertEquals([report.summary.passed, report.summary.failed], [1, 0]);
    const [impl] = report.cases[0].impls;
    assertEquals(impl.checks.map((c) => c.tensor), ["output_0"]);
    assertStrictEquals(impl.backwardSkipped, "conv1d lacks convBackward");
    assertEquals(report.impls, ["conv1d"]);
  });
  await t.step("the same conv with begin and end pads swapped fails", async () => {
    const report = await checkImplementation(conv1d(true), golden, { filter: ASYM });
    assertStrictEquals(report.summary.failed, 1);
    assert(report.cases[0].reason.includes("swapped-pads: output_0: values differ"));
  });
  await t.step("NotSupportedError skips with the adapter's message", async () => {
    const report = await checkImplementation(conv1d(), golden, {
      filter: "torch/conv1d_k1_s1_p0_d2_g2_nb_n3_x4",
    });
    assertEquals(report.cases.map((c) => [c.status, c.reason]), [
      ["skipped", "conv1d: 1-D, groups 1"],
    ]);
  });
  await t.step("an operator without a function is skipped as lacking", async () => {
    const report = await checkImplementation({ name: "empty" }, golden, {
      filter: "torch/maxpool1d_k2_s2_p0_d1_n1_x4",
    });
    assertEquals(report.cases.map((c) => c.reason), ["empty lacks maxPool"]);
  });
  await t.step("layer functions with backward: every gradient file is compared", async () => {
    const report = await checkImplementation(layerAdapter(), golden, {
      filter: (l) =>
        [ASYM, "torch/convtranspose1d_k1_s1_p0_d2_g2_nb_op1_n3_x4"].includes(l) ||
        l.startsWith("torch/avgpool1d_k2_s2_p1_ceil_incpad") ||
        l.startsWith("torch/maxpool1d_k2_s2_p1"),
    });
    assert(report.cases.length >= 4, `${report.cases.length} cases`);
    assertEquals(report.summary.failed, 0, JSON.stringify(report.skipped));
    assertEquals(report.summary.skipped, 0);
    const asym = report.cases.find((c) => c.label === ASYM)!;
    assertEquals(asym.impls[0].checks.map((c) => c.tensor), [
      "output_0",
      "grad_input_0",
      "grad_input_1",
      "grad_input_2",
    ]);
    // A weight gradient off by 1% is caught.
    const base = layerAdapter("scaled-dw");
    const wrong: Implementation = {
      ...base,
      async convBackward(g, x, w, b, p) {
        const grads = await base.convBackward!(g, x, w, b, p);
        const dw = Float32Array.from(grads.weight!.data, (v) => v * 1.01);
        return { ...grads, weight: { data: dw, shape: grads.weight!.shape } };
      },
    };
    const bad = await checkImplementation(wrong, golden, { filter: ASYM });
    assert(bad.cases[0].reason.includes("grad_input_1: values differ"), bad.cases[0].reason);
  });
  await t.step("a node-level forward runs the other single-node cases", async () => {
    const relu: Implementation = {
      name: "relu-node",
      node: (node, [x]) => {
        if (node.opType !== "Relu") throw new NotSupportedError(`no ${node.opType}`);
        const y = Float32Array.from(x!.data as Float32Array, (v) => (v > 0 ? v : v * 0));
        return [new OnnxTensor(y, x!.dims)];
      },
    };
    const report = await checkImplementation(relu, golden, { filter: "torch/relu" });
    assert(report.summary.passed >= 1, JSON.stringify(report.summary));
    assert(
      report.cases.every((c) => c.impls[0].backwardSkipped === "relu-node lacks Relu backward"),
    );
  });
  await t.step("whole models need a graph runner", async () => {
    const report = await checkImplementation(layerAdapter(), models, { filter: "lenet5" });
    assert(report.cases[0].reason.startsWith("layers runs single default-domain nodes only"));
  });
  await t.step("bad arguments", async () => {
    await assertRejects(
      () => checkImplementation({ name: "" }, golden, { filter: ASYM }),
      TypeError,
      "implementation objects with a name",
    );
    await assertRejects(() => labelledCases(["/nonexistent-golden-dir"]), Deno.errors.NotFound);
  });
});
