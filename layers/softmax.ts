/**
 * Softmax and log-softmax along one axis, their gradients and modules (PyTorch's `softmax(dim)`
 * and `log_softmax(dim)`; ONNX's opset < 13 "coerce to 2-D" form is the ONNX executor's business).
 *
 * Both subtract the slice maximum before `exp`, so inputs around ±1000 give exact finite results.
 * A −Infinity entry gets probability 0 (log-probability −Infinity); a slice that is all −Infinity,
 * or holds NaN or +Infinity, gives NaN throughout, as in PyTorch. Sums accumulate in float64.
 *
 * @module
 */

import { checkGradOutput, checkTensor, keptByForward } from "./_checks.ts";
import { formatShape, rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import { allocate, type FloatArray, Tensor } from "./tensor.ts";

/** Options of the softmax functions and modules. */
export interface SoftmaxOptions {
  /** The axis to normalise along; negative counts from the end. @default -1 */
  axis?: number;
}

/**
 * Softmax along `axis`: `y_i = exp(x_i − m) / Σ_j exp(x_j − m)`, m the slice maximum.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `axis`.
 * @returns A new tensor of the input's shape and dtype whose slices along `axis` sum to 1.
 * @throws {TypeError} If `input` is not a Tensor or `axis` is not an integer.
 * @throws {RangeError} If `axis` is outside [−rank, rank − 1].
 *
 * @example Large inputs stay finite
 * ```ts
 * import { softmax } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = softmax(new Tensor(new Float64Array([1000, 1000]), [1, 2]));
 * if (y.data.join() !== "0.5,0.5") throw new Error("softmax");
 * ```
 */
export function softmax(input: Tensor, options: SoftmaxOptions = {}): Tensor {
  return _normalize("softmax", input, options, false);
}

/**
 * Log-softmax along `axis`: `y_i = (x_i − m) − log Σ_j exp(x_j − m)`, m the slice maximum.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `axis`.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor or `axis` is not an integer.
 * @throws {RangeError} If `axis` is outside [−rank, rank − 1].
 *
 * @example Two equal logits
 * ```ts
 * import { logSoftmax } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = logSoftmax(new Tensor(new Float64Array([3, 3]), [2]));
 * if (y.data[0] !== -Math.LN2) throw new Error("logSoftmax");
 * ```
 */
export function logSoftmax(input: Tensor, options: SoftmaxOptions = {}): Tensor {
  return _normalize("logSoftmax", input, options, true);
}

/**
 * Gradient of {@linkcode softmax}, from its output: `dx_i = y_i·(g_i − Σ_j g_j·y_j)`.
 *
 * @param gradOutput Gradient with respect to the output.
 * @param saved The forward's `output`.
 * @param options The forward's `axis`.
 * @returns `{ input }`: the gradient with respect to the input, in the output's dtype.
 * @throws {TypeError} If an argument is not a Tensor, the shapes differ, or `axis` is not an
 * integer.
 * @throws {RangeError} If `axis` is out of range.
 *
 * @example A gradient equal along the axis vanishes
 * ```ts
 * import { softmaxBackward } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const output = new Tensor(new Float64Array([0.25, 0.75]), [2]);
 * const { input } = softmaxBackward(Tensor.full([2], 7, "float64"), { output });
 * if (input.data.some((v) => v !== 0)) throw new Error("softmax gradient");
 * ```
 */
export function softmaxBackward(
  gradOutput: Tensor,
  saved: { output: Tensor },
  options: SoftmaxOptions = {},
): { input: Tensor } {
  return { input: _normalizeBackward("softmaxBackward", gradOutput, saved, options, false) };
}

/**
 * Gradient of {@linkcode logSoftmax}, from its output: `dx_i = g_i − exp(y_i)·Σ_j g_j`.
 *
 * @param gradOutput Gradient with respect to the output.
 * @param saved The forward's `output`.
 * @param options The forward's `axis`.
 * @returns `{ input }`: the gradient with respect to the input, in the output's dtype.
 * @throws {TypeError} If an argument is not a Tensor, the shapes differ, or `axis` is not an
 * integer.
 * @throws {RangeError} If `axis` is out of range.
 *
 * @example One-hot gradient
 * ```ts
 * import { logSoftmaxBackward } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const output = new Tensor(new Float64Array([Math.log(0.25), Math.log(0.75)]), [2]);
 * const gradOutput = new Tensor(new Float64Array([1, 0]), [2]);
 * const { input } = logSoftmaxBackward(gradOutput, { output });
 * if (input.data.join() !== "0.75,-0.75") throw new Error("logSoftmax gradient");
 * ```
 */
export function logSoftmaxBackward(
  gradOutput: Tensor,
  saved: { output: Tensor },
  options: SoftmaxOptions = {},
): { input: Tensor } {
  return { input: _normalizeBackward("logSoftmaxBackward", gradOutput, saved, options, true) };
}

/**
 * Softmax as a module, like PyTorch's `nn.Softmax(dim)`.
 *
 * @example Probabilities along the last axis
 * ```ts
 * import { Softmax } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Softmax({ axis: -1 });
 * const y = layer.forward(new Tensor([0, 0, 0, 0], [2, 2]));
 * layer.backward(Tensor.full([2, 2], 1));
 * if (y.data.join() !== "0.5,0.5,0.5,0.5") throw new Error("Softmax");
 * ```
 */
export class Softmax extends Module {
  /** The axis normalised along. */
  readonly axis: number;
  #output: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `axis`.
   * @throws {TypeError} If `axis` is not an integer.
   */
  constructor(options: SoftmaxOptions = {}) {
    super();
    this.axis = _axisOption("Softmax", options?.axis);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `softmax(input)`; the output is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    this.#output = softmax(input, { axis: this.axis });
    return this.#output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    const saved = { output: keptByForward("Softmax", this.#output) };
    return softmaxBackward(gradOutput, saved, { axis: this.axis }).input;
  }
}

/**
 * Log-softmax as a module, like PyTorch's `nn.LogSoftmax(dim)`.
 *
 * @example Log-probabilities along the last axis
 * ```ts
 * import { LogSoftmax } from "./softmax.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new LogSoftmax();
 * const y = layer.forward(new Tensor(new Float64Array([5, 5]), [1, 2]));
 * if (y.data[1] !== -Math.LN2) throw new Error("LogSoftmax");
 * ```
 */
export class LogSoftmax extends Module {
  /** The axis normalised along. */
  readonly axis: number;
  #output: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `axis`.
   * @throws {TypeError} If `axis` is not an integer.
   */
  constructor(options: SoftmaxOptions = {}) {
    super();
    this.axis = _axisOption("LogSoftmax", options?.axis);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `logSoftmax(input)`; the output is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    this.#output = logSoftmax(input, { axis: this.axis });
    return this.#output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    const saved = { output: keptByForward("LogSoftmax", this.#output) };
    return logSoftmaxBackward(gradOutput, saved, { axis: this.axis }).input;
  }
}

// The tensor seen as [outer, n, inner] with `axis` in the middle: slice element k of lane
// (o, i) sits at (o·n + k)·inner + i.
interface _Lanes {
  outer: number;
  n: number;
  inner: number;
}

function _axisOption(op: string, axis: unknown): number {
  if (axis === undefined) return -1;
  if (typeof axis !== "number" || !Number.isInteger(axis)) {
    typeError(op, `axis must be an integer, got ${String(axis)}`);
  }
  return axis;
}

function _lanes(op: string, shape: readonly number[], axisOption: unknown): _Lanes {
  const axis = _axisOption(op, axisOption);
  // A 0-d tensor behaves as one slice of one element, as in PyTorch (dim −1 or 0).
  const rank = Math.max(shape.length, 1);
  if (axis < -rank || axis >= rank) {
    rangeError(
      op,
      `axis must be in [${-rank}, ${rank - 1}] for an input of shape ${formatShape(shape)}, ` +
        `got ${axis}`,
    );
  }
  if (shape.length === 0) return { outer: 1, n: 1, inner: 1 };
  const a = axis < 0 ? axis + rank : axis;
  const prod = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);
  return { outer: prod(shape.slice(0, a)), n: shape[a], inner: prod(shape.slice(a + 1)) };
}

