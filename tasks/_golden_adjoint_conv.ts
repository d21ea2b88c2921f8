// Adjoints of Conv and ConvTranspose as ONNX graphs; pads and sizes from _golden_spec.ts (the
// ONNX spec formulas), never from layers/_geometry.ts.

import type { GridCase } from "../conformance/grid.ts";
import type { _AdjointPlan } from "./_golden_adjoint.ts";
import {
  _absIf,
  _adjointGraph,
  type _Body,
  _lengths,
  _prod,
  _range,
  _shapeMismatch,
  type _Shapes,
} from "./_golden_adjoint_util.ts";
import type { _Graph } from "./_golden_graph.ts";
import { _convOut, _convPads, _convTransposePads, _window } from "./_golden_spec.ts";

// ---------------------------------------------------------------------------------------------
// Convolution: dX = ConvTranspose(dY, W), dW = per-group Conv of transposed tensors, dB = Σ dY.

export function _conv(c: GridCase, shapes: _Shapes, outShape: readonly number[]): _AdjointPlan {
  const [xs, ws] = shapes;
  const rank = xs.length - 2;
  const kernel = ws.slice(2);
  const inSizes = xs.slice(2);
  const groups = Number(c.attributes.group ?? 1);
  const hasBias = shapes.length > 2;
  const cin = xs[1], cout = ws[0], n = xs[0];
  const forwardN = (cin / groups) * _prod(kernel) + (hasBias ? 1 : 0);
  const pads = _convPads(c.attributes, inSizes, kernel);
  const out = _convOut(c.attributes, inSizes, kernel, pads);
  if (out.join() !== outShape.slice(2).join()) {
    const reason = _shapeMismatch("Conv", out, outShape.slice(2));
    return { kind: "none", reason, forwardN, offSpec: true };
  }
  const { strides, dilations, effective } = _window(c.attributes, kernel);
  // Input rows at the end that no window reaches (0 ≤ rest < stride): ConvTranspose's
  // output_padding restores them, so dX has X's size.
  const rest = inSizes.map((size, i) =>
    size + pads.begin[i] + pads.end[i] - effective[i] - strides[i] * (out[i] - 1)
  );
  const spatial = _range(2, 2 + rank);
  const perm = [1, 0, ...spatial];
  const explicitPads = [...pads.begin, ...pads.end];
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const x = _absIf(g, magnitude, "X"), w = _absIf(g, magnitude, "W");
    const dy = _absIf(g, magnitude, "dY");
    const grads: Record<number, string> = {};
    grads[0] = g.op("ConvTranspose", [dy, w], {
      kernel_shape: kernel,
      strides,
      dilations,
      group: groups,
      pads: explicitPads,
      output_padding: rest,
    });
    // dW[co, ci, k] = Σ_n Σ_o dY[n, co, o]·Xpad[n, ci, o·s + k·d]: a convolution of X (channels
    // as batch, batch as channels) with dY as the kernel, stride ↔ dilation swapped, per group.
    const xt = g.transpose(x, perm), dyt = g.transpose(dy, perm);
    const cinG = cin / groups, coutG = cout / groups;
    const parts: string[] = [];
    for (let k = 0; k < groups; k++) {
      const xg = g.slice(xt, [k * cinG], [(k + 1) * cinG], [0]);
      const dyg = g.slice(dyt, [k * coutG], [(k + 1) * coutG], [0]);
      const r = g.op("Conv", [xg, dyg], {
        strides: dilations,
        dilations: strides,
        pads: explicitPads,
      });
      parts.push(g.transpose(g.slice(r, kernel.map(() => 0), kernel, spatial), perm));
    }
    grads[1] = parts.length === 1 ? parts[0] : g.op("Concat", parts, { axis: 0 });
    if (hasBias) grads[2] = g.reduceSum(dy, [0, ...spatial]);
    return { grads };
  };
  const outElements = n * _prod(outShape.slice(2));
  return {
    kind: "graph",
    method: "adjoint: ConvTranspose + per-group Conv + ReduceSum",
    model: _adjointGraph(c, outShape, body, true),
    grads: hasBias ? [0, 1, 2] : [0, 1],
    gradN: _lengths(
      [(cout / groups) * _prod(kernel), outElements],
      hasBias ? outElements : undefined,
    ),
    forwardN,
    forwardMagnitude: "abs-inputs",
    euler: hasBias ? [[0, 2], [1, 2]] : [[0], [1]],
  };
}

