// TensorFlow.js 4.22 (tfjs-backend-cpu, tfjs-backend-wasm on one thread) as conformance
// adapters at the layer-function level: forward through tfjs's public ops, backward through the
// kernels tfjs's own gradient functions call, with the attributes they pass
// (tfjs-core/dist/gradients/*_grad.js; tfjs-core's npm build registers those functions only from
// extensionless ES modules Deno cannot load, so they are mirrored here, assertions included —
// e.g. the MaxPool and AvgPool gradients drop dimRoundingMode, and Conv3DBackpropInputV2 (the
// 3-D transposed convolution) has no gradient). What a tfjs user calls:
// - conv: 1-D as 2-D with height 1 (what tf.conv1d does), tf.conv2d with explicit pads, groups =
//   channels as tf.depthwiseConv2d; 3-D tf.conv3d ('valid' after tf.pad: conv3d takes only
//   'valid'/'same'); the bias by tf.add (tfjs's conv ops have none);
// - conv transpose: tf.conv2dTranspose with explicit pads and the output shape (output padding
//   included), tf.conv3dTranspose 'valid' then cropped by the pads;
// - pools: tf.maxPool/avgPool (explicit pads, dimRoundingMode 'ceil' for ceil mode),
//   tf.maxPool3d/avgPool3d (one symmetric pad for every axis).
// Layouts are transposed NCHW → NHWC and OIHW → HWIO before and back after the op (exact data
// movement). What tfjs's API cannot express (groups other than 1 or depthwise, dilated pooling,
// stride and dilation both above 1, count_include_pad, asymmetric 3-D pool pads) and kernels a
// backend does not register are NotSupportedError: skipped with the reason, never failed.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  type AvgPoolParams,
  type ConvGradientResults,
  type ConvParams,
  type ConvTransposeParams,
  type FloatTensor,
  type Implementation,
  NotSupportedError,
  type PoolParams,
  type TensorResult,
} from "../conformance/mod.ts";

/** The tfjs-core version. */
export const TFJS_VERSION: string = tf.version_core;

/** The two tfjs peers. */
export type TfjsPeer = "tfjs-cpu" | "tfjs-wasm";

let initialised: Promise<void> | undefined;
function init(): Promise<void> {
  initialised ??= (async () => {
    // The wasm binaries ship in the npm package: point tfjs at its dist directory.
    setWasmPaths(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")).href);
    setThreadsCount(1);
    const warn = console.warn;
    console.warn = () => {}; // tfjs suggests tfjs-node on first use
    try {
      await tf.setBackend("cpu");
      await tf.setBackend("wasm");
    } finally {
      console.warn = warn;
    }
  })();
  return initialised;
}

/**
 * A tfjs backend as a conformance implementation.
 *
 * @param peer `"tfjs-cpu"` or `"tfjs-wasm"`.
 * @returns The adapter (forward and backward of conv, conv transpose, max and average pool).
 */
export async function tfjsImplementation(peer: TfjsPeer): Promise<Implementation> {
  await init();
  const backend = peer === "tfjs-cpu" ? "cpu" : "wasm";
  const use = async () => {
    if (tf.getBackend() === backend) return;
    const warn = console.warn;
    console.warn = () => {}; // tfjs suggests tfjs-node when a backend starts
    try {
      if (!(await tf.setBackend(backend))) {
        throw new Error(`${peer}: cannot switch tfjs to the ${backend} backend`);
      }
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
    } finally {
      console.warn = warn;
    }
  };
  // Kernels a backend lacks and the limits tfjs states in its errors are "cannot", not "wrong".
  const guarded = async <T>(what: string, fn: () => T): Promise<T> => {
    await use();
    try {
      return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as T;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const kernel = /Kernel '(\w+)' not registered/.exec(message);
      if (kernel) throw new NotSupportedError(`${what}: no ${kernel[1]} kernel on ${backend}`);
      if (/not yet supported|are not supported/.test(message)) {
        throw new NotSupportedError(`${what}: ${message}`);
      }
      throw error;
    }
  };
  return {
    name: peer,
    conv: (x, w, b, p) =>
      guarded("conv", () => result(convForward(x, w, b, p)(...operands(x, w, b)), p)),
    convBackward: (g, x, w, b, p) =>
      guarded("conv backward", () => convGrads(g, x, w, b, p, backend)),
    convTranspose: (x, w, b, p) =>
      guarded(
        "conv transpose",
        () => result(transposeForward(x, w, b, p)(...operands(x, w, b)), p),
      ),
    convTransposeBackward: (g, x, w, b, p) =>
      guarded("conv transpose backward", () => transposeGrads(g, x, w, b, p, backend)),
    maxPool: (x, p) => guarded("max pool", () => result(poolForward("max", p)(channelsLast(x)), p)),
    maxPoolBackward: (g, x, p) => guarded("max pool backward", () => poolGrad("max", g, x, p)),
    avgPool: (x, p) => guarded("avg pool", () => result(poolForward("avg", p)(channelsLast(x)), p)),
    avgPoolBackward: (g, x, p) => guarded("avg pool backward", () => poolGrad("avg", g, x, p)),
  };
}

type Op = (...inputs: tf.Tensor[]) => tf.Tensor;

// ---- layouts -------------------------------------------------------------------------------

/** Spatial rank as tfjs sees it: 1-D runs as 2-D with a unit height. */
function tfRank(shape: readonly number[]): number {
  return shape.length === 3 ? 2 : shape.length - 2;
}

/** `[N, C, *s]` → channels-last, 1-D lifted to `[N, 1, L, C]`. */
function channelsLast(t: FloatTensor): tf.Tensor {
  const shape = t.shape.length === 3 ? [t.shape[0], t.shape[1], 1, t.shape[2]] : [...t.shape];
  const r = shape.length;
  const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
  return tf.transpose(tf.tensor(t.data, shape, "float32"), perm);
}

/** Channels-last back to `[N, C, *s]` (dropping the lifted unit height of a 1-D case). */
function channelsFirst(t: tf.Tensor, oneD: boolean): TensorResult {
  const r = t.rank;
  const back = tf.transpose(t, [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)]);
  const shape = oneD ? [back.shape[0], back.shape[1], back.shape[3]] as number[] : back.shape;
  return { data: back.dataSync() as Float32Array, shape };
}