function _normalize(op: string, input: Tensor, options: SoftmaxOptions, log: boolean): Tensor {
  checkTensor(op, "input", input);
  const { outer, n, inner } = _lanes(op, input.shape, options?.axis);
  const x = input.data;
  const y = allocate(x.length, input.dtype);
  // x − max (log) or e^(x − max), kept in float64 so a float32 result is rounded once.
  const scratch = new Float64Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let max = -Infinity;
      for (let k = 0; k < n; k++) {
        const v = x[base + k * inner];
        if (v > max || v !== v) max = v; // NaN wins, as PyTorch's max reduction
        if (max !== max) break;
      }
      let sum = 0;
      if (log) {
        for (let k = 0; k < n; k++) {
          scratch[k] = x[base + k * inner] - max;
          sum += Math.exp(scratch[k]);
        }
        const logSum = Math.log(sum);
        for (let k = 0; k < n; k++) y[base + k * inner] = scratch[k] - logSum;
      } else {
        for (let k = 0; k < n; k++) {
          scratch[k] = Math.exp(x[base + k * inner] - max);
          sum += scratch[k];
        }
        for (let k = 0; k < n; k++) y[base + k * inner] = scratch[k] / sum;
      }
    }
  }
  return new Tensor(y, input.shape);
}

function _normalizeBackward(
  op: string,
  gradOutput: Tensor,
  saved: { output: Tensor },
  options: SoftmaxOptions,
  log: boolean,
): Tensor {
  checkTensor(op, "saved.output", saved?.output);
  const output = saved.output;
  checkGradOutput(op, gradOutput, "output", output.shape);
  const { outer, n, inner } = _lanes(op, output.shape, options?.axis);
  const y = output.data, g = gradOutput.data;
  const dx = allocate(y.length, output.dtype);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      if (log) _logSoftmaxLane(g, y, dx, base, n, inner);
      else _softmaxLane(g, y, dx, base, n, inner);
    }
  }
  return new Tensor(dx, output.shape);
}

function _softmaxLane(
  g: FloatArray,
  y: FloatArray,
  dx: FloatArray,
  base: number,
  n: number,
  stride: number,
): void {
  let dot = 0;
  for (let k = 0; k < n; k++) dot += g[base + k * stride] * y[base + k * stride];
  for (let k = 0; k < n; k++) {
    const j = base + k * stride;
    dx[j] = y[j] * (g[j] - dot);
  }
}

function _logSoftmaxLane(
  g: FloatArray,
  y: FloatArray,
  dx: FloatArray,
  base: number,
  n: number,
  stride: number,
): void {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += g[base + k * stride];
  for (let k = 0; k < n; k++) {
    const j = base + k * stride;
    dx[j] = g[j] - Math.exp(y[j]) * sum;
  }
}
