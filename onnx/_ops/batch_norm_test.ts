import { assertThrows } from "@std/assert";
import { GraphExecutor, UnsupportedOpError } from "../executor.ts";
import { assertValues, checkGradients, f64, nodeModel, rand, runNode } from "./_ops_test_util.ts";

// x: channel 0 = [1, 3], channel 1 = [2, 4] ([N=1, C=2, 1, 2]).
const x = f64([1, 3, 2, 4], [1, 2, 1, 2], "x");
const params = [
  f64([2, 1], [2], "scale"),
  f64([0, 1], [2], "bias"),
  f64([2, 3], [2], "mean"),
  f64([0.75, 3.75], [2], "var"),
];
const eps = { type: "float" as const, value: 0.25 };

Deno.test("BatchNormalization node", async (t) => {
  await t.step("inference: (x − mean)·scale/√(var + ε) + B", () => {
    const [y] = runNode({
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      attributes: { epsilon: eps },
    });
    // channel 0: (x − 2)·2/1; channel 1: (x − 3)·1/2 + 1.
    assertValues(y, [-2, 2, 0.5, 1.5]);
  });
  await t.step("absolute mode bounds x − mean by |x| + |mean|", () => {
    const spec = {
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      attributes: { epsilon: eps },
    };
    assertValues(runNode(spec, { absolute: true })[0], [6, 10, 3.5, 4.5]);
  });
  await t.step("training_mode (opset 15): batch statistics and running outputs", () => {
    const outputs = runNode({
      opType: "BatchNormalization",
      inputs: [x],
      initializers: params,
      outputs: ["y", "rm", "rv"],
      attributes: { epsilon: eps, momentum: { type: "float", value: 0.5 }, training_mode: 1 },
      opset: 15,
    });
    // Batch mean [2, 3], biased variance [1, 1]: (x − μ)/√(1 + 0.25)·scale + B.
    const s = 1 / Math.sqrt(1.25);
    assertValues(outputs[0], [-2 * s, 2 * s, -s + 1, s + 1]);
    assertValues(outputs[1], [2, 3]); // 0.5·mean + 0.5·batch mean
    assertValues(outputs[2], [0.875, 2.375]); // 0.5·var + 0.5·1 (biased)
  });
  await t.step(
    "training_mode = PyTorch's F.batch_norm(training=True, momentum 0.25) on both paths",
    () => {
      // [N=2, C=2, 1, 2]: 4 values per channel, the badly conditioned regime of PITFALLS. Y, dX,
      // dscale and dB printed by PyTorch 1.13 in float64 (autograd of F.batch_norm with g below).
      const xs = f64([1, 2, 4, 8, 3, -1, 0.5, 2], [2, 2, 1, 2], "x");
      const inits = [
        f64([1.5, -0.5], [2], "scale"),
        f64([0.25, 1], [2], "bias"),
        f64([0.5, -0.5], [2], "mean"),
        f64([2, 1], [2], "var"),
      ];
      const g = f64([1, -2, 0.5, 3, -1, 1, 2, 0.25], [2, 2, 1, 2]);
      for (const impl of ["reference", "fast"] as const) {
        const model = nodeModel({
          opType: "BatchNormalization",
          inputs: [xs],
          initializers: inits,
          outputs: ["y", "rm", "rv"],
          attributes: {
            epsilon: { type: "float", value: 2 ** -10 },
            momentum: { type: "float", value: 0.75 }, // ONNX momentum = 1 − PyTorch's 0.25
            training_mode: 1,
          },
          opset: 15,
        });
        const executor = new GraphExecutor(model, { impl });
        const [y, rm, rv] = executor.run([xs]);
        assertValues(y, [
          -0.0034897002097911134,
          1.0104691006293736,
          0.9333867669660538,
          0.22284561460396213,
          2.0244279014685382,
          -2.0314073018881205,
          1.555110275282884,
          1.2886573431470998,
        ]);
        // PyTorch's running_mean: 0.75·[0.5, −0.5] + 0.25·[1.25, 3.625].
        assertValues(rm, [0.6875, 0.53125]);
        // ONNX's running_var uses the biased batch variance [8.75/4, 31.6875/4]: 0.75·var +
        // 0.25·σ² = [2.046875, 2.73046875]. PyTorch's buffer uses the unbiased one (×4/3):
        // [2.2291666666666665, 3.390625] — ONNX Runtime and ONNX's test data agree with us.
        assertValues(rv, [2.046875, 2.73046875]);
        const grads = executor.backward([g, undefined, undefined]);
        assertValues(grads.inputs[0], [
          1.1009438876135196,
          -1.2749140611622296,
          0.18052407840513446,
          -0.11432685307163457,
          0.40506319341868013,
          -0.23109301986997022,
          -0.21651148138649592,
          0.15031425605299603,
        ]);
        assertValues(grads.initializers[0], [-3.8868420698834645, 2.3647697727050865]);
        assertValues(grads.initializers[1], [-1, 5.75]);
        // Y does not depend on the running statistics in training mode.
        assertValues(grads.initializers[2], [0, 0]);
        assertValues(grads.initializers[3], [0, 0]);
      }
    },
  );
  await t.step(
    "legacy training outputs (opset 9) and spatial = 0 (opset 7) are unsupported",
    () => {
      const legacy = nodeModel({
        opType: "BatchNormalization",
        inputs: [x],
        initializers: params,
        outputs: ["y", "m", "v"],
        opset: 9,
      });
      assertThrows(
        () => new GraphExecutor(legacy),
        UnsupportedOpError,
        "training outputs of BatchNormalization-9",
      );
      const spatial = nodeModel({
        opType: "BatchNormalization",
        inputs: [x],
        initializers: params,
        attributes: { spatial: 0 },
        opset: 7,
      });
      assertThrows(() => new GraphExecutor(spatial), UnsupportedOpError, "spatial = 0");
    },
  );
  await t.step("finite differences, inference: X, scale, B, mean and var", () => {
    const varPositive = rand([3], 93, "var");
    (varPositive.data as Float64Array).forEach((v, i, d) => (d[i] = v + 1.5));
    const model = nodeModel({
      opType: "BatchNormalization",
      inputs: [rand([2, 3, 2], 91, "x")],
      initializers: [
        rand([3], 92, "scale"),
        rand([3], 94, "bias"),
        rand([3], 95, "mean"),
        varPositive,
      ],
    });
    checkGradients(model, [rand([2, 3, 2], 91)]);
  });
  await t.step("finite differences, training: Y and the running outputs", () => {
    const varPositive = rand([3], 93, "var");
    (varPositive.data as Float64Array).forEach((v, i, d) => (d[i] = v + 1.5));
    const model = nodeModel({
      opType: "BatchNormalization",
      inputs: [rand([2, 3, 2], 96, "x")],
      initializers: [
        rand([3], 92, "scale"),
        rand([3], 94, "bias"),
        rand([3], 95, "mean"),
        varPositive,
      ],
      outputs: ["y", "rm", "rv"],
      attributes: { training_mode: 1 },
      opset: 15,
    });
    checkGradients(model, [rand([2, 3, 2], 96)], { tol: 1e-5 });
  });
});
