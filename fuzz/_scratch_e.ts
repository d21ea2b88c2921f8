import { conv, convBackward } from "../layers/conv.ts";
import { Tensor } from "../layers/tensor.ts";
const ints = (shape: number[], salt: number) => {
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = ((i * 7 + salt * 13) % 5) - 2;
  return t;
};
function check(name: string, xs: number[], ws: number[], o: Record<string, unknown>) {
  const x = ints(xs, 1), w = ints(ws, 2);
  const out: string[] = [];
  for (let rep = 0; rep < 2; rep++) {
    const r = conv(x, w, { ...o, impl: "reference" }), f = conv(x, w, { ...o, impl: "fast" });
    const g = ints(r.shape as number[], 4);
    const rb = convBackward(g, { input: x, weight: w }, { ...o, impl: "reference" });
    const fb = convBackward(g, { input: x, weight: w }, { ...o, impl: "fast" });
    out.push(
      `${r.data.join() === f.data.join()} ${rb.input.data.join() === fb.input.data.join()} ${
        rb.weight.data.join() === fb.weight.data.join()
      }`,
    );
  }
  console.log(name, out.join(" | "));
}
check("orig", [1, 6, 1, 5, 4], [2, 3, 1, 3, 2], {
  groups: 2,
  dilation: [2, 1, 1],
  padding: [0, 1, 0, 2, 0, 0],
});
check("noDpad", [1, 6, 1, 5, 4], [2, 3, 1, 3, 2], {
  groups: 2,
  dilation: [2, 1, 1],
  padding: [0, 1, 0, 0, 0, 0],
});
check("g1", [1, 3, 1, 5, 4], [1, 3, 1, 3, 2], { groups: 1, padding: [0, 1, 0, 2, 0, 0] });
check("2d-like Dpad", [1, 3, 1, 5, 4], [1, 3, 1, 3, 2], { padding: [1, 1, 0, 1, 0, 0] });
check("2d Hpad end", [1, 3, 5, 4], [1, 3, 3, 2], { padding: [1, 0, 3, 0] });
check("1d", [1, 3, 4], [1, 3, 2], { padding: [0, 3] });
