import { runLayerCase } from "./layer_calls.ts";
import { conv } from "../layers/conv.ts";
import { avgPool } from "../layers/avg_pool.ts";
import { Tensor } from "../layers/tensor.ts";
const ints = (shape: number[], salt: number) => {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = ((i * 7 + salt * 13) % 5) - 2;
  return t;
};
const p = {
  kernelSize: [1, 4, 2],
  stride: [2, 2, 100000],
  dilation: [1, 2, 3],
  padding: [2, 1, 2, 2, 1, 2],
  ceilMode: true,
  countIncludePad: true,
};
for (const impl of ["reference", "fast"] as const) {
  try {
    const y = avgPool(ints([2, 2, 5, 3, 5], 1), { ...p, impl });
    console.log(impl, y.shape);
  } catch (e) {
    console.log(impl, String(e));
  }
}
const x = ints([1, 6, 1, 5, 4], 1), w = ints([2, 3, 1, 3, 2], 2);
const o = { groups: 2, dilation: [2, 1, 1], padding: [0, 1, 0, 2, 0, 0] };
const r = conv(x, w, { ...o, impl: "reference" });
const f = conv(x, w, { ...o, impl: "fast" });
console.log(Array.from(r.data).join() === Array.from(f.data).join());
const A = {
  "op": "avgPool",
  "batch": 2,
  "channels": 2,
  "outChannels": 2,
  "groups": 1,
  "size": [5, 3, 5],
  "kernel": [1, 4, 2],
  "stride": [2, 2, 100000],
  "dilation": [1, 2, 3],
  "padding": [2, 1, 2, 2, 1, 2],
  "outputPadding": 0,
  "ceilMode": true,
  "countIncludePad": true,
  "bias": true,
  "dtype": "float32",
  "backward": false,
} as never;
const B = {
  "op": "conv",
  "batch": 1,
  "channels": 3,
  "outChannels": 1,
  "groups": 2,
  "size": [1, 5, 4],
  "kernel": [1, 3, 2],
  "dilation": [2, 1, 1],
  "padding": [0, 1, 0, 2, 0, 0],
  "outputPadding": 1,
  "outputSize": [9, 9, 1.5],
  "ceilMode": false,
  "bias": false,
  "dtype": "float32",
  "backward": true,
} as never;
console.log(runLayerCase(B));
console.log(runLayerCase(A));
console.log(runLayerCase(B));
