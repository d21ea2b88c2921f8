// What every node kernel sees: the node, its opset, the executor options, typed attribute
// readers that reject unknown attributes and wrong attribute types, and the error helpers that
// name the node. A kernel is `prepare(ctx)` (attribute parsing, run once at construction) that
// returns the forward; the forward returns the outputs, the reduction lengths and a backward
// closure over the tensors it saved.

import type { Impl } from "../../layers/_impl.ts";
import type { DType, Tensor } from "../../layers/tensor.ts";
import { OnnxFormatError } from "../format_error.ts";
import type { OnnxAttribute, OnnxNode } from "../model.ts";
import type { OnnxTensor } from "../onnx_tensor.ts";
import { UnsupportedOpError } from "../unsupported_error.ts";

/** A gradient, or `undefined` where none flows (treated as zeros). */
export type Grad = Tensor | undefined;

/** The result of running one node forward. */
export interface NodeRun {
  /** One entry per node output; `undefined` for an omitted optional output. */
  readonly outputs: readonly (OnnxTensor | undefined)[];
  /** Per output: terms summed into one element (the tolerance policy's `n`). */
  readonly reduction: readonly number[];
  /**
   * Per input: terms summed into one element of that input's gradient, or `undefined` where no
   * gradient flows to the input (integer inputs, shapes, masks).
   */
  readonly gradReduction: readonly (number | undefined)[];
  /**
   * Input gradients from output gradients (`undefined` entries mean zero). Absent when no input
   * is differentiable.
   */
  readonly backward?: (gradOutputs: readonly Grad[]) => Grad[];
}

/** The forward of a prepared node. */
export type NodeForward = (inputs: readonly (OnnxTensor | undefined)[]) => NodeRun;

/** One operator of the default domain. */
export interface OpKernel {
  /** The first default-domain opset defining the operator. */
  readonly since: number;
  /** Parses and validates the node's attributes and arity; returns its forward. */
  prepare(ctx: NodeContext): NodeForward;
}

type KnownAttribute = Exclude<OnnxAttribute, { readonly type: "unsupported" }>;

/** Executor options every kernel may read. */
export interface KernelOptions {
  /** Implementation of convolution and pooling. */
  readonly impl: Impl;
  /** Evaluating `|X| ⋆ |W|` for the tolerance bound (see `ExecutorOptions.absolute`). */
  readonly absolute: boolean;
  /** Forced float type, if any: float outputs of Cast and Constant take it. */
  readonly floatType: DType | undefined;
}

/** A node, its opset and typed access to its attributes. */
export class NodeContext {
  /** The node. */
  readonly node: OnnxNode;
  /** Its position in the graph. */
  readonly index: number;
  /** Opset version of the default domain. */
  readonly opset: number;
  /** Executor options. */
  readonly options: KernelOptions;
  readonly #graph: string;

  constructor(
    node: OnnxNode,
    index: number,
    opset: number,
    options: KernelOptions,
    graph: string,
  ) {
    this.node = node;
    this.index = index;
    this.opset = opset;
    this.options = options;
    this.#graph = graph;
  }

  /** The node's name, or `#<index>` when it has none. */
  get label(): string {
    return this.node.name === "" ? `#${this.index}` : this.node.name;
  }

  /** Throws {@linkcode UnsupportedOpError} naming the node. */
  unsupported(reason: string): never {
    throw new UnsupportedOpError(this.label, this.node.opType, reason);
  }

  /** Throws `OnnxFormatError` for a malformed node. */
  malformed(field: string, problem: string): never {
    const path = `graph.node[${this.index}]${field === "" ? "" : `.${field}`}`;
    throw new OnnxFormatError(
      `graph ${JSON.stringify(this.#graph)}`,
      path,
      `Cannot run ONNX graph ${JSON.stringify(this.#graph)}: ${path} (${this.#who()}): ${problem}`,
    );
  }

  /** Throws a `TypeError` naming the node (a run-time shape or type mismatch). */
  typeError(rule: string): never {
    throw new TypeError(`Cannot run ONNX node ${this.#who()}: ${rule}`);
  }

  /** Throws a `RangeError` naming the node (a run-time value out of range). */
  rangeError(rule: string): never {
    throw new RangeError(`Cannot run ONNX node ${this.#who()}: ${rule}`);
  }