/** A weight `[A, B, *k]` → `[*k, B, A]` (Conv OIHW → HWIO; ConvTranspose IOHW → HWOI). */
function kernelLast(t: FloatTensor): tf.Tensor {
  const shape = t.shape.length === 3 ? [t.shape[0], t.shape[1], 1, t.shape[2]] : [...t.shape];
  const r = shape.length;
  const perm = [...Array.from({ length: r - 2 }, (_, i) => i + 2), 1, 0];
  return tf.transpose(tf.tensor(t.data, shape, "float32"), perm);
}

/** The inverse of {@linkcode kernelLast}. */
function kernelFirst(t: tf.Tensor, oneD: boolean): TensorResult {
  const r = t.rank;
  const back = tf.transpose(t, [r - 1, r - 2, ...Array.from({ length: r - 2 }, (_, i) => i)]);
  const shape = oneD ? [back.shape[0], back.shape[1], back.shape[3]] as number[] : back.shape;
  return { data: back.dataSync() as Float32Array, shape };
}

/** Depthwise weight `[C·m, 1, *k]` → tfjs `[kh, kw, C, m]` (output channel c·m + q). */
function depthwiseKernel(t: FloatTensor, channels: number): tf.Tensor {
  const k = t.shape.length === 3 ? [1, t.shape[2]] : t.shape.slice(2);
  const m = t.shape[0] / channels;
  return tf.transpose(tf.tensor(t.data, [channels, m, ...k], "float32"), [2, 3, 0, 1]);
}

/** The inverse of {@linkcode depthwiseKernel}. */
function depthwiseFirst(t: tf.Tensor, oneD: boolean): TensorResult {
  const [kh, kw, c, m] = t.shape;
  const back = tf.transpose(t, [2, 3, 0, 1]);
  return {
    data: back.dataSync() as Float32Array,
    shape: oneD ? [c * m, 1, kw] : [c * m, 1, kh, kw],
  };
}

function result(y: tf.Tensor, p: { outSize: readonly number[] }): TensorResult {
  return channelsFirst(y, p.outSize.length === 1);
}

/** Per-axis params as tfjs's 2-D (1-D lifted with a unit axis in front) or 3-D. */
function lift(list: readonly number[], unit: number): number[] {
  return list.length === 1 ? [unit, list[0]] : [...list];
}

function explicitPads(p: { padBegin: readonly number[]; padEnd: readonly number[] }) {
  const begin = lift(p.padBegin, 0), end = lift(p.padEnd, 0);
  return [[0, 0], ...begin.map((b, i) => [b, end[i]]), [0, 0]] as tf.backend_util.ExplicitPadding;
}

