import { assertEquals, assertThrows } from "@std/assert";
import { Tensor } from "../layers/tensor.ts";
import { IMAGENET_MEAN, IMAGENET_STD, imageTransform } from "./image_transform.ts";
import { resizeBilinear } from "./resize.ts";

Deno.test("imageTransform()", async (t) => {
  await t.step("replicate to 3 channels, per-channel (x − mean) / std: exact values", () => {
    const f = imageTransform({ channels: 3, mean: [0.5, 0, 1], std: [0.5, 2, 0.25] });
    const y = f(new Tensor([1, 0.5, 0, 0.75], [1, 1, 2, 2]));
    assertEquals(y.shape, [1, 3, 2, 2]);
    // channel 0: (x − 0.5)/0.5; channel 1: x/2; channel 2: (x − 1)·4.
    assertEquals(Array.from(y.data), [1, 0, -1, 0.5, 0.5, 0.25, 0, 0.375, 0, -2, -4, -1]);
  });

  await t.step("resize first, then replicate: each channel is the resized grey plane", () => {
    const x = Tensor.uniform([2, 1, 28, 28], { seed: 4 });
    const y = imageTransform({ size: [32, 32], channels: 3 })(x);
    const r = resizeBilinear(x, [32, 32]);
    assertEquals(y.shape, [2, 3, 32, 32]);
    for (let n = 0; n < 2; n++) {
      const plane = Array.from(r.data.subarray(n * 1024, (n + 1) * 1024));
      for (let c = 0; c < 3; c++) {
        const at = (n * 3 + c) * 1024;
        assertEquals(Array.from(y.data.subarray(at, at + 1024)), plane, `n=${n} c=${c}`);
      }
    }
  });

  await t.step("ImageNet statistics; 3-channel input kept per channel; defaults copy", () => {
    const f = imageTransform({ channels: 3, mean: IMAGENET_MEAN, std: IMAGENET_STD });
    const y = f(Tensor.full([1, 3, 1, 1], 0.5));
    assertEquals(
      Array.from(y.data),
      [0, 1, 2].map((c) => Math.fround((0.5 - IMAGENET_MEAN[c]) / IMAGENET_STD[c])),
    );
    const x = Tensor.uniform([1, 2, 3, 3], { seed: 1 });
    assertEquals(Array.from(imageTransform()(x).data), Array.from(x.data));
  });

  await t.step("errors name the argument", () => {
    assertThrows(
      () => imageTransform({ channels: 3, mean: [0, 0] }),
      TypeError,
      "mean must have 1 or 3 entries (channels), got [0, 0]",
    );
    assertThrows(() => imageTransform({ std: [0] }), RangeError, "std entries must be positive");
    assertThrows(() => imageTransform({ channels: 0 }), RangeError, "channels must be a positive");
    assertThrows(() => imageTransform({ size: [0, 2] }), RangeError, "size must be positive");
    assertThrows(
      () => imageTransform({ channels: 3 })(Tensor.zeros([1, 2, 4, 4])),
      TypeError,
      "images must have 1 or 3 channels, got shape [1, 2, 4, 4]",
    );
    assertThrows(
      () => imageTransform()(Tensor.zeros([4, 4])),
      TypeError,
      "images must be [N, C, H, W], got shape [4, 4]",
    );
    assertThrows(
      () => imageTransform({ mean: [0, 0] })(Tensor.zeros([1, 3, 2, 2])),
      TypeError,
      "mean must have 1 or 3 entries (channels), got [0, 0]",
    );
  });
});
