// The one typed dispatcher from ONNX operator type (default domain) to its kernel.

import type { OpKernel } from "./_context.ts";
import { LeakyRelu, Relu, Sigmoid, Tanh } from "./activation.ts";
import { BatchNormalization } from "./batch_norm.ts";
import { Cast, Constant, Shape } from "./constant.ts";
import { Clip } from "./clip.ts";
import { Conv, ConvTranspose } from "./conv.ts";
import { Concat, Slice, Transpose } from "./data_move.ts";
import { Dropout } from "./dropout.ts";
import { Add, Div, Mul, Sub } from "./elementwise.ts";
import { Expand } from "./expand.ts";
import { Gather } from "./gather.ts";
import { Gemm, MatMul } from "./gemm.ts";
import { HardSigmoid, HardSwish } from "./hard_activation.ts";
import { NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss } from "./loss.ts";
import { Pad } from "./pad.ts";
import { AveragePool, GlobalAveragePool, GlobalMaxPool, MaxPool } from "./pool.ts";
import { ReduceMean, ReduceSum } from "./reduce.ts";
import { Flatten, Identity, Reshape, Squeeze, Unsqueeze } from "./reshape.ts";
import { LogSoftmax, Softmax } from "./softmax.ts";
import { Split } from "./split.ts";

/** Kernels by operator type. */
export const OPS: Readonly<Record<string, OpKernel>> = Object.freeze({
  Add,
  AveragePool,
  BatchNormalization,
  Cast,
  Clip,
  Concat,
  Constant,
  Conv,
  ConvTranspose,
  Div,
  Dropout,
  Expand,
  Flatten,
  Gather,
  Gemm,
  GlobalAveragePool,
  GlobalMaxPool,
  HardSigmoid,
  HardSwish,
  Identity,
  LeakyRelu,
  LogSoftmax,
  MatMul,
  MaxPool,
  Mul,
  NegativeLogLikelihoodLoss,
  Pad,
  ReduceMean,
  ReduceSum,
  Relu,
  Reshape,
  Shape,
  Sigmoid,
  Slice,
  Softmax,
  SoftmaxCrossEntropyLoss,
  Split,
  Squeeze,
  Sub,
  Tanh,
  Transpose,
  Unsqueeze,
});

/** The lowest and highest default-domain opsets the executor supports. */
export const MIN_OPSET = 1;
/** See {@linkcode MIN_OPSET}. */
export const MAX_OPSET = 21;
