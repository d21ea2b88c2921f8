// One module → ONNX nodes. Each emitter appends its nodes and its state (parameters, batch-norm
// statistics) as initializers in state-dict order (see _state.ts), and returns the name of the
// value it produces. Pads are always written explicitly, resolved by the layers' own geometry for
// the input shape the exporter observed, so "same" padding needs no `auto_pad` interpretation.

import { AvgPool1d, AvgPool2d, AvgPool3d } from "../layers/avg_pool.ts";
import { BatchNorm } from "../layers/batch_norm.ts";
import { ConvNd } from "../layers/conv.ts";
import { ConvTransposeNd, type ConvTransposeOptions } from "../layers/conv_transpose.ts";
import { Dropout } from "../layers/dropout.ts";
import { Flatten } from "../layers/flatten.ts";
import { GlobalAvgPool, GlobalMaxPool } from "../layers/global_pool.ts";
import { LeakyReLU } from "../layers/leaky_relu.ts";
import { Linear } from "../layers/linear.ts";
import { MaxPool1d, MaxPool2d, MaxPool3d } from "../layers/max_pool.ts";
import type { Module } from "../layers/module.ts";
import { Pad } from "../layers/pad.ts";
import { ReLU } from "../layers/relu.ts";
import { Sigmoid } from "../layers/sigmoid.ts";
import { LogSoftmax, Softmax } from "../layers/softmax.ts";
import { Tanh } from "../layers/tanh.ts";
import type { Tensor } from "../layers/tensor.ts";
import { perAxis } from "../layers/_errors.ts";
import { type Geometry, transposedGeometry, windowGeometry } from "../layers/_geometry.ts";
import type { AttributeInput, OnnxNodeInit } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";

/** The graph being built. */
export interface EmitContext {
  readonly opset: number;
  readonly nodes: OnnxNodeInit[];
  readonly initializers: OnnxTensor[];
}

/** One leaf module to translate, with where it sits and what it receives. */
export interface LayerSite {
  readonly layer: Module;
  /** State-dict prefix without the trailing dot: `"3"`, `"1.0"`, or `""` for a lone module. */
  readonly path: string;
  /** Name of the input value. */
  readonly input: string;
  /** Shape of the input value, as observed by the exporter's probe forward. */
  readonly inShape: readonly number[];
}

type Emitter = (ctx: EmitContext, site: LayerSite) => string;

/** Describes a module for messages: `Conv2d (layer 3)`. */
export function describeLayer(site: { layer: Module; path: string }): string {
  const name = site.layer.constructor.name;
  return site.path === "" ? name : `${name} (layer ${site.path})`;
}

function unsupported(site: LayerSite, why: string): never {
  throw new TypeError(`Cannot export ${describeLayer(site)} to ONNX: ${why}`);
}

/** Appends a node named after the layer path and returns its (single) output name. */
function node(
  ctx: EmitContext,
  site: LayerSite,
  opType: string,
  inputs: string[],
  attributes: Record<string, AttributeInput> = {},
): string {
  const name = `/${site.path.replaceAll(".", "/")}${site.path === "" ? "" : "/"}${opType}`;
  const unique = ctx.nodes.some((n) => n.name === name) ? `${name}_${ctx.nodes.length}` : name;
  const output = `${unique}_output_0`;
  ctx.nodes.push({ opType, name: unique, inputs, outputs: [output], attributes });
  return output;
}

/** Adds a state tensor as a float32 initializer named like PyTorch's state dict. */
function initializer(ctx: EmitContext, site: LayerSite, key: string, tensor: Tensor): string {
  const name = site.path === "" ? key : `${site.path}.${key}`;
  const data = tensor.data instanceof Float32Array ? tensor.data : Float32Array.from(tensor.data);
  ctx.initializers.push(new OnnxTensor(data, tensor.shape, { name }));
  return name;
}

/** A constant that is not module state (pads, fill values): a Constant node, not an initializer. */
function constant(ctx: EmitContext, site: LayerSite, value: OnnxTensor): string {
  return node(ctx, site, "Constant", [], { value });
}

const float = (value: number): AttributeInput => ({ type: "float", value });

