// SoftmaxCrossEntropyLoss (opset 12+, optional log_prob output) and NegativeLogLikelihoodLoss
// (opset 12+) on our loss layers. ONNX's ignore_index has no default, so without it nothing is
// ignored (our layers default to PyTorch's −100; we pass an index no label can equal).
//
// The layers differentiate the scores only; the adapter adds the class-weight gradient:
// with l_i the unweighted loss of element i and t_i its label, "none" gives Σ g_i·l_i, "sum"
// g·Σ l_i, and "mean" (L = Σ w_t·l / Σ w_t) g·Σ (l_i − L) / Σ w_t, each over t_i = c.

import { crossEntropyBackward, crossEntropyWithLogProb } from "../../layers/cross_entropy.ts";
import { nllLoss, nllLossBackward } from "../../layers/nll_loss.ts";
import { logSoftmaxBackward } from "../../layers/softmax.ts";
import {
  checkTargets,
  classLayout,
  type Reduction,
  termScales,
  termWeights,
} from "../../layers/_loss.ts";
import { formatShape } from "../../layers/_errors.ts";
import { allocate, type FloatArray, Tensor } from "../../layers/tensor.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { addGrad, floatOf, sameFloat, wrap } from "./_data.ts";

/** An ignore index no integer label can equal in practice. */
const NO_IGNORE = Number.MIN_SAFE_INTEGER;

function attributes(ctx: NodeContext): { reduction: Reduction; ignoreIndex: number } {
  ctx.known(["ignore_index", "reduction"]);
  const reduction = ctx.string("reduction", "mean");
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    ctx.unsupported(`reduction must be "mean", "sum" or "none", got ${JSON.stringify(reduction)}`);
  }
  return { reduction, ignoreIndex: ctx.int("ignore_index") ?? NO_IGNORE };
}

/** Reads scores, labels and weights, checking the labels' shape `[N, d1, ..., dk]`. */
function operands(ctx: NodeContext, inputs: readonly (OnnxTensor | undefined)[]) {
  const scores = floatOf(ctx, inputs[0], "scores");
  const labels = inputs[1] ?? ctx.typeError(`labels are required`);
  if (labels.dtype !== "int64" && labels.dtype !== "int32") {
    ctx.typeError(`labels must be int32 or int64, got ${labels.dtype}`);
  }
  if (scores.rank < 2) {
    ctx.typeError(`scores must be [N, C, ...], got ${formatShape(scores.shape)}`);
  }
  const expected = [scores.shape[0], ...scores.shape.slice(2)];
  if (labels.dims.join() !== expected.join()) {
    ctx.typeError(
      `labels ${formatShape(labels.dims)} must have shape ${formatShape(expected)} ` +
        `for scores ${formatShape(scores.shape)}`,
    );
  }
  const weights = ctx.has(2) ? floatOf(ctx, inputs[2], "weights") : undefined;
  sameFloat(ctx, [scores, weights]);
  const layout = classLayout("onnx", scores, "scores");
  return { scores, target: labels.data as ArrayLike<number | bigint>, weights, layout };
}

/** The class-weight gradient from log-probabilities (see the module comment). */
function weightGradient(
  g: Tensor,
  logp: FloatArray,
  scores: Tensor,
  targets: Int32Array,
  weights: Tensor,
  reduction: Reduction,
): Tensor {
  const { batch, classes, inner } = classLayout("onnx", scores, "scores");
  const { total } = termWeights(targets, weights);
  const loss = (i: number) => {
    const n = Math.floor(i / inner), j = i % inner;
    return -logp[(n * classes + targets[i]) * inner + j];
  };
  let mean = 0;
  if (reduction === "mean") {
    for (let i = 0; i < targets.length; i++) {
      if (targets[i] >= 0) mean += weights.data[targets[i]] * loss(i);
    }
    mean /= total;
  }
  const dw = new Float64Array(classes);
  for (let i = 0; i < batch * inner; i++) {
    const t = targets[i];
    if (t < 0) continue;
    if (reduction === "none") dw[t] += g.data[i] * loss(i);
    else if (reduction === "sum") dw[t] += g.data[0] * loss(i);
    else dw[t] += g.data[0] * (loss(i) - mean) / total;
  }
  const out = allocate(classes, weights.dtype);
  out.set(dw);
  return new Tensor(out, weights.shape);
}

/** SoftmaxCrossEntropyLoss with the optional log_prob output. */
export const SoftmaxCrossEntropyLoss: OpKernel = {
  since: 12,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 3], [1, 2]);
    const { reduction, ignoreIndex } = attributes(ctx);
    return (inputs) => {
      const { scores, target, weights, layout } = operands(ctx, inputs);
      const options = { reduction, ignoreIndex, weight: weights };
      const { loss, logProb } = crossEntropyWithLogProb(scores, target, options);
      const outputs = [wrap(loss)];
      if (ctx.wants(1)) outputs.push(wrap(logProb));
      const terms = reduction === "none" ? 1 : layout.batch * layout.inner;
      return {
        outputs,
        reduction: [terms + layout.classes, layout.classes].slice(0, outputs.length),
        gradReduction: [layout.classes + 2, undefined, weights ? terms : undefined],
        backward: ([gLoss, gLogProb]) => {
          const targets = checkTargets("onnx", target, layout, ignoreIndex);
          let dx: Tensor;
          if (ctx.options.absolute) {
            // s·(p + onehot): the magnitudes the true s·(p − onehot) sums.
            const s = termScales(gLoss!, reduction, targets, termWeights(targets, weights));
            const d = allocate(scores.size, scores.dtype);
            const { classes, inner } = layout;
            for (let i = 0; i < targets.length; i++) {
              const n = Math.floor(i / inner), j = i % inner;
              for (let c = 0; c < classes; c++) {
                const at = (n * classes + c) * inner + j;
                d[at] = Math.abs(s[i]) * (Math.exp(logProb.data[at]) + (c === targets[i] ? 1 : 0));
              }
            }
            dx = new Tensor(d, scores.shape);
          } else {
            dx = crossEntropyBackward(gLoss!, { input: scores, target }, options).input;
          }
          if (gLogProb !== undefined) {
            dx = addGrad(dx, logSoftmaxBackward(gLogProb, { output: logProb }, { axis: 1 }).input);
          }
          const dw = weights === undefined
            ? undefined
            : weightGradient(gLoss!, logProb.data, scores, targets, weights, reduction);
          return [dx, undefined, dw];
        },
      };
    };
  },
};

/** NegativeLogLikelihoodLoss. */
export const NegativeLogLikelihoodLoss: OpKernel = {
  since: 12,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 3], [1, 1]);
    const { reduction, ignoreIndex } = attributes(ctx);
    return (inputs) => {
      const { scores, target, weights, layout } = operands(ctx, inputs);
      const options = { reduction, ignoreIndex, weight: weights };
      const loss = nllLoss(scores, target, options);
      const terms = reduction === "none" ? 1 : layout.batch * layout.inner;
      return {
        outputs: [wrap(loss)],
        reduction: [terms],
        gradReduction: [2, undefined, weights ? terms : undefined],
        backward: ([g]) => {
          const dx = nllLossBackward(g!, { input: scores, target }, options).input;
          const dw = weights === undefined ? undefined : weightGradient(
            g!,
            scores.data,
            scores,
            checkTargets("onnx", target, layout, ignoreIndex),
            weights,
            reduction,
          );
          return [dx, undefined, dw];
        },
      };
    };
  },
};
