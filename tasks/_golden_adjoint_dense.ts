// Adjoints of Gemm, the activations, the two losses and inference batch normalization as ONNX
// graphs, from the standard derivative formulas.

import type { GridCase } from "../conformance/grid.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import type { _AdjointPlan } from "./_golden_adjoint.ts";
import {
  _absIf,
  _adjointGraph,
  type _Body,
  _lengths,
  _prod,
  _range,
  type _Shapes,
} from "./_golden_adjoint_util.ts";
import type { _Graph } from "./_golden_graph.ts";

// ---------------------------------------------------------------------------------------------
// Gemm: Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A, B' likewise.

export function _gemm(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const transA = Number(c.attributes.transA ?? 0), transB = Number(c.attributes.transB ?? 0);
  const alpha = Number(c.attributes.alpha ?? 1), beta = Number(c.attributes.beta ?? 1);
  const hasC = shapes.length > 2;
  const inner = transA ? shapes[0][0] : shapes[0][1];
  const [rows, cols] = outShape;
  // C broadcasts unidirectionally to [rows, cols]: sum dY over the axes C lacks or has as 1.
  const cShape = hasC ? shapes[2] : [];
  const cAligned = [...new Array(2 - cShape.length).fill(1), ...cShape];
  const cAxes = [0, 1].filter((i) => cAligned[i] === 1 && outShape[i] !== 1);
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const a = _absIf(g, magnitude, "A"), b = _absIf(g, magnitude, "B");
    const dy = _absIf(g, magnitude, "dY");
    const al = { type: "float" as const, value: magnitude ? Math.abs(alpha) : alpha };
    const grads: Record<number, string> = {};
    // dA' = alpha·dY·B'ᵀ, dB' = alpha·A'ᵀ·dY, transposed back where the node transposes.
    grads[0] = transA
      ? g.op("Gemm", [b, dy], { transA: transB, transB: 1, alpha: al })
      : g.op("Gemm", [dy, b], { transA: 0, transB: 1 - transB, alpha: al });
    grads[1] = transB
      ? g.op("Gemm", [dy, a], { transA: 1, transB: transA, alpha: al })
      : g.op("Gemm", [a, dy], { transA: 1 - transA, transB: 0, alpha: al });
    if (hasC) {
      let dc = cAxes.length ? g.reduceSum(dy, cAxes, true) : dy;
      if (beta !== 1) dc = g.op("Mul", [dc, g.floats([magnitude ? Math.abs(beta) : beta])]);
      grads[2] = g.reshape(dc, cShape);
    }
    return { grads };
  };
  return {
    kind: "graph",
    method: "adjoint: Gemm + ReduceSum",
    model: _adjointGraph(c, outShape, body, true),
    grads: hasC ? [0, 1, 2] : [0, 1],
    gradN: _lengths([cols, rows], hasC ? _prod(cAxes.map((i) => outShape[i])) : undefined),
    forwardN: inner + (hasC ? 1 : 0),
    forwardMagnitude: "abs-inputs",
    euler: hasC ? [[0, 2], [1, 2]] : [[0], [1]],
  };
}

// ---------------------------------------------------------------------------------------------
// Activations: derivative formulas, the forward recomputed by ONNX Runtime inside the graph.

