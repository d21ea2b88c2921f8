// Split along `axis` (default 0; negative counts from the back at every opset: Split-2 leaves it
// unsaid, and ONNX's own test_GLU data, exported at opset 9, uses −1) into the node's outputs.
// The part sizes are the `split` attribute up to opset 12 (Split-1 also reads an optional second
// input) and an optional int64 input from 13; without them the axis splits into equal parts, one
// per output — which must divide it, except with Split-18's `num_outputs`, where every part has
// ceil(size / num_outputs) elements and the last takes the rest. Zero-size parts are allowed.
// Any element type flows; a float input's gradient is the outputs' gradients concatenated back.

import { formatShape } from "../../layers/_errors.ts";
import { Tensor } from "../../layers/tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { count, gather, intsOf, isFloat } from "./_data.ts";

/** Split-1..21. */
export const Split: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const { opset } = ctx;
    const splitInput = opset >= 13 || opset < 2;
    ctx.arity(splitInput ? [1, 2] : [1, 1], [1, Infinity]);
    ctx.known([
      "axis",
      ...(opset < 13 ? ["split"] : []),
      ...(opset >= 18 ? ["num_outputs"] : []),
    ]);
    const axisAttribute = ctx.int("axis", 0);
    const splitAttribute = opset < 13 ? ctx.ints("split") : undefined;
    const numOutputs = opset >= 18 ? ctx.int("num_outputs") : undefined;
    const outputs = ctx.node.outputs.length;
    if (numOutputs !== undefined) {
      if (ctx.has(1)) ctx.malformed("attribute.num_outputs", `num_outputs and split both given`);
      if (numOutputs !== outputs) {
        ctx.malformed(
          "attribute.num_outputs",
          `num_outputs ${numOutputs} must equal the number of outputs ${outputs}`,
        );
      }
    }
    return (inputs) => {
      const x = inputs[0];
      if (x === undefined) ctx.typeError(`input is required`);
      const rank = x.dims.length;
      const axis = ctx.axis("axis", axisAttribute, rank);
      const size = x.dims[axis];
      let parts = splitAttribute;
      if (splitInput && ctx.has(1)) {
        if (inputs[1]!.dims.length !== 1) {
          ctx.typeError(`split must be 1-D, got shape ${formatShape(inputs[1]!.dims)}`);
        }
        parts = intsOf(ctx, inputs[1], "split");
      }
      if (parts === undefined) {
        if (numOutputs !== undefined) {
          const chunk = Math.ceil(size / numOutputs);
          parts = Array.from(
            { length: outputs },
            (_, k) => Math.max(0, Math.min(chunk, size - k * chunk)),
          );
        } else {
          if (size % outputs !== 0) {
            ctx.rangeError(
              `axis ${axis} of size ${size} does not split into ${outputs} equal parts (input ` +
                `${formatShape(x.dims)}); give split sizes`,
            );
          }
          parts = new Array(outputs).fill(size / outputs);
        }
      }
      if (parts.length !== outputs) {
        ctx.typeError(`split ${formatShape(parts)} must have one size per output (${outputs})`);
      }
      if (parts.some((p) => !(p >= 0)) || parts.reduce((a, b) => a + b, 0) !== size) {
        ctx.rangeError(
          `split ${formatShape(parts)} must be non-negative sizes summing to axis ${axis}'s ` +
            `size ${size} (input ${formatShape(x.dims)})`,
        );
      }
      const outer = count(x.dims.slice(0, axis)), inner = count(x.dims.slice(axis + 1));
      let offset = 0;
      const maps = parts.map((p) => {
        const map = new Int32Array(outer * p * inner);
        for (let o = 0, at = 0; o < outer; o++) {
          const base = (o * size + offset) * inner;
          for (let t = 0; t < p * inner; t++) map[at++] = base + t;
        }
        offset += p;
        return map;
      });
      const shapes = parts.map((p) => x.dims.map((d, i) => (i === axis ? p : d)));
      const float = isFloat(x.dtype);
      const gradReduction: (number | undefined)[] = inputs.map(() => undefined);
      if (float) gradReduction[0] = 0;
      return {
        outputs: maps.map((map, k) => (ctx.wants(k) ? gather(x, map, shapes[k]) : undefined)),
        reduction: maps.map(() => 0),
        gradReduction,
        backward: float
          ? (grads) => {
            // Each input element belongs to exactly one part: place every part's gradient.
            const dx = Tensor.zeros(x.dims, x.dtype as "float32" | "float64");
            maps.forEach((map, k) => {
              const g = grads[k];
              if (g === undefined) return;
              for (let i = 0; i < map.length; i++) dx.data[map[i]] = g.data[i];
            });
            return [dx];
          }
          : undefined,
      };
    };
  },
};
