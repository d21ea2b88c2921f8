import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { Conv2d } from "./conv.ts";
import { ConvTranspose1d } from "./conv_transpose.ts";
import { Tensor } from "./tensor.ts";

// ConvNd and ConvTransposeNd hold a ConvModuleCore; these pin what their callers can see of it.
Deno.test("ConvModuleCore via Conv2d / ConvTranspose1d", async (t) => {
  await t.step("public fields: own keys, frozen options in the documented order", () => {
    const conv = new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 1, stride: 2 });
    assertEquals(Object.keys(conv), ["training", "weight", "bias", "options"]);
    assertEquals(Object.keys(conv.options), ["stride", "padding", "dilation", "groups", "impl"]);
    assert(Object.isFrozen(conv.options));
    assertEquals(conv.options.stride, 2);
    assertEquals(conv.options.groups, 1);
    const up = new ConvTranspose1d({ inChannels: 1, outChannels: 1, kernelSize: 2 });
    assertEquals(Object.keys(up.options), [
      "stride",
      "padding",
      "dilation",
      "outputPadding",
      "groups",
      "impl",
    ]);
  });
  await t.step("parameters() are the weight and bias fields themselves", () => {
    const conv = new Conv2d({ inChannels: 1, outChannels: 2, kernelSize: 1 });
    const [w, b] = conv.parameters();
    assertStrictEquals(w, conv.weight);
    assertStrictEquals(b, conv.bias);
  });
  await t.step("k=1 w=[2] b=[1], x=[1, 2]: passes read the parameters' current values", () => {
    const layer = new ConvTranspose1d({ inChannels: 1, outChannels: 1, kernelSize: 1 });
    layer.weight.value.data[0] = 2;
    layer.bias!.value.data[0] = 1;
    const y = layer.forward(new Tensor([1, 2], [1, 1, 2]));
    assertEquals(Array.from(y.data), [3, 5]); // 2x + 1
    const dx = layer.backward(new Tensor([1, 1], [1, 1, 2]));
    assertEquals(Array.from(dx.data), [2, 2]); // w
    assertEquals(Array.from(layer.weight.grad.data), [3]); // Σ x·g = 1 + 2
    assertEquals(Array.from(layer.bias!.grad.data), [2]); // Σ g
  });
  await t.step("errors keep the class name", () => {
    const layer = new ConvTranspose1d({ inChannels: 1, outChannels: 1, kernelSize: 1 });
    assertThrows(
      () => layer.backward(Tensor.zeros([1, 1, 2])),
      Error,
      "Cannot compute ConvTranspose1d.backward: call forward first",
    );
    assertThrows(
      () => layer.forward(Tensor.zeros([1, 2])),
      TypeError,
      "ConvTranspose1d: input must be a Tensor of rank 3 ([N, C, L]), got shape [1, 2]",
    );
  });
});
