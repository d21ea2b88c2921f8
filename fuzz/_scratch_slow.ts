import { convTranspose, convTransposeBackward } from "../layers/conv_transpose.ts";
import { Tensor } from "../layers/tensor.ts";
for (const impl of ["reference", "fast"] as const) {
  const x = Tensor.full([1, 4, 4], 1), w = Tensor.full([4, 3, 1], 1);
  const o = { groups: 2, stride: 65536, impl };
  let t = performance.now();
  const y = convTranspose(x, w, o);
  console.log(impl, "fwd", (performance.now() - t).toFixed(0), y.shape);
  t = performance.now();
  convTransposeBackward(Tensor.full(y.shape, 1), { input: x, weight: w }, o);
  console.log(impl, "bwd", (performance.now() - t).toFixed(0));
}
