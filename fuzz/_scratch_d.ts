import { conv } from "../layers/conv.ts";
import { Tensor } from "../layers/tensor.ts";
import { setGemmBackend } from "../layers/_gemm.ts";
const ints = (shape: number[], salt: number) => {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = ((i * 7 + salt * 13) % 5) - 2;
  return t;
};
const x = ints([1, 6, 1, 5, 4], 1), w = ints([2, 3, 1, 3, 2], 2);
const o = { groups: 2, dilation: [2, 1, 1], padding: [0, 1, 0, 2, 0, 0] };
const r = conv(x, w, { ...o, impl: "reference" });
const f = conv(x, w, { ...o, impl: "fast" });
setGemmBackend("ts");
const t = conv(x, w, { ...o, impl: "fast" });
console.log(
  r.shape,
  Array.from(r.data).join(),
  "\n",
  Array.from(f.data).join(),
  "\n",
  Array.from(t.data).join(),
);
