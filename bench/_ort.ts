// The ONNX Runtime peer (npm:onnxruntime-node, CPU, sequential execution with 1 or N intra-op
// threads): forward passes only, as single-node models built with onnx/single_node.ts. The timed
// region is `session.run`, which includes copying the input in and the output out.

import * as ort from "onnxruntime-node";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel } from "../onnx/single_node.ts";
import type { Cell, ConvData } from "./_ours.ts";
import { convShapes, type ConvWorkload, type PoolWorkload } from "./_workloads.ts";

ort.env.logLevel = "fatal";

function options(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    logSeverityLevel: 4,
  };
}

/** The onnxruntime-node version. */
export const ORT_VERSION: string = ort.env.versions.node ?? "1.30.0";

async function session(
  model: Uint8Array,
  input: Float32Array,
  dims: number[],
  threads: number,
): Promise<Cell> {
  const s = await ort.InferenceSession.create(model, options(threads));
  const feeds = { x: new ort.Tensor("float32", input, dims) };
  const run = async () => (await s.run(feeds)).y.data as Float32Array;
  return { run, result: run };
}

/** Conv forward as a single Conv node with the weight as an initializer, on `threads` threads. */
export function ortConv(w: ConvWorkload, data: ConvData, threads = 1): Promise<Cell> {
  const shapes = convShapes(w);
  const model = singleNodeModel({
    opType: "Conv",
    inputs: [{ name: "x", dtype: "float32", dims: shapes.x }],
    initializers: [new OnnxTensor(data.weight, shapes.weight, { name: "w" })],
    outputs: [{ name: "y", dtype: "float32", dims: shapes.y }],
    attributes: {
      kernel_shape: [w.k, w.k],
      strides: [w.stride, w.stride],
      pads: [w.pad, w.pad, w.pad, w.pad],
      group: w.groups ?? 1,
    },
    opset: 17,
  });
  return session(model, data.x, shapes.x, threads);
}

/** Max-pool forward as a single MaxPool node, on `threads` threads. */
export function ortPool(
  w: PoolWorkload,
  x: Float32Array,
  outShape: number[],
  threads = 1,
): Promise<Cell> {
  const dims = [w.n, w.c, w.h, w.w];
  const model = singleNodeModel({
    opType: "MaxPool",
    inputs: [{ name: "x", dtype: "float32", dims }],
    outputs: [{ name: "y", dtype: "float32", dims: outShape }],
    attributes: { kernel_shape: [w.k, w.k], strides: [w.stride, w.stride] },
    opset: 17,
  });
  return session(model, x, dims, threads);
}
