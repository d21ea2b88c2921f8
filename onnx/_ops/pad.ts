// Pad: opset 2..10 take `pads` and `value` as attributes (opset 1 names `pads` `paddings`, same
// layout), 11+ take `pads` (int64) and an optional `constant_value` as inputs, 18+ an optional
// `axes` input. Modes constant, reflect and edge ("wrap", opset 19, is unsupported). Our `pad`
// layer refuses a reflect pad as large as its axis; ONNX (numpy) then reflects again, so such
// pads run here as a chain of pad calls of at most `size − 1` each, which lands every reflection
// on a mirror point of the periodic extension.
// Integer inputs (valid ONNX) are padded through float64, exact up to 2^53.

import { formatShape } from "../../layers/_errors.ts";
import { pad, padBackward, type PadMode, type PadOptions } from "../../layers/pad.ts";
import { Tensor } from "../../layers/tensor.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { convert } from "./constant.ts";
import { floatOf, intsOf, isFloat, isInteger, wrap } from "./_data.ts";

const MODES: readonly string[] = ["constant", "reflect", "edge"];

/** The pad calls that realise ONNX's `pads` in `mode` (one call unless reflect pads are large). */
function plan(
  ctx: NodeContext,
  shape: readonly number[],
  pads: readonly number[],
  mode: PadMode,
  value: number,
): PadOptions[] {
  const rank = shape.length;
  const large = (a: number) => pads[a] >= shape[a] || pads[a + rank] >= shape[a];
  if (mode !== "reflect" || !shape.some((_, a) => large(a))) return [{ pads, mode, value }];
  // Small axes in one call, then each large axis in chunks of at most n − 1 per side.
  const zero = () => new Array<number>(2 * rank).fill(0);
  const first = zero();
  const steps: PadOptions[] = [{ pads: first, mode }];
  for (let a = 0; a < rank; a++) {
    const n = shape[a];
    let begin = pads[a], end = pads[a + rank];
    if (!large(a)) {
      first[a] = begin;
      first[a + rank] = end;
      continue;
    }
    if (begin < 0 || end < 0) {
      ctx.unsupported(`reflect pads ${formatShape(pads)} both crop and reflect beyond axis ${a}`);
    }
    if (n === 0) ctx.typeError(`cannot reflect-pad the empty axis ${a}`);
    if (n === 1) {
      // numpy reflects a single element onto itself: edge padding.
      const step = zero();
      step[a] = begin;
      step[a + rank] = end;
      steps.push({ pads: step, mode: "edge" });
      continue;
    }
    while (begin > 0 || end > 0) {
      const step = zero();
      step[a] = Math.min(begin, n - 1);
      step[a + rank] = Math.min(end, n - 1);
      begin -= step[a];
      end -= step[a + rank];
      steps.push({ pads: step, mode });
    }
  }
  return steps;
}

/** Terms one input-gradient element can collect, multiplied over the axes (0 when 1). */
function gradTerms(shape: readonly number[], pads: readonly number[], mode: PadMode): number {
  if (mode === "constant") return 0;
  const rank = shape.length;
  let n = 1;
  shape.forEach((size, a) => {
    const b = Math.max(pads[a], 0), e = Math.max(pads[a + rank], 0);
    n *= mode === "edge" || size <= 1
      ? 1 + b + e
      : 1 + Math.ceil(b / (size - 1)) + Math.ceil(e / (size - 1));
  });
  return n > 1 ? n : 0;
}

/** Pad. */
export const Pad: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const legacy = ctx.opset < 11;
    const padsName = ctx.opset < 2 ? "paddings" : "pads";
    ctx.arity(legacy ? [1, 1] : [2, ctx.opset >= 18 ? 4 : 3], [1, 1]);
    ctx.known(legacy ? ["mode", padsName, "value"] : ["mode"]);
    const mode = ctx.string("mode", "constant");
    if (!MODES.includes(mode)) {
      ctx.unsupported(`mode ${JSON.stringify(mode)} is not supported (constant, reflect, edge)`);
    }
    const padsAttribute = legacy ? ctx.ints(padsName) : undefined;
    if (legacy && padsAttribute === undefined) {
      ctx.malformed("attribute", `${padsName} is required`);
    }
    const valueAttribute = legacy ? ctx.float("value", 0) : 0;
    return (inputs) => {
      const x = inputs[0] ?? ctx.typeError(`input 0 is required`);
      const rank = x.dims.length;
      let pads = legacy ? padsAttribute! : intsOf(ctx, inputs[1], "pads");
      let value = valueAttribute;
      const constant = !legacy && ctx.has(2) ? inputs[2] : undefined;
      if (constant !== undefined && constant.size > 0) {
        const v = constant.data[0];
        value = typeof v === "bigint" ? Number(v) : v;
      }
      if (ctx.options.absolute) value = Math.abs(value);
      if (!legacy && ctx.has(3)) {
        const axes = intsOf(ctx, inputs[3], "axes").map((a) => ctx.axis("axes", a, rank));
        if (pads.length !== 2 * axes.length) {
          ctx.typeError(
            `pads ${formatShape(pads)} must have 2 entries per axis in axes ` +
              formatShape(axes),
          );
        }
        const full = new Array<number>(2 * rank).fill(0);
        axes.forEach((a, j) => {
          full[a] = pads[j];
          full[a + rank] = pads[j + axes.length];
        });
        pads = full;
      }
      if (pads.length !== 2 * rank) {
        ctx.typeError(
          `pads ${formatShape(pads)} must have ${2 * rank} entries for input ${
            formatShape(x.dims)
          }`,
        );
      }
      const float = isFloat(x.dtype);
      if (!float && !isInteger(x.dtype)) {
        ctx.unsupported(`input dtype ${x.dtype} is not supported`);
      }
      const input = float ? floatOf(ctx, x, "data") : convert(x, "float64").toTensor();
      const steps = plan(ctx, x.dims, pads, mode as PadMode, value);
      const saved: Tensor[] = [];
      let y = input;
      for (const step of steps) {
        saved.push(y);
        y = pad(y, step);
      }
      const output: OnnxTensor = float ? wrap(y) : convert(wrap(y), x.dtype);
      const gradReduction: (number | undefined)[] = inputs.map(() => undefined);
      const constantGrad = float && constant !== undefined && mode === "constant";
      if (float) gradReduction[0] = gradTerms(x.dims, pads, mode as PadMode);
      if (constantGrad) gradReduction[2] = y.size;
      return {
        outputs: [output],
        reduction: [0],
        gradReduction,
        backward: float
          ? ([g]) => {
            let dx = g!;
            for (let i = steps.length - 1; i >= 0; i--) {
              dx = padBackward(dx, { input: saved[i] }, steps[i]).input;
            }
            const grads: (Tensor | undefined)[] = [dx];
            if (constantGrad) {
              // d/dvalue: the sum of the gradient over the filled positions.
              const mask = pad(Tensor.zeros(x.dims, g!.dtype), { pads, value: 1 });
              let sum = 0;
              for (let i = 0; i < mask.size; i++) if (mask.data[i] === 1) sum += g!.data[i];
              grads[1] = undefined;
              grads[2] = Tensor.full(constant!.dims, sum, g!.dtype);
            }
            return grads;
          }
          : undefined,
      };
    };
  },
};
