import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { checkGradOutput, checkShape, checkTensor, keptByForward } from "./_checks.ts";
import { Tensor } from "./tensor.ts";

Deno.test("checkTensor()", async (t) => {
  await t.step("a Tensor passes", () => {
    checkTensor("op", "input", Tensor.zeros([2]));
  });
  await t.step("non-tensors name the argument and the type", () => {
    const cases: [unknown, string][] = [
      [null, "got null"],
      [undefined, "got undefined"],
      [3, "got number"],
      [[1, 2], "got object"],
      [new Float32Array(2), "got object"],
    ];
    for (const [value, got] of cases) {
      assertThrows(
        () => checkTensor("relu", "saved.input", value),
        TypeError,
        `Cannot compute relu: saved.input must be a Tensor, ${got}`,
      );
    }
  });
});

Deno.test("checkShape()", async (t) => {
  await t.step("equal shapes pass, including [] and a zero-size axis", () => {
    checkShape("op", "gradOutput", [2, 3], "output", [2, 3]);
    checkShape("op", "gradOutput", [], "output", []);
    checkShape("op", "gradOutput", [0, 4], "output", [0, 4]);
  });
  await t.step("different sizes or ranks name both shapes", () => {
    assertThrows(
      () => checkShape("pad", "gradOutput", [2, 4], "output", [2, 3]),
      TypeError,
      "Cannot compute pad: gradOutput shape [2, 4] must equal output shape [2, 3]",
    );
    // Same leading sizes but a missing axis is a mismatch, in both directions.
    assertThrows(
      () => checkShape("op", "gradOutput", [2], "input", [2, 1]),
      TypeError,
      "gradOutput shape [2] must equal input shape [2, 1]",
    );
    assertThrows(
      () => checkShape("op", "gradOutput", [2, 1], "mask", [2]),
      TypeError,
      "gradOutput shape [2, 1] must equal mask shape [2]",
    );
  });
});

Deno.test("checkGradOutput()", async (t) => {
  await t.step("a tensor of the expected shape passes", () => {
    checkGradOutput("op", Tensor.zeros([1, 2]), "output", [1, 2]);
  });
  await t.step("not a tensor: type error before any shape check", () => {
    assertThrows(
      () => checkGradOutput("tanhBackward", "g", "output", [1]),
      TypeError,
      "Cannot compute tanhBackward: gradOutput must be a Tensor, got string",
    );
  });
  await t.step("wrong shape names the saved tensor", () => {
    assertThrows(
      () => checkGradOutput("dropoutBackward", Tensor.zeros([3]), "mask", [2]),
      TypeError,
      "Cannot compute dropoutBackward: gradOutput shape [3] must equal mask shape [2]",
    );
  });
});

Deno.test("keptByForward()", async (t) => {
  await t.step("returns what forward kept, even a falsy value", () => {
    const x = Tensor.zeros([1]);
    assertStrictEquals(keptByForward("ReLU", x), x);
    assertStrictEquals(keptByForward("M", 0), 0);
    assertStrictEquals(keptByForward("M", null), null);
  });
  await t.step("nothing kept: a plain Error naming the module", () => {
    const error = assertThrows(
      () => keptByForward("Conv2d", undefined),
      Error,
      "Cannot compute Conv2d.backward: call forward first",
    );
    // A call-order mistake, not a bad argument: neither TypeError nor RangeError.
    assertEquals(error.constructor, Error);
  });
});
