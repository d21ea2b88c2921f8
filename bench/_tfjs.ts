// The TensorFlow.js peers, tfjs-backend-cpu and tfjs-backend-wasm 4.22 (one thread), through
// their kernels (`runKernel`), so each pass is exactly one kernel: Conv2D, Conv2DBackpropInput,
// Conv2DBackpropFilter, MaxPool, MaxPoolGrad. tfjs is NHWC with HWIO filters: inputs are
// transposed once outside the timed region and results back to NCHW/OIHW for the checks. The
// timed region is the kernel call (its output stays in the backend, as in a model) and disposal.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import type { Cell, ConvData } from "./_ours.ts";
import { convShapes, type ConvWorkload, type PoolWorkload } from "./_workloads.ts";

export type TfjsBackend = "tfjs-cpu" | "tfjs-wasm";

/** The tfjs-core version in use. */
export const TFJS_VERSION: string = tf.version_core;

/** Registers both backends; returns the ones that initialised. */
export async function initTfjs(): Promise<TfjsBackend[]> {
  // The wasm binaries ship in the npm package: point tfjs at its dist directory.
  const dist = new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm"));
  setWasmPaths(dist.href);
  setThreadsCount(1);
  const ready: TfjsBackend[] = [];
  const warn = console.warn;
  console.warn = () => {}; // tfjs suggests tfjs-node on first use
  try {
    if (await tf.setBackend("cpu")) ready.push("tfjs-cpu");
    if (await tf.setBackend("wasm").catch(() => false)) ready.push("tfjs-wasm");
  } finally {
    console.warn = warn;
  }
  return ready;
}

/** Switches tfjs to `backend` (tensors must be created after this). */
export async function useBackend(backend: TfjsBackend): Promise<void> {
  await tf.setBackend(backend === "tfjs-cpu" ? "cpu" : "wasm");
}

/** Whether the current backend has a kernel. */
function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** NCHW → NHWC (or OIHW → HWIO with `perm`) as a tfjs tensor. */
function fromNchw(data: Float32Array, shape: number[], perm = [0, 2, 3, 1]): tf.Tensor {
  return tf.tidy(() => tf.transpose(tf.tensor(data, shape), perm));
}

/** A tfjs tensor back to a Float32Array in our layout. */
function toOurs(t: tf.Tensor, perm: number[]): Float32Array {
  const moved = tf.transpose(t, perm);
  const data = moved.dataSync() as Float32Array;
  moved.dispose();
  return data;
}

function cell(make: () => tf.Tensor, perm: number[]): Cell {
  return {
    run: () => make().dispose(),
    result: () => {
      const out = make();
      const data = toOurs(out, perm);
      out.dispose();
      return data;
    },
  };
}

/** Conv cells on the current backend; passes without a kernel are absent. */
export function tfjsConv(w: ConvWorkload, data: ConvData): { cells: Record<string, Cell> } & {
  dispose: () => void;
  /** Conv2DBackpropFilter inputs, for running it elsewhere. */
  filterShape: number[];
} {
  if ((w.groups ?? 1) > 1) return tfjsDepthwise(w, data);
  const shapes = convShapes(w);
  const x = fromNchw(data.x, shapes.x);
  const filter = fromNchw(data.weight, shapes.weight, [2, 3, 1, 0]);
  const dy = fromNchw(data.dy, shapes.y);
  const pad = w.pad === 0 ? "valid" : [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]];
  const common = { strides: [w.stride, w.stride], pad, dataFormat: "NHWC" };
  const filterShape = [w.k, w.k, w.cin, w.cout];
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) => () =>
    tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const cells: Record<string, Cell> = {};
  if (hasKernel("Conv2D")) {
    cells.fwd = cell(
      run("Conv2D", { x, filter }, { ...common, dilations: [1, 1] }),
      [0, 3, 1, 2],
    );
  }
  if (hasKernel("Conv2DBackpropInput")) {
    const inputShape = [w.n, w.h, w.w, w.cin];
    cells.dX = cell(
      run("Conv2DBackpropInput", { dy, filter }, { ...common, inputShape }),
      [0, 3, 1, 2],
    );
  }
  if (hasKernel("Conv2DBackpropFilter")) {
    cells.dW = cell(
      run("Conv2DBackpropFilter", { x, dy }, { ...common, filterShape }),
      [3, 2, 0, 1],
    );
  }
  return {
    cells,
    filterShape,
    dispose: () => {
      x.dispose();
      filter.dispose();
      dy.dispose();
    },
  };
}

