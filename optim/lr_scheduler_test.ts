import { assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { StepLR } from "./lr_scheduler.ts";
import { SGD } from "./sgd.ts";
import { Parameter } from "../layers/module.ts";
import { Tensor } from "../layers/tensor.ts";

function lrs(lr: number, stepSize: number, gamma: number | undefined, epochs: number): number[] {
  const opt = new SGD([], { lr });
  const schedule = new StepLR(opt, gamma === undefined ? { stepSize } : { stepSize, gamma });
  const seen: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    seen.push(opt.lr);
    schedule.step();
  }
  return seen;
}

Deno.test("StepLR", async (t) => {
  await t.step("stepSize=2 gamma=0.5: lr = initial·gamma^floor(epoch/2), exact", () => {
    assertEquals(lrs(1, 2, 0.5, 7), [1, 1, 0.5, 0.5, 0.25, 0.25, 0.125]);
  });

  await t.step("stepSize=1 default gamma 0.1 follows the closed form to float64 rounding", () => {
    lrs(0.1, 1, undefined, 6).forEach((lr, epoch) => {
      const closed = 0.1 * 0.1 ** epoch;
      assertEquals(
        Math.abs(lr - closed) <= 1e-15 * closed,
        true,
        `epoch ${epoch}: ${lr} vs ${closed}`,
      );
    });
  });

  await t.step("float64 values equal torch 1.13's chainable StepLR exactly", () => {
    // torch.optim.lr_scheduler.StepLR(SGD(lr=0.05), step_size=3, gamma=0.7), lr per epoch:
    // the 10th differs from the closed form 0.05·0.7³ = 0.017149999999999995 in the last bit.
    assertEquals(lrs(0.05, 3, 0.7, 10), [
      0.05,
      0.05,
      0.05,
      0.034999999999999996,
      0.034999999999999996,
      0.034999999999999996,
      0.024499999999999997,
      0.024499999999999997,
      0.024499999999999997,
      0.01715,
    ]);
  });

  await t.step("the scheduled lr is the one optimizer.step() uses", () => {
    const w = new Parameter("w", Tensor.full([1], 0, "float64"));
    const opt = new SGD([w], { lr: 1 });
    const schedule = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    for (let epoch = 0; epoch < 3; epoch++) {
      w.grad.data[0] = -1;
      opt.step();
      schedule.step();
    }
    assertStrictEquals(w.value.data[0], 1 + 0.5 + 0.25);
    assertStrictEquals(schedule.epoch, 3);
    assertStrictEquals(schedule.lr, 0.125);
  });

  await t.step("errors", () => {
    const opt = new SGD([], { lr: 1 });
    assertThrows(
      () => new StepLR(opt, { stepSize: 0 }),
      RangeError,
      "StepLR: stepSize must be a positive integer, got 0",
    );
    assertThrows(() => new StepLR(opt, { stepSize: 1.5 }), RangeError, "got 1.5");
    assertThrows(
      () => new StepLR(opt, { stepSize: "2" as unknown as number }),
      TypeError,
      "stepSize must be a number",
    );
    assertThrows(
      () => new StepLR(opt, { stepSize: 1, gamma: -0.1 }),
      RangeError,
      "gamma must be finite and >= 0, got -0.1",
    );
  });
});
