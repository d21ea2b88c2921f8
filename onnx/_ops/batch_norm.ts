// BatchNormalization on our `batchNorm` layer. Inference (every opset): normalise with the given
// mean and variance. Training (opset ≥ 14, training_mode = 1): batch statistics, and the optional
// outputs running_mean / running_var = momentum·input + (1 − momentum)·batch with the biased
// batch variance — ONNX's momentum is 1 − PyTorch's, hence `momentum: 1 − m` and
// `unbiasedRunningVar: false`. PyTorch's own buffer update takes the unbiased variance, so the
// running_var output of a training-mode torch.onnx export differs from PyTorch's buffer by the
// factor n/(n − 1) on the batch term; ONNX Runtime and ONNX's test data follow the spec, as we do
// (Y, its gradients and running_mean match PyTorch: onnx/_ops/batch_norm_test.ts, grid cases
// batchnorm_train_*). Opsets 1..13 with the legacy training outputs (saved mean/var) are
// unsupported. Opsets 1 and 6 select inference with `is_test = 1` (required here: their default,
// 0, is training with those outputs); opset 1's `consumed_inputs` is an in-place hint, ignored.
//
// The layer's backward covers X, scale and B; the adapter adds the gradients the layer leaves
// out: the mean and variance inputs in inference, and the running-statistic outputs in training.

import { gradientSums32 } from "../../layers/_batch_norm_loops.ts";
import { batchNorm, batchNormBackward } from "../../layers/batch_norm.ts";
import { formatShape } from "../../layers/_errors.ts";
import { allocate, Tensor } from "../../layers/tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, sameFloat, wrap } from "./_data.ts";

/** Per-channel view `[N, C, inner]` of an `[N, C, ...]` tensor. */
function layout(shape: readonly number[]): { batch: number; channels: number; inner: number } {
  return {
    batch: shape[0],
    channels: shape[1],
    inner: shape.slice(2).reduce((p, d) => p * d, 1),
  };
}

/** The version of BatchNormalization an opset selects, up to 9 (for messages). */
function legacyVersion(opset: number): number {
  return opset < 6 ? 1 : opset < 7 ? 6 : opset < 9 ? 7 : 9;
}