/**
 * Depthwise cells (groups = cin = cout): DepthwiseConv2dNative and its two backprop kernels,
 * filters [k, k, C, 1] (our [C, 1, k, k] transposed).
 */
function tfjsDepthwise(w: ConvWorkload, data: ConvData): ReturnType<typeof tfjsConv> {
  const shapes = convShapes(w);
  if (w.groups !== w.cin || w.cout !== w.cin) {
    return { cells: {}, filterShape: [], dispose: () => {} };
  }
  const x = fromNchw(data.x, shapes.x);
  const filter = fromNchw(data.weight, shapes.weight, [2, 3, 0, 1]);
  const dy = fromNchw(data.dy, shapes.y);
  const pad = w.pad === 0 ? "valid" : [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]];
  const common = { strides: [w.stride, w.stride], pad, dataFormat: "NHWC", dilations: [1, 1] };
  const filterShape = [w.k, w.k, w.cin, 1];
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) => () =>
    tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const cells: Record<string, Cell> = {};
  if (hasKernel("DepthwiseConv2dNative")) {
    cells.fwd = cell(run("DepthwiseConv2dNative", { x, filter }, common), [0, 3, 1, 2]);
  }
  if (hasKernel("DepthwiseConv2dNativeBackpropInput")) {
    const inputShape = [w.n, w.h, w.w, w.cin];
    cells.dX = cell(
      run("DepthwiseConv2dNativeBackpropInput", { dy, filter }, { ...common, inputShape }),
      [0, 3, 1, 2],
    );
  }
  if (hasKernel("DepthwiseConv2dNativeBackpropFilter")) {
    cells.dW = cell(
      run("DepthwiseConv2dNativeBackpropFilter", { x, dy }, { ...common, filterShape }),
      [2, 3, 0, 1],
    );
  }
  return {
    cells,
    filterShape,
    dispose: () => {
      x.dispose();
      filter.dispose();
      dy.dispose();
    },
  };
}

/** Max-pool forward (MaxPool) and backward (MaxPoolGrad, which re-finds the maxima) cells. */
export function tfjsPool(
  w: PoolWorkload,
  xData: Float32Array,
  dyData: Float32Array,
  outShape: number[],
): { cells: Record<string, Cell>; dispose: () => void } {
  const x = fromNchw(xData, [w.n, w.c, w.h, w.w]);
  const dy = fromNchw(dyData, outShape);
  const attrs = { filterSize: [w.k, w.k], strides: [w.stride, w.stride], pad: "valid" };
  const y = tf.engine().runKernel("MaxPool", { x }, attrs as tf.NamedAttrMap) as tf.Tensor;
  const cells: Record<string, Cell> = {
    fwd: cell(
      () => tf.engine().runKernel("MaxPool", { x }, attrs as tf.NamedAttrMap) as tf.Tensor,
      [
        0,
        3,
        1,
        2,
      ],
    ),
  };
  if (hasKernel("MaxPoolGrad")) {
    cells.bwd = cell(
      () =>
        tf.engine().runKernel(
          "MaxPoolGrad",
          { dy, input: x, output: y },
          attrs as tf.NamedAttrMap,
        ) as tf.Tensor,
      [0, 3, 1, 2],
    );
  }
  return {
    cells,
    dispose: () => {
      x.dispose();
      dy.dispose();
      y.dispose();
    },
  };
}

export { tf };