function operands(x: FloatTensor, w: FloatTensor, b: FloatTensor | undefined): tf.Tensor[] {
  return [
    channelsLast(x),
    kernelOf(x, w),
    ...(b ? [tf.tensor(b.data, [b.shape[0]], "float32")] : []),
  ];
}

/** The tfjs filter of a conv weight: HWIO, or `[kh, kw, C, m]` for a depthwise one. */
function kernelOf(x: FloatTensor, w: FloatTensor): tf.Tensor {
  return isDepthwise(x, w) ? depthwiseKernel(w, x.shape[1]) : kernelLast(w);
}

function isDepthwise(x: FloatTensor, w: FloatTensor): boolean {
  return w.shape[1] === 1 && x.shape[1] > 1 && w.shape[0] % x.shape[1] === 0;
}

// ---- convolution ---------------------------------------------------------------------------

function convForward(
  x: FloatTensor,
  w: FloatTensor,
  b: FloatTensor | undefined,
  p: ConvParams,
): Op {
  const rank = tfRank(x.shape);
  const stride = lift(p.stride, 1), dilation = lift(p.dilation, 1);
  const depthwise = p.groups > 1 && p.groups === x.shape[1] && isDepthwise(x, w);
  if (p.groups !== 1 && !depthwise) {
    throw new NotSupportedError(
      `groups ${p.groups} of ${x.shape[1]} channels: tfjs has dense and depthwise convolution only`,
    );
  }
  if (stride.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    throw new NotSupportedError(
      `stride [${p.stride}] with dilation [${p.dilation}]: tfjs needs strides or dilations all 1`,
    );
  }
  if (rank === 3 && depthwise) throw new NotSupportedError("tfjs has no depthwise 3-D convolution");
  const bias = (y: tf.Tensor, bt: tf.Tensor | undefined) => (bt ? tf.add(y, bt) : y);
  if (rank === 2) {
    const pad = explicitPads(p);
    const op = depthwise ? tf.depthwiseConv2d : tf.conv2d;
    return (xt, wt, bt) =>
      bias(
        op(
          xt as tf.Tensor4D,
          wt as tf.Tensor4D,
          stride as [number, number],
          pad,
          "NHWC",
          dilation as [number, number],
        ),
        b ? bt : undefined,
      );
  }
  const pads = explicitPads(p) as [number, number][];
  return (xt, wt, bt) =>
    bias(
      tf.conv3d(
        tf.pad(xt, pads) as tf.Tensor5D,
        wt as tf.Tensor5D,
        stride as [number, number, number],
        "valid",
        "NDHWC",
        dilation as [number, number, number],
      ),
      b ? bt : undefined,
    );
}

/** A kernel call (what tfjs's gradient functions do through their ops). */
function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** tfjs's Add gradient for a bias broadcast over `[N, *spatial, C]`: the sum over all but C. */
function biasGrad(dy: tf.Tensor): TensorResult {
  const sum = tf.sum(dy, Array.from({ length: dy.rank - 1 }, (_, i) => i));
  return { data: sum.dataSync() as Float32Array, shape: sum.shape };
}

/**
 * Each gradient alone (tfjs evaluates only the ones asked for): one whose kernel the backend
 * lacks is omitted with the reason; all missing is NotSupportedError.
 */
function partialGrads(
  backend: string,
  parts: { input: () => TensorResult; weight: () => TensorResult; bias?: () => TensorResult },
): ConvGradientResults {
  const out: { -readonly [K in keyof ConvGradientResults]: ConvGradientResults[K] } = {};
  const missing: string[] = [];
  for (const name of ["input", "weight", "bias"] as const) {
    const fn = parts[name];
    if (fn === undefined) continue;
    try {
      out[name] = fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const found = /Kernel '(\w+)' not registered/.exec(message);
      if (found === null) throw error;
      missing.push(`${name} (no ${found[1]} kernel on ${backend})`);
    }
  }
  if (out.input === undefined && out.weight === undefined && out.bias === undefined) {
    throw new NotSupportedError(`no gradient kernels: ${missing.join(", ")}`);
  }
  if (missing.length > 0) out.omitted = missing.join(", ");
  return out;
}

