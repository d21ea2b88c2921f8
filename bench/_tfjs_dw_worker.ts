// Runs tfjs-backend-cpu's Conv2DBackpropFilter once in a worker, so the bench can give up on it
// after a time budget (it runs at about 0.01 GFLOP/s: minutes on the larger workloads).
// Message in: { x, dy (NCHW), workload }; out: { ms, dw (OIHW) }.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { convShapes, type ConvWorkload } from "./_workloads.ts";

interface Job {
  x: Float32Array;
  dy: Float32Array;
  workload: ConvWorkload;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Job>) => void) | null;
  postMessage: (message: unknown) => void;
};

scope.onmessage = async (event) => {
  const { x: xData, dy: dyData, workload: w } = event.data;
  const warn = console.warn;
  console.warn = () => {};
  await tf.setBackend("cpu");
  console.warn = warn;
  const shapes = convShapes(w);
  const x = tf.transpose(tf.tensor(xData, shapes.x), [0, 2, 3, 1]);
  const dy = tf.transpose(tf.tensor(dyData, shapes.y), [0, 2, 3, 1]);
  const pad = w.pad === 0 ? "valid" : [[0, 0], [w.pad, w.pad], [w.pad, w.pad], [0, 0]];
  const attrs = {
    strides: [w.stride, w.stride],
    pad,
    dataFormat: "NHWC",
    filterShape: [w.k, w.k, w.cin, w.cout],
  };
  const t0 = performance.now();
  const dw = tf.engine().runKernel(
    "Conv2DBackpropFilter",
    { x, dy },
    attrs as tf.NamedAttrMap,
  ) as tf.Tensor;
  const ms = performance.now() - t0;
  const oihw = tf.transpose(dw, [3, 2, 0, 1]).dataSync() as Float32Array;
  scope.postMessage({ ms, dw: oihw });
};
