// Our own reference layers behind the layer-function level of the adapter interface: the
// resolved params (explicit begin/end pads, per-axis strides, ceil mode, ...) go back into the
// layers as options. Run over the goldens it checks that the harness resolves every ONNX
// attribute combination the way the goldens mean it, independently of the GraphExecutor's own
// attribute handling.

import { avgPool, avgPoolBackward } from "../layers/avg_pool.ts";
import { conv, convBackward } from "../layers/conv.ts";
import { convTranspose, convTransposeBackward } from "../layers/conv_transpose.ts";
import { maxPool, maxPoolBackward } from "../layers/max_pool.ts";
import { Tensor } from "../layers/tensor.ts";
import type {
  AvgPoolParams,
  ConvParams,
  ConvTransposeParams,
  FloatTensor,
  Implementation,
  PoolParams,
} from "./adapter.ts";

const tensor = (t: FloatTensor) => new Tensor(t.data, t.shape);
const tensorOrNone = (t: FloatTensor | undefined) => (t === undefined ? undefined : tensor(t));

function convOptions(p: ConvParams, bias: FloatTensor | undefined) {
  return {
    stride: p.stride,
    dilation: p.dilation,
    padding: [...p.padBegin, ...p.padEnd],
    groups: p.groups,
    bias: tensorOrNone(bias),
    impl: "reference" as const,
  };
}

function transposeOptions(p: ConvTransposeParams, bias: FloatTensor | undefined) {
  return { ...convOptions(p, bias), outputPadding: p.outputPadding };
}

function poolOptions(p: PoolParams) {
  return {
    kernelSize: p.kernel,
    stride: p.stride,
    dilation: p.dilation,
    padding: [...p.padBegin, ...p.padEnd],
    ceilMode: p.ceilMode,
    impl: "reference" as const,
  };
}

/** The reference layers as a layer-level adapter named `name`. */
export function layerAdapter(name = "layers"): Implementation {
  return {
    name,
    conv: (x, w, b, p) => conv(tensor(x), tensor(w), convOptions(p, b)),
    convBackward: (g, x, w, b, p) =>
      convBackward(tensor(g), { input: tensor(x), weight: tensor(w) }, convOptions(p, b)),
    convTranspose: (x, w, b, p) => convTranspose(tensor(x), tensor(w), transposeOptions(p, b)),
    convTransposeBackward: (g, x, w, b, p) =>
      convTransposeBackward(
        tensor(g),
        { input: tensor(x), weight: tensor(w) },
        transposeOptions(p, b),
      ),
    maxPool: (x, p) => maxPool(tensor(x), poolOptions(p)),
    maxPoolBackward: (g, x, p) =>
      maxPoolBackward(tensor(g), { input: tensor(x) }, poolOptions(p)).input,
    avgPool: (x, p: AvgPoolParams) =>
      avgPool(tensor(x), { ...poolOptions(p), countIncludePad: p.countIncludePad }),
    avgPoolBackward: (g, x, p: AvgPoolParams) =>
      avgPoolBackward(tensor(g), { input: tensor(x) }, {
        ...poolOptions(p),
        countIncludePad: p.countIncludePad,
      }).input,
  };
}