  #who(): string {
    const name = this.node.name === "" ? `#${this.index}` : JSON.stringify(this.node.name);
    return `${name} (${this.node.opType})`;
  }

  /** Checks the number of inputs and outputs (trailing optional ones may be omitted). */
  arity(inputs: readonly [number, number], outputs: readonly [number, number]): void {
    const check = (
      list: readonly string[],
      [min, max]: readonly [number, number],
      what: string,
    ) => {
      if (list.length < min || list.length > max) {
        this.malformed(
          what,
          `${this.node.opType}-${this.opset} takes ${min === max ? min : `${min} to ${max}`} ` +
            `${what}s, got ${list.length}`,
        );
      }
      for (let i = 0; i < min; i++) {
        if (list[i] === "") this.malformed(`${what}[${i}]`, `required ${what} ${i} is empty`);
      }
    };
    check(this.node.inputs, inputs, "input");
    check(this.node.outputs, outputs, "output");
  }

  /**
   * `["consumed_inputs"]` below `before` (the opset that dropped it; 6 for most ops), else `[]`:
   * opset 1's "legacy optimization attribute" (in-place hints), which has no effect on values.
   */
  consumedInputs(before = 6): string[] {
    return this.opset < before ? ["consumed_inputs"] : [];
  }

  /** Whether output `i` exists and is named (optional outputs may be omitted or `""`). */
  wants(i: number): boolean {
    return i < this.node.outputs.length && this.node.outputs[i] !== "";
  }

  /** Whether input `i` exists and is named. */
  has(i: number): boolean {
    return i < this.node.inputs.length && this.node.inputs[i] !== "";
  }

  /**
   * Rejects attributes the operator does not define at this opset: an unknown attribute may
   * change semantics we do not implement.
   */
  known(names: readonly string[]): void {
    for (const name of Object.keys(this.node.attributes)) {
      if (!names.includes(name)) {
        this.unsupported(
          `attribute ${name} is not defined for ${this.node.opType} at opset ${this.opset}`,
        );
      }
    }
  }

  #attribute(name: string, type: OnnxAttribute["type"]): KnownAttribute | undefined {
    const attribute = this.node.attributes[name];
    if (attribute === undefined) return undefined;
    if (attribute.type === "unsupported") {
      this.unsupported(`attribute ${name} has an unsupported type (${attribute.kind})`);
    }
    if (attribute.type !== type) {
      this.malformed(
        `attribute.${name}`,
        `attribute ${name} must be ${type.toUpperCase()}, got ${attribute.type.toUpperCase()}`,
      );
    }
    return attribute;
  }

  /** An INT attribute, or `fallback` when absent. */
  int(name: string, fallback: number): number;
  /** An INT attribute, or `undefined` when absent. */
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.#attribute(name, "int");
    return a === undefined ? fallback : a.value as number;
  }

  /** An INTS attribute, or `undefined` when absent. */
  ints(name: string): number[] | undefined {
    const a = this.#attribute(name, "ints");
    return a === undefined ? undefined : [...a.value as readonly number[]];
  }

  /** A FLOAT attribute (its float32 value), or `fallback` when absent. */
  float(name: string, fallback: number): number {
    const a = this.#attribute(name, "float");
    return a === undefined ? fallback : a.value as number;
  }

  /** A FLOATS attribute, or `undefined` when absent. */
  floats(name: string): number[] | undefined {
    const a = this.#attribute(name, "floats");
    return a === undefined ? undefined : [...a.value as readonly number[]];
  }

  /** A STRING attribute, or `fallback` when absent. */
  string(name: string, fallback: string): string {
    const a = this.#attribute(name, "string");
    return a === undefined ? fallback : a.value as string;
  }

  /** A TENSOR attribute, or `undefined` when absent. */
  tensor(name: string): OnnxTensor | undefined {
    const a = this.#attribute(name, "tensor");
    return a === undefined ? undefined : a.value as OnnxTensor;
  }

  /** A 0/1 INT attribute as a boolean. */
  flag(name: string, fallback: boolean): boolean {
    const v = this.int(name);
    if (v === undefined) return fallback;
    if (v !== 0 && v !== 1) this.unsupported(`attribute ${name} must be 0 or 1, got ${v}`);
    return v === 1;
  }

  /** Normalises an axis into [0, rank), or throws naming the attribute. */
  axis(name: string, axis: number, rank: number): number {
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
      this.rangeError(
        `${name} ${axis} is out of range for rank ${rank} (must be in [${-rank}, ${rank - 1}])`,
      );
    }
    return axis < 0 ? axis + rank : axis;
  }
}
