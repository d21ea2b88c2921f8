// The one typed dispatcher from ONNX operator type (default domain) to its kernel.

import type { OpKernel } from "./_context.ts";
import { LeakyRelu, Relu, Sigmoid, Tanh } from "./activation.ts";
import { BatchNormalization } from "./batch_norm.ts";
import { Cast, Constant, Shape } from "./constant.ts";
import { Conv, ConvTranspose } from "./conv.ts";
import { Concat, Slice, Transpose } from "./data_move.ts";
import { Dropout } from "./dropout.ts";
import { Add, Div, Mul, Sub } from "./elementwise.ts";
import { Gemm, MatMul } from "./gemm.ts";
import { NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss } from "./loss.ts";
import { Pad } from "./pad.ts";
import { AveragePool, GlobalAveragePool, GlobalMaxPool, MaxPool } from "./pool.ts";
import { Flatten, Identity, Reshape, Squeeze, Unsqueeze } from "./reshape.ts";
import { LogSoftmax, Softmax } from "./softmax.ts";

/** Kernels by operator type. */
export const OPS: Readonly<Record<string, OpKernel>> = Object.freeze({
  Add,
  AveragePool,
  BatchNormalization,
  Cast,
  Concat,
  Constant,
  Conv,
  ConvTranspose,
  Div,
  Dropout,
  Flatten,
  Gemm,
  GlobalAveragePool,
  GlobalMaxPool,
  Identity,
  LeakyRelu,
  LogSoftmax,
  MatMul,
  MaxPool,
  Mul,
  NegativeLogLikelihoodLoss,
  Pad,
  Relu,
  Reshape,
  Shape,
  Sigmoid,
  Slice,
  Softmax,
  SoftmaxCrossEntropyLoss,
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