export function _activation(c: GridCase, shapes: _Shapes): _AdjointPlan {
  const xs = shapes[0];
  const axisAttribute = Number(c.attributes.axis ?? -1);
  const axis = axisAttribute < 0 ? axisAttribute + xs.length : axisAttribute;
  const softmaxLike = c.op === "Softmax" || c.op === "LogSoftmax";
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const zero = g.floats([0]), one = g.floats([1]);
    const dy = _absIf(g, magnitude, "dY");
    // Magnitude pass (softmax-like only): the subtraction becomes an addition.
    const minus = magnitude ? "Add" : "Sub";
    switch (c.op) {
      case "Relu":
        return { grads: { 0: g.op("Where", [g.op("Greater", ["X", zero]), dy, zero]) } };
      case "LeakyRelu": {
        const alpha = g.floats([Number(c.attributes.alpha ?? 0.01)]);
        const negative = g.op("Mul", [dy, alpha]);
        return { grads: { 0: g.op("Where", [g.op("Greater", ["X", zero]), dy, negative]) } };
      }
      case "Sigmoid": {
        const y = g.op("Sigmoid", ["X"]);
        return { grads: { 0: g.op("Mul", [g.op("Mul", [dy, y]), g.op("Sub", [one, y])]) } };
      }
      case "Tanh": {
        const y = g.op("Tanh", ["X"]);
        return { grads: { 0: g.op("Mul", [dy, g.op("Sub", [one, g.op("Mul", [y, y])])]) } };
      }
      case "Softmax": {
        const y = g.op("Softmax", ["X"], { axis });
        const sum = g.reduceSum(g.op("Mul", [dy, y]), [axis], true);
        return { grads: { 0: g.op("Mul", [y, g.op(minus, [dy, sum])]) } };
      }
      default: {
        const p = g.op("Exp", [g.op("LogSoftmax", ["X"], { axis })]);
        const sum = g.reduceSum(dy, [axis], true);
        return { grads: { 0: g.op(minus, [dy, g.op("Mul", [p, sum])]) } };
      }
    }
  };
  return {
    kind: "graph",
    method: `adjoint: ${c.op} derivative`,
    model: _adjointGraph(c, xs, body, softmaxLike),
    grads: [0],
    gradN: { 0: softmaxLike ? xs[axis] : 0 },
    // Softmax / LogSoftmax forwards sum positive terms (exp): relative error ≤ n·u ≪ RTOL.
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: c.op === "Relu" || c.op === "LeakyRelu" ? [[0]] : [],
    ...(softmaxLike ? { shiftInvariantAxis: axis } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Losses: NegativeLogLikelihoodLoss is linear in X; SoftmaxCrossEntropyLoss = NLL(LogSoftmax(X)).

export function _loss(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const classes = shapes[0][1];
  const reduction = String(c.attributes.reduction ?? "mean");
  const ignore = c.attributes.ignore_index;
  const weighted = shapes.length > 2;
  const crossEntropy = c.op === "SoftmaxCrossEntropyLoss";
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    // Ignored targets: mask 0 and a safe class index (OneHot and Gather read −1 as the last).
    let target = "T";
    let mask = g.op("ConstantOfShape", [g.op("Shape", ["T"])], {
      value: { type: "tensor", value: new OnnxTensor(new Float32Array([1]), [1]) },
    });
    if (ignore !== undefined) {
      const ignored = g.op("Equal", ["T", g.ints([Number(ignore)])]);
      target = g.op("Where", [ignored, g.ints([0]), "T"]);
      mask = g.op("Cast", [g.op("Not", [ignored])], { to: 1 });
    }
    const coefficient = weighted
      ? g.op("Mul", [g.op("Gather", ["W", target], { axis: 0 }), mask])
      : mask; // [N, d...]
    // "none": dY has T's shape; "sum": a scalar; "mean": divided by Σ w[T] over kept targets.
    const scale = reduction === "mean"
      ? g.op("Div", [dy, g.op("ReduceSum", [coefficient], { keepdims: 0 })])
      : dy;
    const perTerm = g.op("Unsqueeze", [g.op("Mul", [coefficient, scale]), g.ints([1])]);
    const oneHot = g.op("OneHot", [target, g.ints([classes]), g.floats([0, 1], [2])], {
      axis: 1,
    });
    const dLogP = g.op("Mul", [oneHot, magnitude ? perTerm : g.op("Neg", [perTerm])]);
    if (!crossEntropy) return { grads: { 0: dLogP } };
    // Through LogSoftmax along the class axis: dX = dlogp − Softmax(X)·Σ_c dlogp.
    const p = g.op("Softmax", ["X"], { axis: 1 });
    const sum = g.reduceSum(dLogP, [1], true);
    return { grads: { 0: g.op(magnitude ? "Add" : "Sub", [dLogP, g.op("Mul", [p, sum])]) } };
  };
  return {
    kind: "graph",
    method: crossEntropy ? "adjoint: OneHot + Softmax" : "adjoint: OneHot",
    model: _adjointGraph(c, outShape, body, crossEntropy),
    grads: [0],
    gradN: { 0: crossEntropy ? classes : 0 },
    // Loss terms −w·logp are all ≥ 0: relative error ≤ n·u ≪ RTOL.
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: crossEntropy ? [] : [[0]],
    ...(crossEntropy ? { shiftInvariantAxis: 1 } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// BatchNormalization (inference): Y = (X − mean)·rstd·scale + B, rstd = 1/√(var + ε).

export function _batchNorm(c: GridCase, shapes: _Shapes): _AdjointPlan {
  const xs = shapes[0];
  const eps = Number(c.attributes.epsilon ?? 1e-5);
  const axes = [0, ..._range(2, xs.length)];
  const broadcast = [1, xs[1], ...new Array(xs.length - 2).fill(1)];
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY"), scale = _absIf(g, magnitude, "scale");
    const rstd = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", ["input_var", g.floats([eps])])])]);
    const centered = _absIf(g, magnitude, g.op("Sub", ["X", g.reshape("input_mean", broadcast)]));
    const scaleRstd = g.op("Mul", [scale, rstd]);
    const sumDy = g.reduceSum(dy, axes);
    const sumDyCentered = g.reduceSum(g.op("Mul", [dy, centered]), axes);
    const dMean = g.op("Mul", [sumDy, scaleRstd]);
    // d/dvar (var + ε)^(−1/2) = −½·rstd³.
    const halfRstd2 = g.op("Mul", [g.op("Mul", [rstd, rstd]), g.floats([magnitude ? 0.5 : -0.5])]);
    const grads: Record<number, string> = {
      0: g.op("Mul", [dy, g.reshape(scaleRstd, broadcast)]),
      1: g.op("Mul", [sumDyCentered, rstd]),
      2: sumDy,
      3: magnitude ? dMean : g.op("Neg", [dMean]),
      4: g.op("Mul", [g.op("Mul", [sumDyCentered, scaleRstd]), halfRstd2]),
    };
    if (!magnitude) return { grads };
    // Forward magnitude |X − mean|·rstd·|scale| + |B|: Y can cancel to ~0.
    const scaled = g.op("Mul", [centered, g.reshape(scaleRstd, broadcast)]);
    const mY = g.op("Add", [scaled, g.reshape(_absIf(g, true, "B"), broadcast)]);
    return { grads, extra: { mY } };
  };
  const reduced = xs[0] * _prod(xs.slice(2));
  return {
    kind: "graph",
    method: "adjoint: batch-norm formulas + ReduceSum",
    model: _adjointGraph(c, xs, body, true),
    grads: [0, 1, 2, 3, 4],
    gradN: { 0: 0, 1: reduced, 2: reduced, 3: reduced, 4: reduced },
    // (X − mean)·rstd·scale + B: three roundings that can cancel.
    forwardN: 3,
    forwardMagnitude: "graph",
    // Homogeneous of degree 1 in (X, mean, B) and in (scale, B).
    euler: [[0, 3, 2], [1, 2]],
  };
}