/** Conv2D_grad, DepthwiseConv2dNative_grad and Conv3D_grad (with the 3-D pre-pad's slice). */
function convGrads(
  g: FloatTensor,
  x: FloatTensor,
  w: FloatTensor,
  b: FloatTensor | undefined,
  p: ConvParams,
  backend: string,
): ConvGradientResults {
  convForward(x, w, b, p); // the same refusals as the forward
  const oneD = x.shape.length === 3;
  const rank = tfRank(x.shape);
  const stride = lift(p.stride, 1), dilation = lift(p.dilation, 1);
  const [xt, wt] = operands(x, w, undefined);
  const dy = channelsLast(g);
  const depthwise = p.groups > 1;
  if (dilation.some((d) => d > 1)) {
    throw new NotSupportedError(
      `tfjs's ${depthwise ? "DepthwiseConv2dNative" : rank === 3 ? "Conv3D" : "Conv2D"} ` +
        `gradient: dilation rates greater than 1 are not yet supported`,
    );
  }
  const bias = b === undefined ? undefined : () => biasGrad(dy);
  if (rank === 3) {
    const pads = explicitPads(p) as [number, number][];
    const padded = tf.pad(xt, pads);
    const common = { strides: stride, pad: "valid" };
    return partialGrads(backend, {
      // Pad's gradient is the slice of the padded input's gradient.
      input: () => {
        const full = kernel("Conv3DBackpropInputV2", { dy, filter: wt }, {
          ...common,
          inputShape: padded.shape,
        });
        return channelsFirst(tf.slice(full, pads.map((q) => q[0]), xt.shape), false);
      },
      weight: () =>
        kernelFirst(
          kernel("Conv3DBackpropFilterV2", { x: padded, dy }, { ...common, filterShape: wt.shape }),
          false,
        ),
      bias,
    });
  }
  const pad = explicitPads(p);
  if (depthwise) {
    const common = { strides: stride, pad, dilations: dilation, dimRoundingMode: undefined };
    return partialGrads(backend, {
      input: () =>
        channelsFirst(
          kernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: wt }, {
            ...common,
            inputShape: xt.shape,
          }),
          oneD,
        ),
      weight: () =>
        depthwiseFirst(
          kernel("DepthwiseConv2dNativeBackpropFilter", { x: xt, dy }, {
            ...common,
            filterShape: wt.shape,
          }),
          oneD,
        ),
      bias,
    });
  }
  const common = { strides: stride, pad, dataFormat: "NHWC", dimRoundingMode: undefined };
  return partialGrads(backend, {
    input: () =>
      channelsFirst(
        kernel("Conv2DBackpropInput", { dy, filter: wt }, { ...common, inputShape: xt.shape }),
        oneD,
      ),
    weight: () =>
      kernelFirst(
        kernel("Conv2DBackpropFilter", { x: xt, dy }, { ...common, filterShape: wt.shape }),
        oneD,
      ),
    bias,
  });
}

// ---- transposed convolution ----------------------------------------------------------------

function transposeForward(
  x: FloatTensor,
  w: FloatTensor,
  b: FloatTensor | undefined,
  p: ConvTransposeParams,
): Op {
  if (p.groups !== 1) {
    throw new NotSupportedError(
      `groups ${p.groups}: tfjs's transposed convolutions are dense only`,
    );
  }
  if (p.dilation.some((d) => d > 1)) {
    throw new NotSupportedError(
      `dilation [${p.dilation}]: tfjs's transposed convolutions have none`,
    );
  }
  const rank = tfRank(x.shape);
  const stride = lift(p.stride, 1);
  const n = x.shape[0], m = w.shape[1];
  const bias = (y: tf.Tensor, bt: tf.Tensor | undefined) => (b && bt ? tf.add(y, bt) : y);
  if (rank === 2) {
    const out = lift(p.outSize, 1);
    const shape = [n, out[0], out[1], m] as [number, number, number, number];
    return (xt, wt, bt) =>
      bias(
        tf.conv2dTranspose(
          xt as tf.Tensor4D,
          wt as tf.Tensor4D,
          shape,
          stride as [number, number],
          explicitPads(p),
        ),
        bt,
      );
  }
  // 'valid' gives the uncropped size stride·(in − 1) + kernel + outputPadding; the pads crop it.
  const full = p.outSize.map((o, i) => o + p.padBegin[i] + p.padEnd[i]);
  const shape = [n, ...full, m] as [number, number, number, number, number];
  return (xt, wt, bt) => {
    const y = tf.conv3dTranspose(
      xt as tf.Tensor5D,
      wt as tf.Tensor5D,
      shape,
      stride as [number, number, number],
      "valid",
    );
    return bias(tf.slice(y, [0, ...p.padBegin, 0], [n, ...p.outSize, m]), bt);
  };
}