function pads(g: Geometry): number[] {
  return [...g.padBegin, ...g.padEnd]; // ONNX pads: all begins, then all ends
}

const conv: Emitter = (ctx, site) => {
  const layer = site.layer as ConvNd | ConvTransposeNd;
  const transposed = layer instanceof ConvTransposeNd;
  const options: ConvTransposeOptions = layer.options;
  const op = describeLayer(site);
  const weight = layer.weight.value;
  const kernel = weight.shape.slice(2);
  const inSize = site.inShape.slice(2);
  const { stride, dilation, padding, groups = 1 } = options;
  const g = transposed
    ? transposedGeometry(op, inSize, kernel, {
      stride,
      dilation,
      padding,
      outputPadding: options.outputPadding,
    })
    : windowGeometry(op, inSize, kernel, { stride, dilation, padding });
  const attributes: Record<string, AttributeInput> = {
    kernel_shape: kernel,
    strides: g.stride,
    dilations: g.dilation,
    pads: pads(g),
    group: groups,
  };
  if (transposed) {
    attributes.output_padding = perAxis(op, "outputPadding", options.outputPadding, g.rank, 0, 0);
  }
  const inputs = [site.input, initializer(ctx, site, "weight", weight)];
  if (layer.bias !== undefined) inputs.push(initializer(ctx, site, "bias", layer.bias.value));
  return node(ctx, site, transposed ? "ConvTranspose" : "Conv", inputs, attributes);
};

const maxPool: Emitter = (ctx, site) => {
  const options = (site.layer as MaxPool2d).options;
  const rank = site.inShape.length - 2;
  const kernel = perAxis(describeLayer(site), "kernelSize", options.kernelSize, rank, 1);
  const g = windowGeometry(describeLayer(site), site.inShape.slice(2), kernel, {
    ...options,
    defaultStride: kernel,
  });
  return node(ctx, site, "MaxPool", [site.input], {
    kernel_shape: kernel,
    strides: g.stride,
    dilations: g.dilation,
    pads: pads(g),
    ceil_mode: options.ceilMode ? 1 : 0,
  });
};

const avgPool: Emitter = (ctx, site) => {
  const options = (site.layer as AvgPool2d).options;
  if (options.divisorOverride !== undefined) {
    unsupported(site, "divisorOverride has no ONNX AveragePool equivalent");
  }
  const rank = site.inShape.length - 2;
  const kernel = perAxis(describeLayer(site), "kernelSize", options.kernelSize, rank, 1);
  const g = windowGeometry(describeLayer(site), site.inShape.slice(2), kernel, {
    ...options,
    defaultStride: kernel,
  });
  const attributes: Record<string, AttributeInput> = {
    kernel_shape: kernel,
    strides: g.stride,
    pads: pads(g),
    ceil_mode: options.ceilMode ? 1 : 0,
    count_include_pad: options.countIncludePad === false ? 0 : 1, // ours defaults to PyTorch's 1
  };
  if (g.dilation.some((d) => d !== 1)) {
    if (ctx.opset < 19) unsupported(site, `dilated AveragePool needs opset ≥ 19, got ${ctx.opset}`);
    attributes.dilations = g.dilation;
  }
  return node(ctx, site, "AveragePool", [site.input], attributes);
};

const linear: Emitter = (ctx, site) => {
  const layer = site.layer as Linear;
  const weight = initializer(ctx, site, "weight", layer.weight.value);
  const bias = layer.bias && initializer(ctx, site, "bias", layer.bias.value);
  if (site.inShape.length === 2) {
    const inputs = bias === undefined ? [site.input, weight] : [site.input, weight, bias];
    return node(ctx, site, "Gemm", inputs, { transB: 1 }); // y = x·Wᵀ + b
  }
  // Other ranks: x·Wᵀ by MatMul, keeping the initializer in PyTorch's [out, in] layout.
  const transposed = node(ctx, site, "Transpose", [weight], { perm: [1, 0] });
  const product = node(ctx, site, "MatMul", [site.input, transposed]);
  return bias === undefined ? product : node(ctx, site, "Add", [product, bias]);
};

