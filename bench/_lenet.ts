// The LeNet-5 training step of the bench: conv 1→6 k5, ReLU, max pool 2, conv 6→16 k5, ReLU,
// max pool 2, flatten, 256→120→84→10 with ReLU, softmax cross-entropy (mean), plain SGD — the
// network of models/lenet5.ts, built here from the layers so the bench does not depend on the
// model code. One step = forward, loss, backward, parameter update, on a batch of 28×28 images.
// The tfjs version uses the same initial weights, so the first step's gradients can be compared.

import { Conv2d } from "../layers/conv.ts";
import { CrossEntropyLoss } from "../layers/cross_entropy.ts";
import { Flatten } from "../layers/flatten.ts";
import { Linear } from "../layers/linear.ts";
import { MaxPool2d } from "../layers/max_pool.ts";
import type { Parameter } from "../layers/module.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { Tensor } from "../layers/tensor.ts";
import { SGD } from "../optim/sgd.ts";
import type { OurImpl } from "./_ours.ts";
import type { tf as TF } from "./_tfjs.ts";

/** FLOPs of one step: three times the forward's multiply-adds ×2 (forward, dX, dW). */
export function lenetStepFlops(batch: number): number {
  const conv1 = 2 * batch * 6 * 24 * 24 * 25;
  const conv2 = 2 * batch * 16 * 8 * 8 * 150;
  const dense = 2 * batch * (256 * 120 + 120 * 84 + 84 * 10);
  return 3 * (conv1 + conv2 + dense);
}

/** Input batch and labels of the step. */
export interface LeNetData {
  x: Float32Array;
  labels: number[];
  batch: number;
}

const LR = 0.01;

/** Our network, its parameters (conv OIHW, linear [out, in]) and a step function. */
export function ourLeNet(data: LeNetData, impl: OurImpl): {
  params: Parameter[];
  step: () => void;
  /** Parameter gradients of one forward/backward from the current weights (no update). */
  gradients: () => Float32Array[];
} {
  const conv = impl === "reference" ? "reference" : "fast";
  const net = new Sequential(
    new Conv2d({ inChannels: 1, outChannels: 6, kernelSize: 5, seed: 1, impl: conv }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2, impl: conv }),
    new Conv2d({ inChannels: 6, outChannels: 16, kernelSize: 5, seed: 2, impl: conv }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2, impl: conv }),
    new Flatten(),
    new Linear({ inFeatures: 256, outFeatures: 120, seed: 3 }),
    new ReLU(),
    new Linear({ inFeatures: 120, outFeatures: 84, seed: 4 }),
    new ReLU(),
    new Linear({ inFeatures: 84, outFeatures: 10, seed: 5 }),
  );
  const params = net.parameters();
  const loss = new CrossEntropyLoss();
  const optimizer = new SGD(params, { lr: LR });
  const x = new Tensor(data.x, [data.batch, 1, 28, 28]);
  const backward = () => {
    net.zeroGrad();
    loss.forward(net.forward(x), data.labels);
    net.backwardParameters(loss.backward()); // as train() and PyTorch: no gradient for the images
  };
  return {
    params,
    step: () => {
      backward();
      optimizer.step();
    },
    gradients: () => {
      backward();
      return params.map((p) => Float32Array.from(p.grad.data));
    },
  };
}

/**
 * The same step in tfjs (NHWC), starting from `params` (our layouts, copied). tfjs-core's
 * autodiff needs gradient registrations that only the `@tensorflow/tfjs` union package loads,
 * so the backward is written out with the same kernels autodiff would call
 * (Conv2DBackpropFilter/Input, MaxPoolGrad, matMul); it skips conv1's unused input gradient.
 */
