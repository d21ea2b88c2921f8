// A handful of golden cases through each peer: one that passes, one known finding that fails,
// one configuration it cannot express (skipped with the reason).

import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { checkImplementation } from "../conformance/mod.ts";
import { createPeer } from "./mod.ts";

const golden = [
  new URL("../golden/ort", import.meta.url),
  new URL("../golden/torch", import.meta.url),
];

Deno.test("tfjs peers", async (t) => {
  for (const name of ["tfjs-cpu", "tfjs-wasm"] as const) {
    const impl = await createPeer(name);
    await t.step(`${name}: conv2d passes forward and the gradients it has`, async () => {
      const report = await checkImplementation(impl, golden, {
        filter: "torch/conv2d_k3x3_s2x2_p0_d1x1_g1_b_n1_x4x4",
      });
      assert(
        report.summary.passed >= 1 && report.summary.failed === 0,
        JSON.stringify(report.summary),
      );
      const [impl0] = report.cases[0].impls;
      const tensors = impl0.checks.map((c) => c.tensor);
      if (name === "tfjs-cpu") {
        assertEquals(tensors, ["output_0", "grad_input_0", "grad_input_1", "grad_input_2"]);
      } else {
        // tfjs-wasm registers no Conv2DBackpropFilter: the weight gradient is omitted, not failed.
        assertEquals(tensors, ["output_0", "grad_input_0", "grad_input_2"]);
        assert(impl0.backwardSkipped?.includes("no Conv2DBackpropFilter kernel on wasm"));
      }
    });
    await t.step(`${name}: ceil mode keeps a window past the input (a finding)`, async () => {
      const report = await checkImplementation(impl, golden, {
        filter: "ort/avgpool1d_k1_s3_p0_ceil_n1_x3",
      });
      assertStrictEquals(report.summary.failed, 1);
      assert(report.cases[0].reason.includes("element count differs: actual 4, expected 2"));
    });
    await t.step(`${name}: grouped convolution is skipped with the reason`, async () => {
      const report = await checkImplementation(impl, golden, {
        filter: "torch/conv1d_k1_s1_p0_d2_g2_nb_n3_x4",
      });
      assertEquals(report.cases.map((c) => c.reason), [
        `${name}: groups 2 of 4 channels: tfjs has dense and depthwise convolution only`,
      ]);
    });
  }
});

Deno.test("onnxruntime peer", async (t) => {
  const impl = await createPeer("onnxruntime");
  await t.step("forward only: a conv passes, its gradients are skipped", async () => {
    const report = await checkImplementation(impl, golden, {
      filter: "torch/conv2d_k3x3_s2x2_p0_d1x1_g1_b_n1_x4x4",
    });
    assert(report.summary.passed >= 1 && report.summary.failed === 0);
    assertStrictEquals(report.cases[0].impls[0].backwardSkipped, "onnxruntime has no backward");
  });
  await t.step("SAME with stride > kernel fails (negative pads, a finding)", async () => {
    const report = await checkImplementation(impl, golden, {
      filter: "torch/avgpool1d_k1_s3_psame_n1_x3",
    });
    assert(report.cases[0].reason.includes("padding values must be non-negative"));
  });
});
