// Adjoints of the CNN operators beyond convolution and pooling — Clip, HardSigmoid, HardSwish,
// ReduceSum, ReduceMean, Gather, Split, Expand — as ONNX graphs. The derivative rules at the
// kinks are PyTorch's (hardtanh for Clip, hardsigmoid_backward, hardswish_backward), written as
// comparisons on ONNX Runtime's own inputs and outputs; reduced/broadcast shapes come from the
// ONNX spec formulas over the case's shapes.

import type { GridCase } from "../conformance/grid.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import type { _AdjointPlan } from "./_golden_adjoint.ts";
import {
  _absIf,
  _adjointGraph,
  type _Body,
  _prod,
  _range,
  type _Shapes,
} from "./_golden_adjoint_util.ts";
import type { _Graph } from "./_golden_graph.ts";

/** The literal int64 values of an input spec (axes, indices, split sizes, shapes). */
function literal(c: GridCase, name: string): number[] | undefined {
  const spec = c.inputs.find((s) => s.name === name);
  return spec && spec.fill.kind === "values" ? spec.fill.values : undefined;
}

// ---------------------------------------------------------------------------------------------
// Clip: dX = dY where min < X < max (0 at NaN); each other element's dY goes to the bound it
// reached, max first (min > max outputs max everywhere), a NaN element's nowhere.

export function _clip(c: GridCase, shapes: _Shapes): _AdjointPlan {
  const names = c.inputs.map((s) => s.name);
  const hasMin = names.includes("min"), hasMax = names.includes("max");
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    const zero = g.floats([0]);
    const atMin = hasMin ? g.op("LessOrEqual", ["X", "min"]) : undefined;
    let atMax = hasMax ? g.op("GreaterOrEqual", ["X", "max"]) : undefined;
    if (atMax && hasMin) {
      const crossed = g.op("Less", ["max", "min"]);
      const number = g.op("Equal", ["X", "X"]); // false at NaN
      atMax = g.op("Or", [atMax, g.op("And", [crossed, number])]);
    }
    const aboveMin = hasMin ? g.op("Greater", ["X", "min"]) : undefined;
    const belowMax = hasMax ? g.op("Less", ["X", "max"]) : undefined;
    const inside = aboveMin && belowMax ? g.op("And", [aboveMin, belowMax]) : aboveMin ?? belowMax!;
    const grads: Record<number, string> = { 0: g.op("Where", [inside, dy, zero]) };
    const sum = (mask: string) =>
      g.op("ReduceSum", [g.op("Where", [mask, dy, zero])], { keepdims: 0 });
    if (hasMin) {
      const mask = atMax ? g.op("And", [atMin!, g.op("Not", [atMax])]) : atMin!;
      grads[names.indexOf("min")] = sum(mask);
    }
    if (hasMax) grads[names.indexOf("max")] = sum(atMax!);
    return { grads };
  };
  const grads = _range(0, names.length);
  const count = _prod(shapes[0]);
  return {
    kind: "graph",
    method: "adjoint: Clip derivative",
    model: _adjointGraph(c, shapes[0], body, true),
    grads,
    gradN: Object.fromEntries(grads.map((i) => [i, i === 0 ? 0 : count])),
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    // clip(t·x, t·min, t·max) = t·clip(x, min, max) for t > 0.
    euler: [grads],
  };
}

// ---------------------------------------------------------------------------------------------
// HardSigmoid: dX = alpha·dY where 0 < Y < 1 (Y = HardSigmoid(X) run in the graph). HardSwish
// (PyTorch's vectorized rule): 0 below −3, dY from 3 on, dY·(X/3 + 1/2) between (NaN at NaN).

export function _hardActivation(c: GridCase, shapes: _Shapes): _AdjointPlan {
  const alpha = Number(c.attributes.alpha ?? 0.2), beta = Number(c.attributes.beta ?? 0.5);
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    const zero = g.floats([0]);
    if (c.op === "HardSigmoid") {
      const y = g.op("HardSigmoid", ["X"], {
        alpha: { type: "float", value: alpha },
        beta: { type: "float", value: beta },
      });
      const inside = g.op("And", [g.op("Greater", [y, zero]), g.op("Less", [y, g.floats([1])])]);
      const scaled = g.op("Mul", [dy, g.floats([magnitude ? Math.abs(alpha) : alpha])]);
      return { grads: { 0: g.op("Where", [inside, scaled, zero]) } };
    }
    const x = _absIf(g, magnitude, "X");
    const slope = g.op("Add", [g.op("Div", [x, g.floats([3])]), g.floats([0.5])]);
    const middle = g.op("Mul", [dy, slope]);
    const upper = g.op("Where", [g.op("GreaterOrEqual", ["X", g.floats([3])]), dy, middle]);
    return { grads: { 0: g.op("Where", [g.op("Less", ["X", g.floats([-3])]), zero, upper]) } };
  };
  return {
    kind: "graph",
    method: `adjoint: ${c.op} derivative`,
    model: _adjointGraph(c, shapes[0], body, false),
    grads: [0],
    gradN: { 0: 0 },
    // alpha·x + beta (and x·(x/6 + 1/2)) cancel near the lower kink: two roundings.
    forwardN: 2,
    forwardMagnitude: "abs-inputs",
    euler: [],
  };
}

