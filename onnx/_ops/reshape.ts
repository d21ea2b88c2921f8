// Ops that only relabel the shape: Flatten, Reshape (0 copies a dim unless allowzero, −1 is
// inferred), Squeeze, Unsqueeze (axes as attribute before opset 13, as input from 13) and
// Identity. Any element type flows through; a float input's gradient is the output gradient
// reshaped back.

import { formatShape } from "../../layers/_errors.ts";
import { flatten, flattenBackward } from "../../layers/flatten.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, NodeRun, OpKernel } from "./_context.ts";
import { count, intsOf, isFloat, reshaped, wrap } from "./_data.ts";

/** A node whose output is its first input under new dims. */
function viewRun(input: OnnxTensor, dims: readonly number[], inputCount: number): NodeRun {
  const float = isFloat(input.dtype);
  const gradReduction: (number | undefined)[] = new Array(inputCount).fill(undefined);
  if (float) gradReduction[0] = 0;
  return {
    outputs: [reshaped(input, dims)],
    reduction: [0],
    gradReduction,
    backward: float ? ([g]) => [g!.reshape(input.dims)] : undefined,
  };
}

function first(ctx: NodeContext, inputs: readonly (OnnxTensor | undefined)[]): OnnxTensor {
  const x = inputs[0];
  if (x === undefined) ctx.typeError(`input 0 is required`);
  return x;
}

/** Identity. */
export const Identity: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known([]);
    return (inputs) => {
      const x = first(ctx, inputs);
      return viewRun(x, x.dims, 1);
    };
  },
};

/** Flatten: `[Π shape[:axis], Π shape[axis:]]`, axis default 1. */
export const Flatten: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, 1], [1, 1]);
    ctx.known(["axis"]);
    const axisAttribute = ctx.int("axis", 1);
    return (inputs) => {
      const x = first(ctx, inputs);
      const rank = x.dims.length;
      const min = ctx.opset >= 11 ? -rank : 0;
      if (axisAttribute < min || axisAttribute > rank) {
        ctx.rangeError(`axis ${axisAttribute} must be in [${min}, ${rank}] for rank ${rank}`);
      }
      if (!isFloat(x.dtype)) {
        const axis = axisAttribute < 0 ? axisAttribute + rank : axisAttribute;
        return viewRun(x, [count(x.dims.slice(0, axis)), count(x.dims.slice(axis))], 1);
      }
      const input = x.toTensor(), options = { axis: axisAttribute };
      return {
        outputs: [wrap(flatten(input, options))],
        reduction: [0],
        gradReduction: [0],
        backward: ([g]) => [flattenBackward(g!, { input }, options).input],
      };
    };
  },
};

/**
 * Reshape-1..21: the shape is an attribute before opset 5 (same 0 and −1 rules), an int64 input
 * from 5; allowzero (opset 14) keeps a 0 as a 0.
 */
export const Reshape: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const legacy = ctx.opset < 5;
    ctx.arity(legacy ? [1, 1] : [2, 2], [1, 1]);
    ctx.known(legacy ? ["shape", ...ctx.consumedInputs()] : ctx.opset >= 14 ? ["allowzero"] : []);
    const allowZero = ctx.flag("allowzero", false);
    const shapeAttribute = legacy ? ctx.ints("shape") : undefined;
    if (legacy && shapeAttribute === undefined) ctx.malformed("attribute", `shape is required`);
    return (inputs) => {
      const x = first(ctx, inputs);
      const requested = shapeAttribute ?? intsOf(ctx, inputs[1], "shape");
      if (!legacy && inputs[1]!.dims.length !== 1) {
        ctx.typeError(`shape must be 1-D, got dims ${formatShape(inputs[1]!.dims)}`);
      }
      const dims = requested.map((d, i) => {
        if (d === 0 && !allowZero) {
          if (i >= x.dims.length) {
            ctx.typeError(
              `shape ${formatShape(requested)} copies axis ${i} (0) beyond the ` +
                `input rank ${x.dims.length}`,
            );
          }
          return x.dims[i];
        }
        return d;
      });
      const unknown = dims.flatMap((d, i) => (d === -1 ? [i] : []));
      if (unknown.length > 1 || dims.some((d) => d < -1)) {
        ctx.typeError(
          `shape ${formatShape(requested)} may hold at most one -1 and no other ` +
            `negative value`,
        );
      }
      if (unknown.length === 1) {
        const known = count(dims.filter((d) => d !== -1));
        if (known === 0 || x.size % known !== 0) {
          ctx.typeError(
            `cannot infer the -1 of shape ${formatShape(requested)} for input ` +
              formatShape(x.dims),
          );
        }
        dims[unknown[0]] = x.size / known;
      }
      if (count(dims) !== x.size) {
        ctx.typeError(
          `cannot reshape ${formatShape(x.dims)} (${x.size} elements) to ` +
            `${formatShape(dims)} (requested ${formatShape(requested)})`,
        );
      }
      return viewRun(x, dims, legacy ? 1 : 2);
    };
  },
};

/** The axes of Squeeze/Unsqueeze: attribute before opset 13, optional input from 13. */
function axesOf(
  ctx: NodeContext,
  inputs: readonly (OnnxTensor | undefined)[],
): number[] | undefined {
  if (ctx.opset < 13) return ctx.ints("axes");
  return ctx.has(1) ? intsOf(ctx, inputs[1], "axes") : undefined;
}

function normalizeAxes(ctx: NodeContext, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => ctx.axis("axes", a, rank));
  if (new Set(out).size !== out.length) ctx.typeError(`axes ${formatShape(axes)} repeat an axis`);
  return out;
}

/** Squeeze: removes the given size-1 axes, or every size-1 axis. */
export const Squeeze: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([1, ctx.opset >= 13 ? 2 : 1], [1, 1]);
    ctx.known(ctx.opset < 13 ? ["axes"] : []);
    return (inputs) => {
      const x = first(ctx, inputs);
      const given = axesOf(ctx, inputs);
      const rank = x.dims.length;
      const axes = given === undefined
        ? x.dims.flatMap((d, i) => (d === 1 ? [i] : []))
        : normalizeAxes(ctx, given, rank);
      for (const a of axes) {
        if (x.dims[a] !== 1) {
          ctx.typeError(
            `cannot squeeze axis ${a} of size ${x.dims[a]} (input ${formatShape(x.dims)})`,
          );
        }
      }
      return viewRun(x, x.dims.filter((_, i) => !axes.includes(i)), inputs.length);
    };
  },
};

/** Unsqueeze: inserts size-1 axes at the given positions of the output. */
export const Unsqueeze: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([ctx.opset >= 13 ? 2 : 1, ctx.opset >= 13 ? 2 : 1], [1, 1]);
    ctx.known(ctx.opset < 13 ? ["axes"] : []);
    if (ctx.opset < 13 && ctx.ints("axes") === undefined) {
      ctx.malformed("attribute", `axes is required`);
    }
    return (inputs) => {
      const x = first(ctx, inputs);
      const given = axesOf(ctx, inputs)!;
      const rank = x.dims.length + given.length;
      const axes = normalizeAxes(ctx, given, rank);
      const dims: number[] = [];
      let next = 0;
      for (let i = 0; i < rank; i++) dims.push(axes.includes(i) ? 1 : x.dims[next++]);
      return viewRun(x, dims, inputs.length);
    };
  },
};
