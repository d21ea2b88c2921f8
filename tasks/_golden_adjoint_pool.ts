// Adjoints of MaxPool / GlobalMaxPool (Indices + scatter) and AveragePool / GlobalAveragePool
// (the transpose of the runtime's own Jacobian) as ONNX graphs: no pooling shape math at all.

import type { GridCase } from "../conformance/grid.ts";
import type { _AdjointPlan } from "./_golden_adjoint.ts";
import { _absIf, _adjointGraph, type _Body, _prod, type _Shapes } from "./_golden_adjoint_util.ts";
import type { _Graph } from "./_golden_graph.ts";

// ---------------------------------------------------------------------------------------------
// Pooling: Indices + scatter for max, the Jacobian transpose for average.

export function _maxPool(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const xs = shapes[0];
  const global = c.op === "GlobalMaxPool";
  const kernel = global ? xs.slice(2) : (c.attributes.kernel_shape as number[]);
  const attributes = global ? { kernel_shape: kernel } : { ...c.attributes };
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    // MaxPool's second output holds, per window, the flat index of its maximum in X.
    const [y, indices] = g.ops("MaxPool", ["X"], 2, attributes);
    const zeros = g.op("ConstantOfShape", [g.ints([_prod(xs)])]);
    const scattered = g.op("ScatterElements", [
      zeros,
      g.reshape(indices, [-1]),
      g.reshape(dy, [-1]),
    ], { axis: 0, reduction: "add" });
    return { grads: { 0: g.reshape(scattered, xs) }, extra: magnitude ? {} : { Yi: y } };
  };
  return {
    kind: "graph",
    method: "adjoint: MaxPool Indices + ScatterElements",
    model: _adjointGraph(c, outShape, body, true),
    grads: [0],
    // Overlapping windows add into one element: at most Πkernel terms.
    gradN: { 0: _prod(kernel) },
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: [[0]],
  };
}

export function _averagePool(
  c: GridCase,
  shapes: _Shapes,
  outShape: readonly number[],
): _AdjointPlan {
  const xs = shapes[0];
  const global = c.op === "GlobalAveragePool";
  const spatial = xs.slice(2);
  const probes = _prod(spatial);
  const kernel = global ? spatial : (c.attributes.kernel_shape as number[]);
  // AveragePool is linear and acts on every (n, c) plane alike: its Jacobian columns are the
  // pooled one-hot planes. ONNX Runtime's own AveragePool runs on a batch of `probes` one-hot
  // planes (EyeLike) and dY is contracted with the result: the exact transpose of the runtime's
  // map, divisors included, with no shape math of ours.
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    const eye = g.op("EyeLike", [g.op("ConstantOfShape", [g.ints([probes, probes])])]);
    const planes = g.reshape(eye, [probes, 1, ...spatial]);
    const pooled = g.op(c.op, [planes], global ? {} : { ...c.attributes });
    const jacobian = g.reshape(pooled, [probes, -1]); // [input position, output position]
    const flat = g.reshape(dy, [xs[0] * xs[1], -1]);
    return { grads: { 0: g.reshape(g.op("Gemm", [flat, jacobian], { transB: 1 }), xs) } };
  };
  return {
    kind: "graph",
    method: "adjoint: AveragePool Jacobian from one-hot probes + Gemm",
    model: _adjointGraph(c, outShape, body, true),
    grads: [0],
    gradN: { 0: _prod(kernel) },
    forwardN: _prod(kernel),
    forwardMagnitude: "abs-inputs",
    euler: [[0]],
  };
}
