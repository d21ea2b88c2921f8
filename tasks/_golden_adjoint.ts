// Backward passes for the ONNX Runtime golden source, written as forward ONNX graphs (the npm
// build of ONNX Runtime has no training ops). One graph per case computes every gradient
// ("dI<i>" = dL/d input i for L = <Y, dY>) and, for gradients that sum several terms, a
// *magnitude* ("mI<i>"): the same computation on absolute values, the `A` of the tolerance
// policy (conformance/tolerance.ts). Shape bookkeeping comes from _golden_spec.ts (ONNX spec
// formulas), never from layers/_geometry.ts.
//
// Each plan also names identities that the gradients must satisfy whatever the runtime's
// conventions (Euler's theorem for ops homogeneous of degree 1, shift invariance of softmax),
// which _golden_ort.ts checks numerically: an adjoint that is not the adjoint of ONNX Runtime's
// own forward (a pad on the wrong side, a group mixed up) fails them even where no PyTorch golden
// exists to compare with.

import type { GridCase } from "../conformance/grid.ts";
import type { _Shapes } from "./_golden_adjoint_util.ts";
import { _conv, _convTranspose } from "./_golden_adjoint_conv.ts";
import { _activation, _batchNorm, _gemm, _loss } from "./_golden_adjoint_dense.ts";
import { _averagePool, _maxPool } from "./_golden_adjoint_pool.ts";
import {
  _batchNormTraining,
  _clip,
  _expand,
  _gather,
  _hardActivation,
  _reduce,
  _split,
} from "./_golden_adjoint_cnn.ts";

/** What each `backward` key of the manifest means. */
export const _BACKWARD_METHODS: Readonly<Record<string, string>> = {
  "adjoint: ConvTranspose + per-group Conv + ReduceSum": "Conv: dX = ConvTranspose(dY, W) with " +
    "the forward's strides, dilations, group and explicit pads (from the ONNX spec formulas) " +
    "and output_padding restoring X's size; dW = per group Conv(Xᵀ, dYᵀ) (batch and channel " +
    "axes swapped, stride ↔ dilation), sliced to the kernel and transposed back; dB = " +
    "ReduceSum(dY) over all axes but 1",
  "adjoint: Conv + per-group Conv + ReduceSum": "ConvTranspose: dX = Conv(dY, W) with the " +
    "forward's strides, dilations, group and explicit pads (ONNX spec formulas), sliced to X's " +
    "size; dW = per group Conv(dYᵀ, Xᵀ) (stride ↔ dilation), sliced to the kernel and " +
    "transposed back; dB = ReduceSum(dY) over all axes but 1",
  "adjoint: MaxPool Indices + ScatterElements": "MaxPool / GlobalMaxPool (kernel = the whole " +
    'spatial extent): MaxPool\'s Indices output on X, then ScatterElements(reduction "add") of ' +
    "dY into zeros of X's flattened size",
  "adjoint: AveragePool Jacobian from one-hot probes + Gemm": "AveragePool / " +
    "GlobalAveragePool is linear and the same on every (n, c) plane: ONNX Runtime's own op runs " +
    "on a batch of one-hot probe planes (EyeLike) to give its Jacobian, contracted with dY by " +
    "Gemm: the exact transpose of the runtime's map, divisors included, with no shape math",
  "adjoint: Gemm + ReduceSum": "Gemm: dA = alpha·dY·B'ᵀ and dB = alpha·A'ᵀ·dY as Gemm nodes " +
    "(transposed per transA/transB), dC = beta·ReduceSum(dY) over C's broadcast axes",
  "adjoint: Relu derivative": "dX = Where(X > 0, dY, 0)",
  "adjoint: LeakyRelu derivative": "dX = Where(X > 0, dY, alpha·dY)",
  "adjoint: Sigmoid derivative": "dX = dY·Y·(1 − Y), Y = Sigmoid(X) run in the graph",
  "adjoint: Tanh derivative": "dX = dY·(1 − Y²), Y = Tanh(X) run in the graph",
  "adjoint: Softmax derivative": "dX = Y·(dY − ReduceSum(dY·Y, axis)), Y = Softmax(X)",
  "adjoint: LogSoftmax derivative": "dX = dY − Exp(Y)·ReduceSum(dY, axis), Y = LogSoftmax(X)",
  "adjoint: OneHot": "NegativeLogLikelihoodLoss (linear in X): dX = −OneHot(T, axis 1)·w[T]·" +
    "(T ≠ ignore_index)·dY, divided by ReduceSum(w[T]·(T ≠ ignore_index)) for mean; class " +
    "weights W are constants (no gradient, as in PyTorch)",
  "adjoint: OneHot + Softmax": "SoftmaxCrossEntropyLoss = NLL(LogSoftmax(X, axis 1)): dlogp " +
    "as for NegativeLogLikelihoodLoss, dX = dlogp − Softmax(X, axis 1)·ReduceSum(dlogp, axis 1)",
  "adjoint: batch-norm formulas + ReduceSum": "BatchNormalization (inference): rstd = 1/√(var " +
    "+ ε); dX = dY·scale·rstd, dscale = ReduceSum(dY·(X − mean))·rstd, dB = ReduceSum(dY), " +
    "dmean = −ReduceSum(dY)·scale·rstd, dvar = −½·ReduceSum(dY·(X − mean))·scale·rstd³",
  "adjoint: Clip derivative": "Clip (hardtanh's rule): dX = Where(min < X < max, dY, 0) " +
    "(0 at NaN); dmax = ReduceSum(dY where X ≥ max, or everywhere but NaN when max < min), " +
    "dmin = ReduceSum(dY where X ≤ min and not taken by max)",
  "adjoint: HardSigmoid derivative": "dX = Where(0 < Y < 1, alpha·dY, 0), Y = HardSigmoid(X) " +
    "run in the graph",
  "adjoint: HardSwish derivative": "PyTorch's vectorized hardswish_backward: dX = 0 for " +
    "X < −3, dY for X ≥ 3, dY·(X/3 + 1/2) between",
  "adjoint: ReduceSum broadcast": "dX = Expand(Reshape(dY, X's shape with the reduced axes " +
    "as 1), X's shape)",
  "adjoint: ReduceMean broadcast": "dX = Expand(Reshape(dY, X's shape with the reduced axes " +
    "as 1), X's shape) / reduced count",
  "adjoint: ScatterElements add": "Gather: dX = ScatterElements(zeros [outer, size, inner], " +
    'indices expanded to [outer, k, inner], dY as [outer, k, inner], axis 1, reduction "add"), ' +
    "reshaped to X: repeated indices accumulate",
  "adjoint: Concat": "Split: dX = Concat(dY_0, dY_1, ...) along the split axis",
  "adjoint: ReduceSum over the broadcast axes": "Expand: dX = Reshape(ReduceSum(dY over the " +
    "axes X was broadcast along, keepdims), X's shape)",
  "adjoint: training batch-norm formulas + ReduceMean": "BatchNormalization, training_mode " +
    "= 1 (Y only): μ, σ² (biased) = ReduceMean over all axes but 1, x̂ = (X − μ)/√(σ² + ε); " +
    "dX = scale/√(σ² + ε)·(dY − mean(dY) − x̂·mean(dY·x̂)), dscale = ReduceSum(dY·x̂), dB = " +
    "ReduceSum(dY); input_mean/input_var do not reach Y (zero gradients)",
  "autograd": "PyTorch: torch.autograd.grad of the call in `call` (tasks/golden_torch/ops.py); " +
    "for batch norm the input_mean/input_var gradients by autograd of the explicit formula",
};