/** BatchNormalization-1..15. */
export const BatchNormalization: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const { opset } = ctx;
    ctx.known([
      "epsilon",
      "momentum",
      ...(opset < 9 ? ["spatial"] : []),
      ...(opset < 7 ? ["is_test"] : []),
      ...(opset >= 14 ? ["training_mode"] : []),
      ...ctx.consumedInputs(),
    ]);
    if (opset < 14 && ctx.node.outputs.length > 1) {
      ctx.unsupported(
        `the training outputs of BatchNormalization-${legacyVersion(opset)} (running and saved ` +
          `statistics) are not supported; use opset 14 or later`,
      );
    }
    if (opset < 7 && !ctx.flag("is_test", false)) {
      ctx.unsupported(
        `is_test = 0 (training mode, the default of BatchNormalization-${legacyVersion(opset)}) ` +
          `is not supported; only is_test = 1 (inference)`,
      );
    }
    ctx.arity([5, 5], [1, opset >= 14 ? 3 : 5]);
    if (opset < 9 && ctx.int("spatial", 1) !== 1) {
      ctx.unsupported(`spatial = 0 (per-activation statistics) is not supported`);
    }
    const eps = ctx.float("epsilon", Math.fround(1e-5));
    const momentum = ctx.float("momentum", Math.fround(0.9));
    const training = ctx.flag("training_mode", false);
    if (!(eps > 0)) ctx.unsupported(`epsilon must be positive, got ${eps}`);
    if (!(momentum >= 0 && momentum <= 1)) {
      ctx.unsupported(`momentum must be in [0, 1], got ${momentum}`);
    }
    if (!training && ctx.node.outputs.slice(1).some((name) => name !== "")) {
      ctx.unsupported(`running_mean/running_var outputs require training_mode = 1`);
    }
    return (inputs) => {
      const [x, scale, bias, mean, variance] = inputs.map((t, i) =>
        floatOf(ctx, t, ["X", "scale", "B", "input_mean", "input_var"][i])
      );
      sameFloat(ctx, [x, scale, bias, mean, variance]);
      if (x.rank < 2) ctx.typeError(`X must be [N, C, ...], got ${formatShape(x.shape)}`);
      const { batch, channels, inner } = layout(x.shape);
      const count = batch * inner;
      if (!training) {
        // (x − mean) cancels; the absolute evaluation bounds it by |x| + |mean|.
        const runningMean = ctx.options.absolute
          ? new Tensor(mean.data.map((v) => -Math.abs(v)), mean.shape)
          : mean;
        const options = { weight: scale, bias, runningMean, runningVar: variance, eps };
        const y = batchNorm(x, options);
        return {
          outputs: [wrap(y)],
          reduction: [4],
          gradReduction: [4, count, count, count, count],
          backward: ([g]) => {
            const grads = batchNormBackward(g!, { input: x, weight: scale }, {
              runningMean,
              runningVar: variance,
              eps,
            });
            // y = (x − μ)·s·(σ² + ε)^(−1/2) + b.
            const dMean = allocate(channels, mean.dtype), dVar = allocate(channels, variance.dtype);
            const xd = x.data, gd = g!.data;
            const sumsG = new Float64Array(channels), sumsGX = new Float64Array(channels);
            if (xd instanceof Float32Array && gd instanceof Float32Array) {
              const centres = Float64Array.from(runningMean.data);
              gradientSums32(xd, gd, { batch, channels, inner }, centres, sumsG, sumsGX);
            } else {
              for (let c = 0; c < channels; c++) {
                for (let n = 0; n < batch; n++) {
                  const base = (n * channels + c) * inner;
                  for (let j = base; j < base + inner; j++) {
                    sumsG[c] += gd[j];
                    sumsGX[c] += gd[j] * (xd[j] - runningMean.data[c]);
                  }
                }
              }
            }
            for (let c = 0; c < channels; c++) {
              const invStd = 1 / Math.sqrt(variance.data[c] + eps);
              dMean[c] = -sumsG[c] * scale.data[c] * invStd;
              dVar[c] = -0.5 * sumsGX[c] * scale.data[c] * invStd * invStd * invStd;
            }
            return [
              grads.input,
              grads.weight,
              grads.bias,
              new Tensor(dMean, mean.shape),
              new Tensor(dVar, variance.shape),
            ];
          },
        };
      }
      const runningMean = mean.clone(), runningVar = variance.clone();
      const y = batchNorm(x, {
        weight: scale,
        bias,
        runningMean,
        runningVar,
        eps,
        training: true,
        momentum: 1 - momentum,
        unbiasedRunningVar: false,
      });
      const outputs = [wrap(y)];
      if (ctx.wants(1)) outputs.push(wrap(runningMean));
      if (ctx.wants(2)) outputs.push(wrap(runningVar));
      return {
        outputs,
        reduction: [count + 4, count + 1, count + 1].slice(0, outputs.length),
        gradReduction: [count + 4, count, count, 1, 1],
        backward: ([gY, gMean, gVar]) => {
          const grads = batchNormBackward(gY!, { input: x, weight: scale }, {
            training: true,
            eps,
          });
          const dx = grads.input.data;
          const xd = x.data;
          // running_mean = m·mean + (1 − m)·μ_B, running_var = m·var + (1 − m)·σ²_B (biased):
          // ∂μ_B/∂x = 1/count, ∂σ²_B/∂x = 2(x − μ_B)/count.
          for (let c = 0; c < channels; c++) {
            const gm = gMean?.data[c] ?? 0, gv = gVar?.data[c] ?? 0;
            if (gm === 0 && gv === 0) continue;
            let mu = 0;
            for (let n = 0; n < batch; n++) {
              const base = (n * channels + c) * inner;
              for (let j = base; j < base + inner; j++) mu += xd[j];
            }
            mu /= count;
            const k = (1 - momentum) / count;
            for (let n = 0; n < batch; n++) {
              const base = (n * channels + c) * inner;
              for (let j = base; j < base + inner; j++) {
                dx[j] += k * (gm + 2 * gv * (xd[j] - mu));
              }
            }
          }
          const scaled = (t: Tensor | undefined, shape: readonly number[]) =>
            t === undefined
              ? Tensor.zeros(shape, x.dtype)
              : new Tensor(t.data.map((v) => v * momentum), shape);
          return [
            grads.input,
            grads.weight,
            grads.bias,
            scaled(gMean, mean.shape),
            scaled(gVar, variance.shape),
          ];
        },
      };
    };
  },
};