export function tfjsLeNet(tf: typeof TF, data: LeNetData, params: Parameter[]): {
  step: () => void;
  gradients: () => Float32Array[];
  dispose: () => void;
} {
  // Our order: conv1 w, b, conv2 w, b, fc1 w, b, fc2 w, b, fc3 w, b.
  const vars = params.map((p, i) => {
    const t = tf.tensor(p.value.data as Float32Array, [...p.value.shape]);
    // Conv weights OIHW → HWIO; linear weights stay [out, in] (matMul with transposeB).
    const v = p.value.rank === 4 && i < 4 ? tf.transpose(t, [2, 3, 1, 0]) : t;
    const variable = tf.variable(v, true, `lenet${i}`);
    if (v !== t) v.dispose();
    t.dispose();
    return variable;
  });
  const n = data.batch;
  const x = tf.tidy(() => tf.transpose(tf.tensor(data.x, [n, 1, 28, 28]), [0, 2, 3, 1]));
  const onehot = tf.oneHot(tf.tensor1d(data.labels, "int32"), 10);
  const kernel = (name: string, inputs: TF.NamedTensorMap, attrs: object) =>
    tf.engine().runKernel(name, inputs, attrs as TF.NamedAttrMap) as TF.Tensor;
  const conv = { strides: [1, 1], pad: "valid", dataFormat: "NHWC" };
  const pool = { filterSize: [2, 2], strides: [2, 2], pad: "valid" };
  /** Gradients in the variables' layouts (HWIO conv weights). */
  const grads = (): TF.Tensor[] =>
    tf.tidy(() => {
      const [w1, b1, w2, b2, f1, g1, f2, g2, f3, g3] = vars;
      const a1 = tf.relu(tf.add(tf.conv2d(x as TF.Tensor4D, w1 as TF.Tensor4D, 1, "valid"), b1));
      const p1 = tf.maxPool(a1 as TF.Tensor4D, 2, 2, "valid");
      const a2 = tf.relu(tf.add(tf.conv2d(p1, w2 as TF.Tensor4D, 1, "valid"), b2));
      const p2 = tf.maxPool(a2 as TF.Tensor4D, 2, 2, "valid");
      // Flatten in NCHW order, as our Flatten does.
      const flat = tf.reshape(tf.transpose(p2, [0, 3, 1, 2]), [n, 256]) as TF.Tensor2D;
      const h1 = tf.relu(
        tf.add(tf.matMul(flat, f1 as TF.Tensor2D, false, true), g1),
      ) as TF.Tensor2D;
      const h2 = tf.relu(tf.add(tf.matMul(h1, f2 as TF.Tensor2D, false, true), g2)) as TF.Tensor2D;
      const logits = tf.add(tf.matMul(h2, f3 as TF.Tensor2D, false, true), g3);
      // Mean softmax cross-entropy: dlogits = (softmax − onehot) / N.
      const dl = tf.div(tf.sub(tf.softmax(logits), onehot), n) as TF.Tensor2D;
      const dh2 = tf.mul(tf.matMul(dl, f3 as TF.Tensor2D), tf.step(h2)) as TF.Tensor2D;
      const dh1 = tf.mul(tf.matMul(dh2, f2 as TF.Tensor2D), tf.step(h1)) as TF.Tensor2D;
      const dflat = tf.matMul(dh1, f1 as TF.Tensor2D);
      const dp2 = tf.transpose(tf.reshape(dflat, [n, 16, 4, 4]), [0, 2, 3, 1]);
      const dz2 = tf.mul(
        kernel("MaxPoolGrad", { dy: dp2, input: a2, output: p2 }, pool),
        tf.step(a2),
      );
      const dp1 = kernel("Conv2DBackpropInput", { dy: dz2, filter: w2 }, {
        ...conv,
        inputShape: p1.shape,
      });
      const dz1 = tf.mul(
        kernel("MaxPoolGrad", { dy: dp1, input: a1, output: p1 }, pool),
        tf.step(a1),
      );
      return [
        kernel("Conv2DBackpropFilter", { x, dy: dz1 }, { ...conv, filterShape: w1.shape }),
        tf.sum(dz1, [0, 1, 2]),
        kernel("Conv2DBackpropFilter", { x: p1, dy: dz2 }, { ...conv, filterShape: w2.shape }),
        tf.sum(dz2, [0, 1, 2]),
        tf.matMul(dh1, flat, true, false),
        tf.sum(dh1, 0),
        tf.matMul(dh2, h1, true, false),
        tf.sum(dh2, 0),
        tf.matMul(dl, h2, true, false),
        tf.sum(dl, 0),
      ];
    });
  return {
    step: () => {
      const g = grads();
      tf.tidy(() => vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(g[i], LR)))));
      for (const t of g) t.dispose();
    },
    gradients: () => {
      const g = grads();
      return g.map((t, i) => {
        const ours = i < 4 && t.rank === 4 ? tf.transpose(t, [3, 2, 0, 1]) : t;
        const out = Float32Array.from(ours.dataSync() as Float32Array);
        if (ours !== t) ours.dispose();
        t.dispose();
        return out;
      });
    },
    dispose: () => {
      for (const v of vars) v.dispose();
      x.dispose();
      onehot.dispose();
    },
  };
}