// ---------------------------------------------------------------------------------------------
// ReduceSum / ReduceMean: dX = dY reshaped to the kept shape, expanded to X (÷ count for mean).

export function _reduce(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const xs = shapes[0];
  const rank = xs.length;
  const given = c.op === "ReduceSum" ? literal(c, "axes") : c.attributes.axes as number[];
  const noop = Number(c.attributes.noop_with_empty_axes ?? 0) === 1;
  const axes = (given ?? []).length === 0
    ? (noop ? [] : _range(0, rank))
    : given!.map((a) => (a < 0 ? a + rank : a));
  const kept = xs.map((d, i) => (axes.includes(i) ? 1 : d));
  const count = _prod(axes.map((a) => xs[a]));
  const mean = c.op === "ReduceMean";
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    let spread = g.op("Expand", [g.reshape(dy, kept), g.ints(xs)]);
    if (mean) spread = g.op("Div", [spread, g.floats([count])]);
    return { grads: { 0: spread } };
  };
  return {
    kind: "graph",
    method: `adjoint: ${c.op} broadcast`,
    model: _adjointGraph(c, outShape, body, false),
    grads: [0],
    gradN: { 0: 0 },
    forwardN: axes.length === 0 ? 0 : count,
    forwardMagnitude: "abs-inputs",
    euler: [[0]],
  };
}

// ---------------------------------------------------------------------------------------------
// Gather: dX = ScatterElements(zeros [outer, s, inner], indices expanded to [outer, k, inner],
// dY as [outer, k, inner], axis 1, reduction "add") reshaped to X: repeated indices add up.

export function _gather(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const xs = shapes[0];
  const attribute = Number(c.attributes.axis ?? 0);
  const axis = attribute < 0 ? attribute + xs.length : attribute;
  const indices = literal(c, "indices") ?? [];
  const outer = _prod(xs.slice(0, axis)), inner = _prod(xs.slice(axis + 1));
  const k = indices.length, size = xs[axis];
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = g.reshape(_absIf(g, magnitude, "dY"), [outer, k, inner]);
    const where = g.op("Expand", [g.reshape("indices", [1, k, 1]), g.ints([outer, k, inner])]);
    const zeros = g.op("ConstantOfShape", [g.ints([outer, size, inner])], {
      value: { type: "tensor", value: new OnnxTensor(new Float32Array([0]), [1]) },
    });
    const scattered = g.op("ScatterElements", [zeros, where, dy], { axis: 1, reduction: "add" });
    return { grads: { 0: g.reshape(scattered, xs) } };
  };
  const normalized = indices.map((i) => (i < 0 ? i + size : i));
  const repeats = Math.max(0, ...normalized.map((i) => normalized.filter((j) => j === i).length));
  return {
    kind: "graph",
    method: "adjoint: ScatterElements add",
    model: _adjointGraph(c, outShape, body, repeats > 1),
    grads: [0],
    gradN: { 0: repeats > 1 ? repeats : 0 },
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: [[0]],
  };
}

// ---------------------------------------------------------------------------------------------
// Split: dX = Concat(dY, dY1, ...) along the axis. Expand: dX = ReduceSum of dY over the axes X
// was broadcast along, reshaped to X.

export function _split(c: GridCase, shapes: _Shapes, outShapes: _Shapes): _AdjointPlan {
  const xs = shapes[0];
  const attribute = Number(c.attributes.axis ?? 0);
  const axis = attribute < 0 ? attribute + xs.length : attribute;
  const body = (g: _Graph): _Body => {
    const parts = outShapes.map((_, j) => (j === 0 ? "dY" : `dY${j}`));
    return { grads: { 0: g.op("Concat", parts, { axis }) } };
  };
  return {
    kind: "graph",
    method: "adjoint: Concat",
    model: _adjointGraph(c, outShapes[0], body, false, outShapes.slice(1)),
    grads: [0],
    gradN: { 0: 0 },
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: [], // the identity involves every output, the self-check reads the first only
  };
}

