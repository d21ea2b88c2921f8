import { assert, assertEquals, assertThrows } from "@std/assert";
import { tolerance } from "../conformance/tolerance.ts";
import { Tensor } from "../layers/tensor.ts";
import { encodeModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { assertTensorClose, compareTensors } from "../testing/assert_tensor.ts";
import { resizeBilinear } from "./resize.ts";

// ONNX Runtime needs --allow-ffi (the project's test task grants it); without it the comparison
// steps are skipped with a note.
const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
if (!canRunOrt) {
  console.log("data/resize_test.ts: ONNX Runtime steps skipped (run with --allow-ffi)");
}

/** ONNX Runtime's Resize (linear, half_pixel, no antialias) of `x` to `size`. */
async function ortResize(x: Tensor, size: [number, number]): Promise<Tensor> {
  const ort = await import("onnxruntime-node");
  const bytes = encodeModel({
    opsetImports: { "": 17 },
    graph: {
      nodes: [{
        opType: "Resize",
        inputs: ["x", "", "", "sizes"],
        outputs: ["y"],
        attributes: { mode: "linear", coordinate_transformation_mode: "half_pixel" },
      }],
      initializers: [
        new OnnxTensor(BigInt64Array.from([...x.shape.slice(0, 2), ...size].map(BigInt)), [4], {
          name: "sizes",
        }),
      ],
      inputs: [{ name: "x", dtype: "float32", shape: [...x.shape] }],
      outputs: [{ name: "y", dtype: "float32" }],
    },
  });
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds = { x: new ort.Tensor("float32", x.data as Float32Array, [...x.shape]) };
    const y = (await session.run(feeds)).y;
    return new Tensor(y.data as Float32Array, y.dims);
  } finally {
    await session.release();
  }
}

Deno.test("resizeBilinear()", async (t) => {
  await t.step("x=[1,1,2,2] → 4×4: half-pixel weights 1/4, 3/4 (PyTorch's values)", () => {
    const y = resizeBilinear(new Tensor([0, 1, 2, 3], [1, 1, 2, 2]), [4, 4]);
    // Output 1 reads s = 1.5/2 − 0.5 = 0.25; output 0 reads −0.25, clamped to 0.
    assertEquals(Array.from(y.data), [
      0,
      0.25,
      0.75,
      1,
      0.5,
      0.75,
      1.25,
      1.5,
      1.5,
      1.75,
      2.25,
      2.5,
      2,
      2.25,
      2.75,
      3,
    ]);
    assertEquals(y.shape, [1, 1, 4, 4]);
  });

  await t.step("x=[1,1,3,5] → 2×3 (shrink, no antialias): exact on a linear ramp", () => {
    // x[r, c] = 5r + c is linear, so bilinear interpolation returns 5·s_r + s_c exactly, with
    // s_r = (o + 0.5)·1.5 − 0.5 ∈ {0.25, 1.75} and s_c = (o + 0.5)·5/3 − 0.5 ∈ {1/3, 2, 11/3}.
    const y = resizeBilinear(Tensor.arange([1, 1, 3, 5]).astype("float64"), [2, 3]);
    const expected = [0.25, 1.75].flatMap((r) => [1 / 3, 2, 11 / 3].map((c) => 5 * r + c));
    assertTensorClose(y, new Tensor(Float64Array.from(expected), [1, 1, 2, 3]), {
      rtol: 0,
      atol: 1e-14,
    });
  });

  await t.step("same size copies; channels and batch resize independently", () => {
    const x = Tensor.uniform([2, 3, 5, 4], { seed: 1 });
    const y = resizeBilinear(x, [5, 4]);
    assertEquals(Array.from(y.data), Array.from(x.data));
    assert(y.data !== x.data, "a copy, not a view");
    const big = resizeBilinear(x, [7, 9]);
    const plane = resizeBilinear(new Tensor(x.data.slice(20 * 4, 20 * 5), [1, 1, 5, 4]), [7, 9]);
    // Plane (n=1, c=1) is the 5th of 6.
    assertEquals(Array.from(big.data.subarray(63 * 4, 63 * 5)), Array.from(plane.data));
  });

  for (
    const [shape, size] of [
      [[2, 1, 28, 28], [32, 32]],
      [[1, 1, 28, 28], [64, 64]],
      [[1, 2, 28, 28], [14, 14]],
      [[1, 1, 5, 7], [3, 11]],
      [[1, 1, 1, 1], [3, 2]],
    ] as [number[], [number, number]][]
  ) {
    await t.step({
      name: `x=[${shape}] → ${size.join("×")} equals ONNX Runtime's Resize`,
      ignore: !canRunOrt,
      fn: async () => {
        const x = Tensor.uniform(shape, { seed: shape[2] * 100 + size[0] });
        const ours = resizeBilinear(x, size), ort = await ortResize(x, size);
        // Each output sums 4 float32 products of values in [0, 1]; the bound of the policy.
        const bound = tolerance(4, new Float64Array(ours.size).fill(1));
        assertTensorClose(ours, ort, bound);
        // A wrong answer it rejects: the same image resized with the taps shifted by one
        // output row (align_corners-style or off-by-one coordinate errors look like this).
        if (size[0] > 1 && shape[2] > 1) {
          const shifted = new Tensor(ours.data.slice(), ours.shape);
          const row = size[1];
          shifted.data.set(ours.data.subarray(row, 2 * row), 0);
          assert(!compareTensors(shifted, ort, bound).ok, "the tolerance must reject a row shift");
        }
      },
    });
  }

  await t.step("errors name the argument", () => {
    const x = Tensor.zeros([1, 1, 2, 2]);
    assertThrows(
      () => resizeBilinear(Tensor.zeros([2, 2]), [4, 4]),
      TypeError,
      "images must be [N, C, H, W], got shape [2, 2]",
    );
    assertThrows(
      () => resizeBilinear(x, [4] as unknown as [number, number]),
      TypeError,
      "size must be [height, width] integers, got [4]",
    );
    assertThrows(() => resizeBilinear(x, [0, 4]), RangeError, "size must be positive, got [0, 4]");
    assertThrows(
      () => resizeBilinear(Tensor.zeros([1, 1, 0, 2]), [4, 4]),
      RangeError,
      "non-empty spatial axes, got [1, 1, 0, 2]",
    );
    assertThrows(
      () => resizeBilinear(x, [2 ** 16, 2 ** 16]),
      RangeError,
      "more than the limit",
    );
    assertThrows(
      () => resizeBilinear("x" as unknown as Tensor, [4, 4]),
      TypeError,
      "images must be a Tensor",
    );
  });
});