// ---------------------------------------------------------------------------------------------
// Transposed convolution: dX = Conv(dY, W), dW = per-group Conv(dYᵀ, Xᵀ), dB = Σ dY.

export function _convTranspose(
  c: GridCase,
  shapes: _Shapes,
  outShape: readonly number[],
): _AdjointPlan {
  const [xs, ws] = shapes;
  const rank = xs.length - 2;
  const kernel = ws.slice(2);
  const inSizes = xs.slice(2);
  const groups = Number(c.attributes.group ?? 1);
  const hasBias = shapes.length > 2;
  const n = xs[0], cin = xs[1], coutG = ws[1];
  const forwardN = (cin / groups) * _prod(kernel) + (hasBias ? 1 : 0);
  const pads = _convTransposePads(c.attributes, inSizes, kernel);
  if (pads === undefined) {
    const wanted = inSizes.map((size, i) => size * _window(c.attributes, kernel).strides[i]);
    return {
      kind: "none",
      reason: `ConvTranspose ${c.attributes.auto_pad} with a negative total padding (effective ` +
        `kernel + output_padding < stride): the spec's output in·stride = [${wanted.join(", ")}] ` +
        `is unreachable; ONNX Runtime clamps the pads to 0 and emits ` +
        `[${outShape.slice(2).join(", ")}]; PyTorch has no such mode`,
      forwardN,
      offSpec: true,
    };
  }
  if (pads.out.join() !== outShape.slice(2).join()) {
    const reason = _shapeMismatch("ConvTranspose", pads.out, outShape.slice(2));
    return { kind: "none", reason, forwardN, offSpec: true };
  }
  const { strides, dilations } = _window(c.attributes, kernel);
  const spatial = _range(2, 2 + rank);
  const perm = [1, 0, ...spatial];
  const explicitPads = [...pads.begin, ...pads.end];
  const body = (g: _Graph, magnitude: boolean): _Body => {
    const x = _absIf(g, magnitude, "X"), w = _absIf(g, magnitude, "W");
    const dy = _absIf(g, magnitude, "dY");
    const grads: Record<number, string> = {};
    // The forward scatters x[i]·w[k] to i·s + k·d − padBegin; gathering it back is a Conv with
    // the same pads. Output padding ≥ stride (possible through output_shape or dilation) makes
    // that Conv longer than X: slice.
    const dx = g.op("Conv", [dy, w], {
      kernel_shape: kernel,
      strides,
      dilations,
      group: groups,
      pads: explicitPads,
    });
    grads[0] = g.slice(dx, inSizes.map(() => 0), inSizes, spatial);
    // dW[ci, co, k] = Σ_n Σ_i X[n, ci, i]·dYpad[n, co, i·s + k·d]: dY (channels as batch)
    // convolved with X as the kernel, stride ↔ dilation swapped, per group.
    const xt = g.transpose(x, perm), dyt = g.transpose(dy, perm);
    const cinG = cin / groups;
    const parts: string[] = [];
    for (let k = 0; k < groups; k++) {
      const xg = g.slice(xt, [k * cinG], [(k + 1) * cinG], [0]);
      const dyg = g.slice(dyt, [k * coutG], [(k + 1) * coutG], [0]);
      const r = g.op("Conv", [dyg, xg], {
        strides: dilations,
        dilations: strides,
        pads: explicitPads,
      });
      parts.push(g.transpose(g.slice(r, kernel.map(() => 0), kernel, spatial), perm));
    }
    grads[1] = parts.length === 1 ? parts[0] : g.op("Concat", parts, { axis: 0 });
    if (hasBias) grads[2] = g.reduceSum(dy, [0, ...spatial]);
    return { grads };
  };
  return {
    kind: "graph",
    method: "adjoint: Conv + per-group Conv + ReduceSum",
    model: _adjointGraph(c, outShape, body, true),
    grads: hasBias ? [0, 1, 2] : [0, 1],
    gradN: _lengths(
      [coutG * _prod(kernel), n * _prod(inSizes)],
      hasBias ? n * _prod(outShape.slice(2)) : undefined,
    ),
    forwardN,
    forwardMagnitude: "abs-inputs",
    euler: hasBias ? [[0, 2], [1, 2]] : [[0], [1]],
  };
}