/** How the ONNX Runtime source gets a case's gradients. */
export type _AdjointPlan =
  | {
    kind: "none";
    reason: string;
    forwardN: number;
    /** ONNX Runtime's output shape is not the ONNX spec's: its forward is no golden either. */
    offSpec?: boolean;
  }
  | {
    kind: "graph";
    /** The manifest's `backward` key (see `_BACKWARD_METHODS`). */
    method: string;
    /** The adjoint graph: inputs = the case's inputs + "dY"; outputs dI<i>, mI<i>, maybe mY. */
    model: Uint8Array;
    /** Input indices with a gradient. */
    grads: number[];
    /** Reduction length `n` per gradient (0: elementwise, no magnitude output). */
    gradN: Record<number, number>;
    /** Reduction length of the forward output. */
    forwardN: number;
    /** Where the forward's `A` comes from: the model on |inputs|, or the graph's "mY". */
    forwardMagnitude: "abs-inputs" | "graph";
    /** Σ dY·Y = Σ_{i ∈ group} Σ dI_i·input_i for each group (homogeneity of degree 1). */
    euler: number[][];
    /** Σ over this axis of dI_0 vanishes (shift invariance), if set. */
    shiftInvariantAxis?: number;
  };

/** Plans the adjoint of a grid case, given ONNX Runtime's forward output shapes. */
export function _adjointPlan(c: GridCase, outShapes: _Shapes): _AdjointPlan {
  const inShapes = c.inputs.map((s) => s.shape);
  switch (c.op) {
    case "Conv":
      return _conv(c, inShapes, outShapes[0]);
    case "ConvTranspose":
      return _convTranspose(c, inShapes, outShapes[0]);
    case "MaxPool":
    case "GlobalMaxPool":
      return _maxPool(c, inShapes, outShapes[0]);
    case "AveragePool":
    case "GlobalAveragePool":
      return _averagePool(c, inShapes, outShapes[0]);
    case "Gemm":
      return _gemm(c, inShapes, outShapes[0]);
    case "Relu":
    case "LeakyRelu":
    case "Sigmoid":
    case "Tanh":
    case "Softmax":
    case "LogSoftmax":
      return _activation(c, inShapes);
    case "SoftmaxCrossEntropyLoss":
    case "NegativeLogLikelihoodLoss":
      return _loss(c, inShapes, outShapes[0]);
    case "BatchNormalization":
      return Number(c.attributes.training_mode ?? 0) === 1
        ? _batchNormTraining(c, inShapes)
        : _batchNorm(c, inShapes);
    case "Clip":
      return _clip(c, inShapes);
    case "HardSigmoid":
    case "HardSwish":
      return _hardActivation(c, inShapes);
    case "ReduceSum":
    case "ReduceMean":
      return _reduce(c, inShapes, outShapes[0]);
    case "Gather":
      return _gather(c, inShapes, outShapes[0]);
    case "Split":
      return _split(c, inShapes, outShapes);
    case "Expand":
      return _expand(c, inShapes, outShapes[0]);
  }
  return { kind: "none", reason: `no adjoint graph for ${c.op}`, forwardN: 0 };
}
