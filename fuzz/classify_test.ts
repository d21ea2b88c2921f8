import { assert, assertEquals } from "@std/assert";
import { OnnxFormatError } from "../onnx/format_error.ts";
import { classifyError, compareValues, passes } from "./classify.ts";

Deno.test("classifyError()", async (t) => {
  await t.step("the package's own errors are clean", () => {
    assertEquals(
      classifyError(new RangeError("Cannot compute conv2d: stride must be ...")),
      "clean-error",
    );
    assertEquals(
      classifyError(new OnnxFormatError("f", "graph", "Cannot decode f: bad")),
      "clean-error",
    );
  });
  await t.step("V8's allocation failures, even wrapped by the executor", () => {
    let thrown: unknown;
    try {
      new Float32Array(2 ** 40);
    } catch (error) {
      thrown = error;
    }
    assertEquals(classifyError(thrown), "allocation-failure");
    const wrapped = new RangeError(
      "Cannot run ONNX node #0 (Conv): Invalid typed array length: 5e20",
    );
    assertEquals(classifyError(wrapped), "allocation-failure");
  });
  await t.step("stack overflow and property access on undefined are internal", () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    let thrown: unknown;
    try {
      recurse(0);
    } catch (error) {
      thrown = error;
    }
    assertEquals(classifyError(thrown), "internal-error");
    let access: unknown;
    try {
      (undefined as unknown as { dims: number }).dims;
    } catch (error) {
      access = error;
    }
    assertEquals(classifyError(access), "internal-error");
    assertEquals(classifyError(new Error("Cannot compute x: plain Error")), "internal-error");
  });
  await t.step("a wasm trap", async () => {
    // (func (export "f") (result i32) i32.const 1 i32.const 0 i32.div_s)
    const bytes = new Uint8Array([
      0,
      97,
      115,
      109,
      1,
      0,
      0,
      0,
      1,
      5,
      1,
      96,
      0,
      1,
      127,
      3,
      2,
      1,
      0,
      7,
      5,
      1,
      1,
      102,
      0,
      0,
      10,
      9,
      1,
      7,
      0,
      65,
      1,
      65,
      0,
      109,
      11,
    ]);
    const { instance } = await WebAssembly.instantiate(bytes);
    let thrown: unknown;
    try {
      (instance.exports.f as () => number)();
    } catch (error) {
      thrown = error;
    }
    assertEquals(classifyError(thrown), "trap");
  });
  await t.step("only agreement and clean errors pass", () => {
    assert(passes("agreement") && passes("clean-error"));
    assert(!passes("timeout") && !passes("disagreement") && !passes("trap"));
  });
});

Deno.test("compareValues()", async (t) => {
  await t.step("accepts rounding, rejects the wrong answers the fuzzer is for", () => {
    assertEquals(compareValues([2 + 1e-6, -3], [2, -3]), undefined);
    // The reported ConvTranspose disagreement: a difference of ~2 on values of ~2.
    assert(compareValues([0.1, 2], [2.1, 2]) !== undefined);
    assert(compareValues([NaN], [0]) !== undefined);
    assert(compareValues([Infinity], [3e38]) !== undefined);
    assert(compareValues([-Infinity], [Infinity]) !== undefined);
    assert(compareValues([1, 2], [1]) !== undefined);
    assertEquals(compareValues([NaN, -Infinity], [NaN, -Infinity]), undefined);
  });
});