export function _expand(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const xs = shapes[0];
  const lead = outShape.length - xs.length;
  const axes = outShape.flatMap((d, i) => (i < lead || (xs[i - lead] === 1 && d !== 1) ? [i] : []));
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const dy = _absIf(g, magnitude, "dY");
    const summed = axes.length ? g.reduceSum(dy, axes, true) : dy;
    return { grads: { 0: g.reshape(summed, xs) } };
  };
  const n = _prod(axes.map((a) => outShape[a]));
  return {
    kind: "graph",
    method: "adjoint: ReduceSum over the broadcast axes",
    model: _adjointGraph(c, outShape, body, n > 1),
    grads: [0],
    gradN: { 0: n > 1 ? n : 0 },
    forwardN: 0,
    forwardMagnitude: "abs-inputs",
    euler: [[0]],
  };
}

// ---------------------------------------------------------------------------------------------
// BatchNormalization with training_mode = 1: batch statistics over all axes but 1, x̂ = (X − μ)·rstd
// with the biased variance; from Y: dB = ΣdY, dscale = Σ dY·x̂, dX = scale·rstd·(dY − mean(dY) −
// x̂·mean(dY·x̂)). The running outputs m·input + (1 − m)·batch statistic add (1 − m)/count·(dY1 +
// 2·dY2·(X − μ)) to dX and m·dY1, m·dY2 to input_mean and input_var.

export function _batchNormTraining(c: GridCase, shapes: _Shapes): _AdjointPlan {
  const xs = shapes[0];
  const eps = Number(c.attributes.epsilon ?? 1e-5);
  const axes = [0, ..._range(2, xs.length)];
  const broadcast = [1, xs[1], ...new Array(xs.length - 2).fill(1)];
  const count = xs[0] * _prod(xs.slice(2));
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const mean = g.op("ReduceMean", ["X"], { axes, keepdims: 1 });
    const centered = g.op("Sub", ["X", mean]);
    const variance = g.op("ReduceMean", [g.op("Mul", [centered, centered])], { axes, keepdims: 1 });
    const rstd = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [variance, g.floats([eps])])])]);
    const xhat = _absIf(g, magnitude, g.op("Mul", [centered, rstd]));
    const dy = _absIf(g, magnitude, "dY");
    const scale = g.reshape(_absIf(g, magnitude, "scale"), broadcast);
    const dyXhat = g.op("Mul", [dy, xhat]);
    const meanDy = g.op("ReduceMean", [dy], { axes, keepdims: 1 });
    const meanDyXhat = g.op("ReduceMean", [dyXhat], { axes, keepdims: 1 });
    // Magnitude pass: the two subtractions become additions.
    const op = magnitude ? "Add" : "Sub";
    const inner = g.op(op, [g.op(op, [dy, meanDy]), g.op("Mul", [xhat, meanDyXhat])]);
    const m = Number(c.attributes.momentum ?? 0.9);
    const dRunMean = _absIf(g, magnitude, "dY1"), dRunVar = _absIf(g, magnitude, "dY2");
    const twiceVar = g.op("Mul", [g.reshape(dRunVar, broadcast), g.floats([2])]);
    const perElement = g.op("Add", [
      g.reshape(dRunMean, broadcast),
      g.op("Mul", [twiceVar, _absIf(g, magnitude, centered)]),
    ]);
    const fromStats = g.op("Mul", [perElement, g.floats([(1 - m) / count])]);
    const fromY = g.op("Mul", [g.op("Mul", [scale, rstd]), inner]);
    const grads: Record<number, string> = {
      0: g.op("Add", [fromY, fromStats]),
      1: g.reduceSum(dyXhat, axes),
      2: g.reduceSum(dy, axes),
      3: g.op("Mul", [dRunMean, g.floats([m])]),
      4: g.op("Mul", [dRunVar, g.floats([m])]),
    };
    if (!magnitude) return { grads };
    // Forward magnitude (|X| + |μ|)·rstd·|scale| + |B|: Y can cancel to ~0.
    const spread = g.op("Add", [g.op("Abs", ["X"]), g.op("Abs", [mean])]);
    const mY = g.op("Add", [
      g.op("Mul", [g.op("Mul", [spread, rstd]), scale]),
      g.reshape(g.op("Abs", ["B"]), broadcast),
    ]);
    return { grads, extra: { mY } };
  };
  return {
    kind: "graph",
    method: "adjoint: training batch-norm formulas + ReduceMean",
    model: _adjointGraph(c, xs, body, true, [[xs[1]], [xs[1]]]),
    grads: [0, 1, 2, 3, 4],
    gradN: { 0: 2 * count, 1: count, 2: count, 3: 0, 4: 0 },
    forwardN: count + 4,
    forwardMagnitude: "graph",
    euler: [], // Euler's identity would need every output; the self-check reads the first only
  };
}
