import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Pad, pad, padBackward, type PadMode } from "./pad.ts";
import { Tensor } from "./tensor.ts";

const f64 = (values: number[], shape: number[]): Tensor =>
  new Tensor(new Float64Array(values), shape);

// The ONNX Pad operator documentation's data, [3, 2], padded with pads [0, 2, 0, 0].
const onnxData = (): Tensor => f64([1.0, 1.2, 2.3, 3.4, 4.5, 5.7], [3, 2]);

Deno.test("pad()", async (t) => {
  await t.step("ONNX doc, constant pads [0, 2, 0, 0]", () => {
    const y = pad(onnxData(), { pads: [0, 2, 0, 0] });
    assertTensorClose(y, f64([0, 0, 1.0, 1.2, 0, 0, 2.3, 3.4, 0, 0, 4.5, 5.7], [3, 4]), {
      rtol: 0,
      atol: 0,
    });
  });
  await t.step("ONNX doc, edge pads [0, 2, 0, 0]", () => {
    const y = pad(onnxData(), { pads: [0, 2, 0, 0], mode: "edge" });
    const want = [1.0, 1.0, 1.0, 1.2, 2.3, 2.3, 2.3, 3.4, 4.5, 4.5, 4.5, 5.7];
    assertTensorClose(y, f64(want, [3, 4]), { rtol: 0, atol: 0 });
  });
  await t.step("ONNX doc, reflect pads [0, 1, 0, 0] (pad < size)", () => {
    const y = pad(onnxData(), { pads: [0, 1, 0, 0], mode: "reflect" });
    assertTensorClose(y, f64([1.2, 1.0, 1.2, 3.4, 2.3, 3.4, 5.7, 4.5, 5.7], [3, 3]), {
      rtol: 0,
      atol: 0,
    });
  });
  await t.step("[[1, 2], [3, 4]] pads [1, 0, 0, 1] value 9 (begins then ends)", () => {
    const y = pad(f64([1, 2, 3, 4], [2, 2]), { pads: [1, 0, 0, 1], value: 9 });
    assertEquals(y.shape, [3, 3]);
    assertEquals(Array.from(y.data), [9, 9, 9, 1, 2, 9, 3, 4, 9]);
  });
  for (
    const [mode, want] of [
      ["constant", [0, 0, 1, 2, 3, 0, 0]],
      ["reflect", [3, 2, 1, 2, 3, 2, 1]],
      ["edge", [1, 1, 1, 2, 3, 3, 3]],
    ] as const
  ) {
    await t.step(`1-D [1, 2, 3] pads [2, 2] ${mode}`, () => {
      assertEquals(Array.from(pad(f64([1, 2, 3], [3]), { pads: [2, 2], mode }).data), [...want]);
    });
  }
  for (
    const [mode, pads, want] of [
      ["constant", [-1, -2], [2]],
      ["constant", [-1, 1], [2, 3, 4, 0]],
      ["reflect", [-1, 2], [2, 3, 4, 3, 2]],
      ["reflect", [2, -3], [3, 2, 1]],
      ["edge", [-2, 2], [3, 4, 4, 4]],
      ["edge", [-4, 1], [4]],
    ] as const
  ) {
    await t.step(`negative pads crop: [1, 2, 3, 4] pads [${pads}] ${mode}`, () => {
      assertEquals(Array.from(pad(f64([1, 2, 3, 4], [4]), { pads, mode }).data), [...want]);
    });
  }
  await t.step(
    "[1, 1, 2, 2] NCHW pads [0, 0, 1, 1, 0, 0, 1, 1] -> [1, 1, 4, 4] ring of zeros",
    () => {
      const y = pad(Tensor.full([1, 1, 2, 2], 1), { pads: [0, 0, 1, 1, 0, 0, 1, 1] });
      assertEquals(y.shape, [1, 1, 4, 4]);
      assertEquals(y.dtype, "float32");
      assertEquals(Array.from(y.data), [0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    },
  );
  await t.step("3-D reflect on every axis: x=arange [2, 2, 3] pads [1, 1, 1, 0, 0, 1]", () => {
    const x = Tensor.arange([2, 2, 3], { dtype: "float64" });
    const y = pad(x, { pads: [1, 1, 1, 0, 0, 1], mode: "reflect" });
    assertEquals(y.shape, [3, 3, 5]);
    // Output (a, b, c) reads input (r(a − 1), r(b − 1), r(c − 1)), r mirroring about the ends.
    const r = (i: number, n: number): number => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        for (let c = 0; c < 5; c++) {
          assertEquals(y.get(a, b, c), r(a - 1, 2) * 6 + r(b - 1, 2) * 3 + r(c - 1, 3));
        }
      }
    }
  });
  await t.step("rank 0, pads [] -> copy; NaN fill value; NaN/-0 input copied", () => {
    assertEquals(Array.from(pad(f64([5], []), { pads: [] }).data), [5]);
    const y = pad(f64([NaN, -0], [2]), { pads: [1, 0], value: NaN });
    [NaN, NaN, -0].forEach((e, i) => assertStrictEquals(y.data[i], e));
  });
  await t.step("empty axis: constant padding fills, reflect with zero pads is empty", () => {
    assertEquals(Array.from(pad(Tensor.zeros([0]), { pads: [1, 1], value: 3 }).data), [3, 3]);
    assertEquals(pad(Tensor.zeros([0]), { pads: [0, 0], mode: "reflect" }).shape, [0]);
  });
  await t.step("errors", () => {
    assertThrows(
      () => pad(Tensor.zeros([2, 3]), { pads: [1, 1] }),
      TypeError,
      "Cannot compute pad: pads must have 2 entries per input axis (4 for input shape [2, 3]), " +
        "got [1, 1]",
    );
    assertThrows(
      () => pad(Tensor.zeros([3]), { pads: [1, 0.5] }),
      TypeError,
      "pads must be an array of integers, got [1, 0.5]",
    );
    assertThrows(
      () => pad(Tensor.zeros([3]), { pads: [1, 1], mode: "wrap" as PadMode }),
      TypeError,
      'mode must be one of "constant", "reflect", "edge", got "wrap"',
    );
    // ONNX's own doc example reflects [0, 2] on a size-2 axis (repeated reflection); PyTorch and
    // we refuse a reflect pad that is not smaller than the axis.
    assertThrows(
      () => pad(onnxData(), { pads: [0, 2, 0, 0], mode: "reflect" }),
      RangeError,
      "reflect pads must be smaller than the axis they pad: axis 1 has size 2, " +
        "pads are [0, 2, 0, 0]",
    );
    assertThrows(
      () => pad(Tensor.zeros([3]), { pads: [-2, -2] }),
      RangeError,
      "pads [-2, -2] crop axis 0 (size 3) below zero: 3 + -2 + -2 = -1",
    );
    assertThrows(
      () => pad(Tensor.zeros([0]), { pads: [1, 0], mode: "edge" }),
      RangeError,
      "edge padding needs a non-empty axis: axis 0 has size 0",
    );
    assertThrows(
      () => pad(Tensor.zeros([1]), { pads: [0, 0], value: "1" as unknown as number }),
      TypeError,
      "value must be a number, got string",
    );
    assertThrows(
      () => pad(Tensor.zeros([1]), undefined as unknown as { pads: number[] }),
      TypeError,
      "options must be an object with pads",
    );
  });
});

