import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { assertTensorClose, numericalGradient } from "../testing/mod.ts";
import { Dropout } from "./dropout.ts";
import { Flatten } from "./flatten.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";
import { ReLU } from "./relu.ts";
import { Sequential } from "./sequential.ts";
import { Tanh } from "./tanh.ts";
import { Tensor } from "./tensor.ts";

// Test double: multiplies by a constant and records the calls it sees.
class Scale extends Module {
  constructor(readonly factor: number, readonly log: string[]) {
    super();
  }
  forward(input: Tensor): Tensor {
    this.log.push(`f${this.factor}`);
    return new Tensor(input.data.map((v) => v * this.factor), input.shape);
  }
  backward(gradOutput: Tensor): Tensor {
    this.log.push(`b${this.factor}`);
    return new Tensor(gradOutput.data.map((v) => v * this.factor), gradOutput.shape);
  }
}

Deno.test("Sequential", async (t) => {
  await t.step("forward chains in order, backward in reverse", () => {
    const log: string[] = [];
    const model = new Sequential(new Scale(2, log), new Scale(3, log), new Scale(5, log));
    assertEquals(Array.from(model.forward(new Tensor([1, -1], [2])).data), [30, -30]);
    assertEquals(Array.from(model.backward(new Tensor([1, 2], [2])).data), [30, 60]);
    assertEquals(log, ["f2", "f3", "f5", "b5", "b3", "b2"]);
  });
  await t.step("array constructor and layers getter; empty is the identity", () => {
    const a = new ReLU(), b = new Tanh();
    const model = new Sequential([a, b]);
    assertEquals(model.layers.length, 2);
    assertStrictEquals(model.layers[0], a);
    assertStrictEquals(model.layers[1], b);
    const x = Tensor.zeros([2]);
    assertStrictEquals(new Sequential().forward(x), x);
    assertStrictEquals(new Sequential().backward(x), x);
  });
  await t.step("parameters() concatenates in layer order (weight before bias)", () => {
    const l1 = new Linear({ inFeatures: 4, outFeatures: 3 });
    const l2 = new Linear({ inFeatures: 3, outFeatures: 2, bias: false });
    const l3 = new Linear({ inFeatures: 2, outFeatures: 1 });
    const model = new Sequential(l1, new ReLU(), l2, l3);
    const params = model.parameters();
    const expected = [l1.weight, l1.bias, l2.weight, l3.weight, l3.bias];
    assertEquals(params.length, expected.length);
    params.forEach((p, i) => assertStrictEquals(p, expected[i]));
  });
  await t.step("train(mode)/eval() reach every child, nested too", () => {
    const drop = new Dropout({ p: 0.5 }), relu = new ReLU();
    const inner = new Sequential(drop);
    const model = new Sequential(relu, inner);
    assertStrictEquals(model.eval(), model);
    assert(![model, inner, drop, relu].some((m) => m.training));
    const x = Tensor.full([64], 1);
    assertEquals(Array.from(model.forward(x).data), Array.from(x.data), "dropout is off");
    model.train();
    assert([model, inner, drop, relu].every((m) => m.training));
    assert(model.forward(x).data.some((v) => v === 0), "dropout is on");
    model.train(false);
    assert(!drop.training);
  });
  await t.step(
    "float64 MLP: backward matches finite differences; grads accumulate; zeroGrad",
    () => {
      const l1 = new Linear({ inFeatures: 6, outFeatures: 4, seed: 1, dtype: "float64" });
      const l2 = new Linear({ inFeatures: 4, outFeatures: 3, seed: 2, dtype: "float64" });
      const model = new Sequential(new Flatten(), l1, new Tanh(), l2);
      const x = Tensor.randn([2, 3, 2], { seed: 3, dtype: "float64" });
      const g = Tensor.randn([2, 3], { seed: 4, dtype: "float64" });
      model.forward(x);
      const dx = model.backward(g);
      const grads = model.parameters().map((p) => Array.from(p.grad.data));
      assertTensorClose(dx, numericalGradient((v) => model.forward(v), x, g), {
        rtol: 1e-6,
        atol: 1e-9,
      });
      // dL/dW1 by finite differences on the weight itself.
      const num = numericalGradient(() => model.forward(x), l1.weight.value, g);
      assertTensorClose(l1.weight.grad, num, { rtol: 1e-6, atol: 1e-9 });
      model.forward(x);
      model.backward(g);
      model.parameters().forEach((p, i) => {
        assertTensorClose(p.grad, { shape: p.grad.shape, data: grads[i].map((v) => 2 * v) }, {
          rtol: 1e-12,
          atol: 0,
        });
      });
      model.zeroGrad();
      assert(model.parameters().every((p) => p.grad.data.every((v) => v === 0)));
    },
  );
  await t.step(
    "backwardParameters: the same parameter gradients as backward, no backward before the first parameter",
    () => {
      const x = Tensor.randn([3, 2, 2], { seed: 4 });
      const g = Tensor.randn([3, 5], { seed: 5 });
      const build = (log: string[]) =>
        new Sequential(
          new Scale(2, log),
          new Flatten(),
          new Linear({ inFeatures: 4, outFeatures: 6, seed: 1 }),
          new Scale(3, log),
          new Linear({ inFeatures: 6, outFeatures: 5, seed: 2 }),
        );
      const full: string[] = [], partial: string[] = [];
      const a = build(full), b = build(partial);
      a.forward(x);
      a.backward(g);
      b.forward(x);
      b.backwardParameters(g);
      assertEquals(full, ["f2", "f3", "b3", "b2"]);
      assertEquals(partial, ["f2", "f3", "b3"]);
      a.parameters().forEach((p, i) =>
        assertEquals(Array.from(b.parameters()[i].grad.data), Array.from(p.grad.data), p.name)
      );
      // A container without parameters runs no backward at all.
      const none: string[] = [];
      const c = new Sequential(new Scale(2, none), new Scale(3, none));
      c.forward(x);
      c.backwardParameters(Tensor.zeros([3, 2, 2]));
      assertEquals(none, ["f2", "f3"]);
    },
  );
  await t.step("errors", () => {
    assertThrows(
      () => new Sequential(new ReLU(), {} as Module),
      TypeError,
      "Cannot create Sequential: layer 1 must be a Module, got object",
    );
  });
});