/** Conv2DBackpropInput_grad: dX = conv2d(g, filter), dW = Conv2DBackpropFilter(g, x). */
function transposeGrads(
  g: FloatTensor,
  x: FloatTensor,
  w: FloatTensor,
  b: FloatTensor | undefined,
  p: ConvTransposeParams,
  backend: string,
): ConvGradientResults {
  transposeForward(x, w, b, p); // the same refusals as the forward
  if (tfRank(x.shape) === 3) {
    throw new NotSupportedError("tfjs registers no gradient for Conv3DBackpropInputV2");
  }
  const oneD = x.shape.length === 3;
  const stride = lift(p.stride, 1) as [number, number];
  const pad = explicitPads(p);
  const xt = channelsLast(x), wt = kernelLast(w), dy = channelsLast(g);
  return partialGrads(backend, {
    input: () =>
      channelsFirst(tf.conv2d(dy as tf.Tensor4D, wt as tf.Tensor4D, stride, pad, "NHWC", 1), oneD),
    weight: () =>
      kernelFirst(
        kernel("Conv2DBackpropFilter", { x: dy, dy: xt }, {
          strides: stride,
          pad,
          dataFormat: "NHWC",
          filterShape: wt.shape,
        }),
        oneD,
      ),
    bias: b === undefined ? undefined : () => biasGrad(dy),
  });
}

// ---- pooling -------------------------------------------------------------------------------

function poolForward(kind: "max" | "avg", p: PoolParams | AvgPoolParams): Op {
  if (p.dilation.some((d) => d > 1)) {
    throw new NotSupportedError(`dilation [${p.dilation}]: tfjs's pooling ops have none`);
  }
  const padded = [...p.padBegin, ...p.padEnd].some((v) => v > 0);
  if (kind === "avg" && (p as AvgPoolParams).countIncludePad && padded) {
    throw new NotSupportedError("count_include_pad: tfjs's avgPool has no such option");
  }
  const rounding = p.ceilMode ? "ceil" : undefined;
  const kernel = lift(p.kernel, 1), stride = lift(p.stride, 1);
  if (kernel.length === 2) {
    const pad = explicitPads(p);
    const op = kind === "max" ? tf.maxPool : tf.avgPool;
    return (xt) =>
      op(xt as tf.Tensor4D, kernel as [number, number], stride as [number, number], pad, rounding);
  }
  const pads = [...p.padBegin, ...p.padEnd];
  if (pads.some((v) => v !== pads[0])) {
    throw new NotSupportedError(
      `pads [${pads}]: tfjs's 3-D pooling takes one pad for every side of every axis`,
    );
  }
  const op = kind === "max" ? tf.maxPool3d : tf.avgPool3d;
  return (xt) =>
    op(
      xt as tf.Tensor5D,
      kernel as [number, number, number],
      stride as [number, number, number],
      pads[0],
      rounding,
      "NDHWC",
    );
}

/** MaxPool_grad / AvgPool_grad (no dimRoundingMode) and their 3-D versions (with it). */
function poolGrad(
  kind: "max" | "avg",
  g: FloatTensor,
  x: FloatTensor,
  p: PoolParams | AvgPoolParams,
): TensorResult {
  const forward = poolForward(kind, p);
  const xt = channelsLast(x), dy = channelsLast(g);
  const kernelSize = lift(p.kernel, 1), strides = lift(p.stride, 1);
  const oneD = x.shape.length === 3;
  if (kernelSize.length === 2) {
    const attrs = { filterSize: kernelSize, strides, pad: explicitPads(p) };
    const dx = kind === "max"
      ? kernel("MaxPoolGrad", { dy, input: xt, output: forward(xt) }, attrs)
      : kernel("AvgPoolGrad", { dy, input: xt }, attrs);
    return channelsFirst(dx, oneD);
  }
  const attrs = {
    filterSize: kernelSize,
    strides,
    pad: p.padBegin[0],
    dimRoundingMode: p.ceilMode ? "ceil" : undefined,
  };
  const dx = kind === "max"
    ? kernel("MaxPool3DGrad", { dy, input: xt, output: forward(xt) }, attrs)
    : kernel("AvgPool3DGrad", { dy, input: xt }, attrs);
  return channelsFirst(dx, false);
}