Deno.test("padBackward()", async (t) => {
  await t.step(
    "reflect [1, 2, 3] pads [2, 2], g = 1: reads [2, 1, 0, 1, 2, 1, 0] -> [2, 3, 2]",
    () => {
      const g = padBackward(
        Tensor.full([7], 1, "float64"),
        { input: Tensor.zeros([3], "float64") },
        {
          pads: [2, 2],
          mode: "reflect",
        },
      );
      assertEquals(Array.from(g.input.data), [2, 3, 2]);
    },
  );
  await t.step("edge [2] pads [1, 2], g = [1, 2, 4, 8, 16] -> [1 + 2, 4 + 8 + 16]", () => {
    const g = padBackward(f64([1, 2, 4, 8, 16], [5]), { input: Tensor.zeros([2]) }, {
      pads: [1, 2],
      mode: "edge",
    });
    assertEquals(Array.from(g.input.data), [3, 28]);
    assertEquals(g.input.dtype, "float32");
  });
  await t.step("constant with crop: [3] pads [-1, 1], g = [a, b, c] -> [0, a, b]", () => {
    const g = padBackward(f64([1, 2, 4], [3]), { input: Tensor.zeros([3], "float64") }, {
      pads: [-1, 1],
    });
    assertEquals(Array.from(g.input.data), [0, 1, 2]);
  });
  for (
    const [mode, pads] of [
      ["constant", [1, 0, 2, 2, 1, 0]],
      ["reflect", [1, 2, 0, 1, 1, 2]],
      ["edge", [3, 0, 1, 0, 2, 2]],
      ["reflect", [-1, 1, 2, 1, -2, 1]],
      ["edge", [0, -1, 2, -1, 2, 0]],
      ["constant", [-1, 1, 0, 0, -1, 2]],
    ] as const
  ) {
    await t.step(`finite differences, float64 [3, 4, 3] pads [${pads}] ${mode}`, () => {
      const x = Tensor.randn([3, 4, 3], { seed: 1, dtype: "float64" });
      const y = pad(x, { pads, mode, value: 0.5 });
      const g = Tensor.randn(y.shape, { seed: 2, dtype: "float64" });
      const num = numericalGradient((v) => pad(v, { pads, mode, value: 0.5 }), x, g);
      assertTensorClose(padBackward(g, { input: x }, { pads, mode, value: 0.5 }).input, num, {
        rtol: 1e-6,
        atol: 1e-9,
      });
    });
  }
  await t.step("errors", () => {
    assertThrows(
      () => padBackward(Tensor.zeros([4]), { input: Tensor.zeros([3]) }, { pads: [1, 1] }),
      TypeError,
      "Cannot compute padBackward: gradOutput shape [4] must equal output shape [5]",
    );
    assertThrows(
      () =>
        padBackward(Tensor.zeros([4]), { input: Tensor.zeros([2]) }, {
          pads: [2, 0],
          mode: "reflect",
        }),
      RangeError,
      "Cannot compute padBackward: reflect pads must be smaller",
    );
  });
});

Deno.test("Pad", async (t) => {
  await t.step("forward/backward with frozen options; no parameters", () => {
    const pads = [1, 1];
    const layer = new Pad({ pads, mode: "reflect" });
    pads[0] = 0; // the module keeps its own copy
    assertEquals(layer.options, { pads: [1, 1], mode: "reflect", value: 0 });
    assertEquals(Array.from(layer.forward(f64([1, 2, 3], [3])).data), [2, 1, 2, 3, 2]);
    assertEquals(Array.from(layer.backward(f64([1, 1, 1, 1, 1], [5])).data), [1, 3, 1]);
    assertEquals(layer.parameters(), []);
  });
  await t.step("errors", () => {
    assertThrows(
      () => new Pad({ pads: [1], mode: "symmetric" as PadMode }),
      TypeError,
      "Cannot compute Pad: mode must be one of",
    );
    assertThrows(
      () => new Pad({ pads: [0, 0] }).backward(Tensor.zeros([1])),
      Error,
      "forward first",
    );
  });
});