const batchNorm: Emitter = (ctx, site) => {
  const layer = site.layer as BatchNorm;
  const c = layer.numFeatures;
  const scale = layer.weight
    ? initializer(ctx, site, "weight", layer.weight.value)
    : constant(ctx, site, new OnnxTensor(new Float32Array(c).fill(1), [c]));
  const bias = layer.bias
    ? initializer(ctx, site, "bias", layer.bias.value)
    : constant(ctx, site, new OnnxTensor(new Float32Array(c), [c]));
  const mean = initializer(ctx, site, "running_mean", layer.runningMean);
  const variance = initializer(ctx, site, "running_var", layer.runningVar);
  // ONNX weighs the old running value by `momentum`, PyTorch (and we) the new batch statistic.
  return node(ctx, site, "BatchNormalization", [site.input, scale, bias, mean, variance], {
    epsilon: float(layer.eps),
    momentum: float(1 - layer.momentum),
  });
};

const pad: Emitter = (ctx, site) => {
  const { pads, mode, value } = (site.layer as Pad).options;
  const inputs = [
    site.input,
    constant(ctx, site, new OnnxTensor(BigInt64Array.from(pads, BigInt), [pads.length])),
  ];
  if (mode === "constant") {
    inputs.push(constant(ctx, site, new OnnxTensor(new Float32Array([value]), [])));
  }
  return node(ctx, site, "Pad", inputs, { mode });
};

const simple = (opType: string): Emitter => (ctx, site) => node(ctx, site, opType, [site.input]);

/** Emitters by module class; subclasses of a listed class (Conv2d of ConvNd) match too. */
// deno-lint-ignore ban-types -- abstract classes with protected constructors are only `Function`s
const EMITTERS: readonly [Function, Emitter][] = [
  [ConvNd, conv],
  [ConvTransposeNd, conv],
  [MaxPool1d, maxPool],
  [MaxPool2d, maxPool],
  [MaxPool3d, maxPool],
  [AvgPool1d, avgPool],
  [AvgPool2d, avgPool],
  [AvgPool3d, avgPool],
  [GlobalAvgPool, simple("GlobalAveragePool")],
  [GlobalMaxPool, simple("GlobalMaxPool")],
  [Linear, linear],
  [ReLU, simple("Relu")],
  [
    LeakyReLU,
    (ctx, site) =>
      node(ctx, site, "LeakyRelu", [site.input], {
        alpha: float((site.layer as LeakyReLU).negativeSlope),
      }),
  ],
  [Sigmoid, simple("Sigmoid")],
  [Tanh, simple("Tanh")],
  [
    Softmax,
    (ctx, site) => node(ctx, site, "Softmax", [site.input], { axis: (site.layer as Softmax).axis }),
  ],
  [
    LogSoftmax,
    (ctx, site) =>
      node(ctx, site, "LogSoftmax", [site.input], { axis: (site.layer as LogSoftmax).axis }),
  ],
  [
    Flatten,
    (ctx, site) => node(ctx, site, "Flatten", [site.input], { axis: (site.layer as Flatten).axis }),
  ],
  // The exported graph is for inference, where dropout is the identity.
  [Dropout, simple("Identity")],
  [BatchNorm, batchNorm],
  [Pad, pad],
];

/**
 * Appends the nodes of one leaf module.
 *
 * @returns The name of the module's output value.
 * @throws {TypeError} If the module has no ONNX mapping.
 */
export function emitLayer(ctx: EmitContext, site: LayerSite): string {
  const entry = EMITTERS.find(([cls]) => site.layer instanceof cls);
  if (entry === undefined) {
    unsupported(
      site,
      "no ONNX mapping for this module (supported: Conv1d/2d/3d, ConvTranspose1d/2d/3d, " +
        "MaxPool*, AvgPool*, GlobalAvgPool, GlobalMaxPool, Linear, ReLU, LeakyReLU, Sigmoid, Tanh, " +
        "Softmax, LogSoftmax, Flatten, Dropout, BatchNorm*, Pad, Sequential)",
    );
  }
  return entry[1](ctx, site);
}
