// A tiny builder for the small ONNX graphs the ONNX Runtime golden source runs: adjoints
// (backward passes written as forward ONNX ops) and their magnitude variants.

import type { AttributeInput, OnnxDim, OnnxNodeInit, OnnxValueInfoInit } from "../onnx/model.ts";
import { encodeModel } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { GRID_OPSET } from "../conformance/grid.ts";

/** A graph under construction: named inputs, nodes appended in order, constants as initializers. */
export class _Graph {
  #nodes: OnnxNodeInit[] = [];
  #initializers: OnnxTensor[] = [];
  #inputs: OnnxValueInfoInit[] = [];
  #count = 0;

  /** Declares a float32 (or int64) graph input and returns its name. */
  input(name: string, shape: readonly OnnxDim[], dtype: "float32" | "int64" = "float32"): string {
    this.#inputs.push({ name, dtype, shape });
    return name;
  }

  /** Appends a node with one output; returns the output name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeInput> = {},
  ): string {
    return this.ops(opType, inputs, 1, attributes)[0];
  }

  /** Appends a node with `count` outputs; returns their names. */
  ops(
    opType: string,
    inputs: readonly string[],
    count: number,
    attributes: Record<string, AttributeInput> = {},
  ): string[] {
    const outputs = Array.from({ length: count }, () => `t${this.#count++}`);
    this.#nodes.push({ opType, inputs, outputs, attributes });
    return outputs;
  }

  /** An int64 constant (shapes, axes, slice bounds). */
  ints(values: readonly number[]): string {
    const name = `c${this.#count++}`;
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.#initializers.push(new OnnxTensor(data, [values.length], { name }));
    return name;
  }

  /** A float32 constant of the given shape (a scalar by default). */
  floats(values: readonly number[], shape: readonly number[] = []): string {
    const name = `c${this.#count++}`;
    this.#initializers.push(new OnnxTensor(Float32Array.from(values), shape, { name }));
    return name;
  }

  /** `Transpose` with a permutation. */
  transpose(x: string, perm: readonly number[]): string {
    return this.op("Transpose", [x], { perm });
  }

  /** `Reshape` to a fixed shape. */
  reshape(x: string, shape: readonly number[]): string {
    return this.op("Reshape", [x, this.ints(shape)]);
  }

  /** `Slice` of `[starts, ends)` along `axes`. */
  slice(
    x: string,
    starts: readonly number[],
    ends: readonly number[],
    axes: readonly number[],
  ): string {
    return this.op("Slice", [x, this.ints(starts), this.ints(ends), this.ints(axes)]);
  }

  /** `ReduceSum` over `axes`, keeping them as size-1 axes when `keep`. */
  reduceSum(x: string, axes: readonly number[], keep = false): string {
    return this.op("ReduceSum", [x, this.ints(axes)], { keepdims: keep ? 1 : 0 });
  }

  /** Encodes the model with float32 outputs of unknown shape (ORT infers them). */
  build(outputs: Record<string, string>): Uint8Array {
    const nodes = [...this.#nodes];
    // Graph outputs get stable names through Identity nodes.
    for (const [name, value] of Object.entries(outputs)) {
      nodes.push({ opType: "Identity", inputs: [value], outputs: [name] });
    }
    return encodeModel({
      irVersion: 8,
      opsetImports: { "": GRID_OPSET },
      producerName: "tasks/golden.ts",
      graph: {
        name: "adjoint",
        nodes,
        initializers: this.#initializers,
        inputs: this.#inputs,
        outputs: Object.keys(outputs).map((name) => ({ name, dtype: "float32" })),
      },
    });
  }
}
