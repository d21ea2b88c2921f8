// Our implementations as bench cells: each cell has a timed `run` and an untimed `result` (NCHW /
// OIHW float32) for the agreement checks. "fast" is the default path (WebAssembly SIMD where the
// engine validates it), "fast-ts" the same path with the TypeScript GEMM backend (what runs
// without SIMD), "reference" the definitional loops.

import { CONV_KERNELS } from "../layers/_conv_kernels.ts";
import { liftPlan } from "../layers/_conv_plan.ts";
import { windowGeometry } from "../layers/_geometry.ts";
import { setGemmBackend } from "../layers/_gemm.ts";
import type { Impl } from "../layers/_impl.ts";
import { maxPool, MaxPool2d } from "../layers/max_pool.ts";
import { Tensor } from "../layers/tensor.ts";
import { convShapes, type ConvWorkload, type PoolWorkload } from "./_workloads.ts";

/** Which of our paths a cell runs. */
export type OurImpl = "fast" | "fast-ts" | "reference";

/** A bench cell: `run` is timed; `result` gives the output for agreement checks. */
export interface Cell {
  run: () => unknown;
  result: () => Float32Array | Promise<Float32Array>;
}

/** Selects the GEMM backend an implementation needs; call before every cell of it. */
export function selectBackend(impl: OurImpl): void {
  setGemmBackend(impl === "fast-ts" ? "ts" : "auto");
}

function implOf(impl: OurImpl): Impl {
  return impl === "reference" ? "reference" : "fast";
}

/** Data of a convolution workload (NCHW input, OIHW weight, NCHW output gradient). */
export interface ConvData {
  x: Float32Array;
  weight: Float32Array;
  dy: Float32Array;
}

/** Forward, input-gradient and weight-gradient cells through the kernel dispatcher. */
export function ourConv(w: ConvWorkload, data: ConvData, impl: OurImpl): Record<string, Cell> {
  const shapes = convShapes(w);
  const geometry = windowGeometry("conv2d", [w.h, w.w], [w.k, w.k], {
    stride: w.stride,
    padding: w.pad,
  });
  const plan = liftPlan(geometry, w.n, w.cin, w.cout, w.groups ?? 1);
  const kernels = CONV_KERNELS[implOf(impl)];
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  // Outputs are allocated per call, as the public functions do.
  const fwd = () => {
    const y = new Float32Array(size(shapes.y));
    kernels.forward(plan, data.x, data.weight, undefined, y);
    return y;
  };
  const dX = () => {
    const dx = new Float32Array(size(shapes.x));
    kernels.backwardInput(plan, data.dy, data.weight, dx);
    return dx;
  };
  const dW = () => {
    const dw = new Float32Array(size(shapes.weight));
    kernels.backwardWeight(plan, data.x, data.dy, dw);
    return dw;
  };
  return {
    fwd: { run: fwd, result: fwd },
    dX: { run: dX, result: dX },
    dW: { run: dW, result: dW },
  };
}

/**
 * Max-pool cells: forward = the functional `maxPool` (values only, like an inference kernel);
 * backward = `MaxPool2d.backward`, which scatters through the argmax its forward saved (as
 * PyTorch's max_pool2d backward does), timed without that forward.
 */
export function ourPool(
  w: PoolWorkload,
  x: Float32Array,
  dy: Float32Array,
  outShape: number[],
  impl: OurImpl,
): Record<string, Cell> {
  const input = new Tensor(x, [w.n, w.c, w.h, w.w]);
  const gradOutput = new Tensor(dy, outShape);
  const options = { kernelSize: w.k, stride: w.stride, impl: implOf(impl) };
  const layer = new MaxPool2d(options);
  layer.forward(input);
  const fwd = () => maxPool(input, options).data as Float32Array;
  const bwd = () => layer.backward(gradOutput).data as Float32Array;
  return { fwd: { run: fwd, result: fwd }, bwd: { run: bwd, result: bwd } };
}
