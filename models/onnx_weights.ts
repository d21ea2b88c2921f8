/**
 * Load the weights of an ONNX model (e.g. a PyTorch export) into a module built from this
 * package's classes.
 *
 * @module
 */

import { formatShape, formatValue } from "../layers/_errors.ts";
import { Module } from "../layers/module.ts";
import type { OnnxModel } from "../onnx/model.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { stateEntries } from "./_state.ts";

const FLOAT_TYPES: ReadonlySet<string> = new Set(["float32", "float64", "float16", "bfloat16"]);

/**
 * Copies a model's floating-point initializers, in file order, into the module's parameters (and
 * batch-norm running statistics) in state-dict order: the order `module.parameters()` lists them,
 * which is the order PyTorch's `torch.onnx.export` and {@linkcode exportOnnx} write them.
 * Initializer names are not matched (a PyTorch export says `conv1.weight` where our Sequential
 * says `0.weight`), but every shape is: nothing is copied unless the count and all shapes agree.
 * Integer initializers (reshape targets, pads) are skipped. Values are rounded to the parameter's
 * dtype.
 *
 * @param module The module to fill (its parameter tensors are written in place).
 * @param model A decoded model, e.g. from `readModelFile`.
 * @throws {TypeError} If `module` is not a Module, `model` has no graph, the number of float
 * initializers differs from the number of parameters, or an initializer's shape differs from its
 * parameter's (the message names both).
 *
 * @example Copy weights from one LeNet-5 into another
 * ```ts
 * import { loadOnnxWeights } from "./onnx_weights.ts";
 * import { exportOnnx } from "./onnx_export.ts";
 * import { lenet5 } from "./lenet5.ts";
 * import { decodeModel } from "../onnx/model.ts";
 * const source = lenet5({ seed: 1 }), target = lenet5({ seed: 2 });
 * loadOnnxWeights(target, decodeModel(exportOnnx(source, { inputShape: [1, 1, 28, 28] })));
 * if (target.parameters()[0].value.data[0] !== source.parameters()[0].value.data[0]) {
 *   throw new Error("not copied");
 * }
 * ```
 */
export function loadOnnxWeights(module: Module, model: OnnxModel): void {
  const op = "Cannot load ONNX weights";
  if (!(module instanceof Module)) {
    throw new TypeError(`${op}: module must be a Module, got ${formatValue(module)}`);
  }
  const initializers = model?.graph?.initializers;
  if (!Array.isArray(initializers)) {
    throw new TypeError(`${op}: model must be a decoded ONNX model with a graph`);
  }
  const sources = (initializers as readonly OnnxTensor[]).filter((t) => FLOAT_TYPES.has(t.dtype));
  const targets = stateEntries(module);
  if (sources.length !== targets.length) {
    const extra = sources.length > targets.length
      ? `first unmatched initializer is ${JSON.stringify(sources[targets.length].name)}`
      : `first unmatched parameter is ${targets[sources.length].name}`;
    throw new TypeError(
      `${op}: the model has ${sources.length} float initializers but the module has ` +
        `${targets.length} parameters and buffers (${extra})`,
    );
  }
  sources.forEach((source, i) => {
    const target = targets[i];
    const same = source.dims.length === target.tensor.rank &&
      source.dims.every((d, axis) => d === target.tensor.shape[axis]);
    if (!same) {
      throw new TypeError(
        `${op}: initializer ${JSON.stringify(source.name ?? `#${i}`)} has shape ${
          formatShape(source.dims)
        } but parameter ${target.name} (number ${i}) has shape ${formatShape(target.tensor.shape)}`,
      );
    }
  });
  sources.forEach((source, i) => targets[i].tensor.data.set(source.data as ArrayLike<number>));
}
