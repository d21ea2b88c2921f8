import { assertEquals, assertThrows } from "@std/assert";
import { transposedGeometry, windowGeometry } from "./_geometry.ts";

// Expected sizes are hand arithmetic from the formulas in PyTorch's Pool.h / ONNX's operator docs.
Deno.test("windowGeometry()", async (t) => {
  await t.step("floor: in 7 k3 s2 -> 3; s3 -> 2 (rows no window reaches)", () => {
    assertEquals(windowGeometry("conv", [7], [3], { stride: 2 }).outSize, [3]);
    assertEquals(windowGeometry("conv", [7], [3], { stride: 3 }).outSize, [2]);
  });
  await t.step("ceil: in 5 k2 s2 p1 -> 3 (not 4); in 9 k4 s4 p2 -> 3", () => {
    assertEquals(
      windowGeometry("pool", [5], [2], { stride: 2, padding: 1, ceilMode: true }).outSize,
      [3],
    );
    assertEquals(
      windowGeometry("pool", [9], [4], { stride: 4, padding: 2, ceilMode: true }).outSize,
      [3],
    );
  });
  await t.step("ceil: in 5 k1 s3 -> 2 (no window wholly outside)", () => {
    assertEquals(windowGeometry("pool", [5], [1], { stride: 3, ceilMode: true }).outSize, [2]);
  });
  await t.step("ceil: [1..5] k2 s2 -> 3", () => {
    assertEquals(windowGeometry("pool", [5], [2], { stride: 2, ceilMode: true }).outSize, [3]);
  });
  await t.step("same: k2 s2 in 5, upper puts the odd pad at the end, lower at the start", () => {
    const upper = windowGeometry("conv", [5], [2], { stride: 2, padding: "same" });
    assertEquals([upper.outSize, upper.padBegin, upper.padEnd], [[3], [0], [1]]);
    const lower = windowGeometry("conv", [5], [2], { stride: 2, padding: "same_lower" });
    assertEquals([lower.outSize, lower.padBegin, lower.padEnd], [[3], [1], [0]]);
  });
  await t.step("same: stride > kernel clamps the total pad at 0 (k1 s2 in 19/20, s3 in 4)", () => {
    for (const [n, s, out] of [[19, 2, 10], [20, 2, 10], [4, 3, 2]]) {
      const g = windowGeometry("conv", [n], [1], { stride: s, padding: "same" });
      assertEquals([g.outSize, g.padBegin, g.padEnd], [[out], [0], [0]]);
    }
  });
  await t.step("same: stride 5 on input 3 k3 -> 1 output, pads 0/0", () => {
    const g = windowGeometry("conv", [3], [3], { stride: 5, padding: "same" });
    assertEquals([g.outSize, g.padBegin, g.padEnd], [[1], [0], [0]]);
  });
  await t.step("same with dilation uses the effective kernel: k3 d2 in 6 -> pads 2/2", () => {
    const g = windowGeometry("conv", [6], [3], { dilation: 2, padding: "same" });
    assertEquals([g.outSize, g.effectiveKernel, g.padBegin, g.padEnd], [[6], [5], [2], [2]]);
  });
  await t.step("explicit pads in ONNX order [hb, wb, he, we]", () => {
    const g = windowGeometry("conv", [4, 5], [3, 3], { padding: [1, 0, 2, 1] });
    assertEquals([g.padBegin, g.padEnd, g.outSize], [[1, 0], [2, 1], [5, 4]]);
  });
  await t.step("errors name the argument, the rule and the value", () => {
    assertThrows(
      () => windowGeometry("conv2d", [4, 4], [3, 3], { stride: [1, 0] }),
      RangeError,
      "stride must be positive, got [1, 0]",
    );
    assertThrows(
      () => windowGeometry("conv2d", [4, 4], [3, 3], { padding: -1 }),
      RangeError,
      "padding must be non-negative, got -1",
    );
    assertThrows(
      () => windowGeometry("conv2d", [4, 4], [3, 3], { padding: [1, 2, 3] }),
      TypeError,
      "got [1, 2, 3]",
    );
    assertThrows(
      () => windowGeometry("conv2d", [2, 4], [3, 3]),
      RangeError,
      "output size must be at least 1 on spatial axis 0",
    );
    assertThrows(
      () => windowGeometry("conv2d", [4, 4], [3, 1.5]),
      TypeError,
      "kernelSize must contain integers",
    );
  });
});

Deno.test("transposedGeometry()", async (t) => {
  await t.step("in 3 k3 s2 p1 op1 d2 -> 8 (PyTorch formula)", () => {
    const g = transposedGeometry("convT", [3], [3], {
      stride: 2,
      padding: 1,
      outputPadding: 1,
      dilation: 2,
    });
    assertEquals([g.inSize, g.outSize], [[8], [3]]);
  });
  await t.step("same: output = in × stride; explicit output size derives pads", () => {
    const g = transposedGeometry("convT", [3], [3], { stride: 2, padding: "same" });
    // total = 2·2 + 0 + 3 − 6 = 1: SAME_UPPER puts it at the end.
    assertEquals([g.inSize, g.padBegin, g.padEnd], [[6], [0], [1]]);
    const h = transposedGeometry("convT", [3], [3], { stride: 2, outputSize: [7] });
    assertEquals([h.inSize, h.padBegin, h.padEnd], [[7], [0], [0]]);
  });
  await t.step("outputSize: odd total puts the extra pad first (ONNX spec; ORT 1.30)", () => {
    // natural size 2·2 + 3 = 7; requesting 6 leaves a total pad of 1.
    const g = transposedGeometry("convT", [3], [3], { stride: 2, outputSize: [6] });
    assertEquals([g.inSize, g.padBegin, g.padEnd], [[6], [1], [0]]);
  });
  await t.step("outputSize above the natural size adds the excess at the end, below stride", () => {
    const g = transposedGeometry("convT", [3], [3], { stride: 2, outputSize: [8] });
    assertEquals([g.inSize, g.padBegin, g.padEnd], [[8], [0], [0]]);
    assertThrows(
      () => transposedGeometry("convT", [3], [3], { stride: 2, outputSize: [9] }),
      RangeError,
      "by 2; the excess must be smaller than stride or dilation",
    );
    assertThrows(
      () => transposedGeometry("convT", [3], [1], { stride: 3, padding: "same" }),
      RangeError,
      "ONNX leaves a negative total padding undefined",
    );
  });
  await t.step("outputPadding must be smaller than stride or dilation", () => {
    assertThrows(
      () => transposedGeometry("convT", [3], [3], { stride: 2, outputPadding: 2 }),
      RangeError,
      "outputPadding must be smaller than stride or dilation",
    );
  });
});
