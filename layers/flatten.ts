/**
 * Flatten to 2-D with ONNX `Flatten` semantics, its gradient and a module.
 *
 * @module
 */

import { checkShape, checkTensor, keptByForward } from "./_checks.ts";
import { formatShape, rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/** Options of {@linkcode flatten}, {@linkcode flattenBackward} and {@linkcode Flatten}. */
export interface FlattenOptions {
  /**
   * Axes before `axis` form the first output dimension, the rest the second; negative counts from
   * the end, range [−rank, rank]. Axis 1 equals PyTorch's `nn.Flatten()` (start_dim 1).
   * @default 1
   */
  axis?: number;
}

/**
 * Reshapes to `[Π shape[:axis], Π shape[axis:]]` (ONNX `Flatten`; axis 0 gives `[1, size]`).
 *
 * @param input A tensor of any rank, float32 or float64.
 * @param options `axis`.
 * @returns A 2-D tensor sharing the input's data (like {@linkcode Tensor.reshape}).
 * @throws {TypeError} If `input` is not a Tensor or `axis` is not an integer.
 * @throws {RangeError} If `axis` is outside [−rank, rank].
 *
 * @example [N, C, H, W] → [N, C·H·W]
 * ```ts
 * import { flatten } from "./flatten.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = flatten(Tensor.zeros([2, 3, 4, 5]));
 * if (y.shape.join() !== "2,60") throw new Error("flatten");
 * ```
 */
export function flatten(input: Tensor, options: FlattenOptions = {}): Tensor {
  checkTensor("flatten", "input", input);
  return input.reshape(_flatShape("flatten", input.shape, options?.axis));
}

/**
 * Gradient of {@linkcode flatten}: `gradOutput` reshaped to the input's shape.
 *
 * @param gradOutput Gradient with respect to the 2-D output.
 * @param saved The forward's `input` (only its shape and dtype are read).
 * @param options The forward's `axis`.
 * @returns `{ input }`: the gradient in the input's shape and dtype (sharing `gradOutput`'s data
 * when the dtypes agree).
 * @throws {TypeError} If an argument is not a Tensor, `gradOutput` does not have the forward's
 * output shape, or `axis` is not an integer.
 * @throws {RangeError} If `axis` is out of range.
 *
 * @example Back to [N, C, H, W]
 * ```ts
 * import { flattenBackward } from "./flatten.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([2, 3, 4]);
 * const g = flattenBackward(Tensor.zeros([2, 12]), { input });
 * if (g.input.shape.join() !== "2,3,4") throw new Error("flattenBackward");
 * ```
 */
export function flattenBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: FlattenOptions = {},
): { input: Tensor } {
  const op = "flattenBackward";
  checkTensor(op, "saved.input", saved?.input);
  checkTensor(op, "gradOutput", gradOutput);
  const input = saved.input;
  const expected = _flatShape(op, input.shape, options?.axis);
  checkShape(op, "gradOutput", gradOutput.shape, "output", expected);
  return { input: gradOutput.astype(input.dtype).reshape(input.shape) };
}

/**
 * Flatten as a module (ONNX `Flatten`; `axis` 1 is PyTorch's `nn.Flatten()`).
 *
 * @example Flatten a feature map for a linear layer
 * ```ts
 * import { Flatten } from "./flatten.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Flatten();
 * const y = layer.forward(Tensor.zeros([8, 16, 5, 5]));
 * const dx = layer.backward(Tensor.zeros([8, 400]));
 * if (y.shape.join() !== "8,400" || dx.shape.join() !== "8,16,5,5") throw new Error("Flatten");
 * ```
 */
export class Flatten extends Module {
  /** The first axis of the second output dimension. */
  readonly axis: number;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `axis`.
   * @throws {TypeError} If `axis` is not an integer.
   */
  constructor(options: FlattenOptions = {}) {
    super();
    this.axis = _axisOption("Flatten", options?.axis);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any rank.
   * @returns `flatten(input)`; the input's shape is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = flatten(input, { axis: this.axis });
    this.#input = input;
    return output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    const saved = { input: keptByForward("Flatten", this.#input) };
    return flattenBackward(gradOutput, saved, { axis: this.axis }).input;
  }
}

function _axisOption(op: string, axis: unknown): number {
  if (axis === undefined) return 1;
  if (typeof axis !== "number" || !Number.isInteger(axis)) {
    typeError(op, `axis must be an integer, got ${String(axis)}`);
  }
  return axis;
}

function _flatShape(op: string, shape: readonly number[], axisOption: unknown): [number, number] {
  const axis = _axisOption(op, axisOption);
  const rank = shape.length;
  if (axis < -rank || axis > rank) {
    rangeError(
      op,
      `axis must be in [${-rank}, ${rank}] for an input of shape ${formatShape(shape)}, ` +
        `got ${axis}`,
    );
  }
  const a = axis < 0 ? axis + rank : axis;
  const prod = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);
  return [prod(shape.slice(0, a)), prod(shape.slice(a))];
}
