/**
 * Inverted dropout (as PyTorch): in training each element is kept with probability 1 − p and
 * scaled by 1/(1 − p), so the expected output equals the input; in evaluation it is the identity.
 *
 * The functional form is deterministic: it draws from a `Random` seeded with `seed` (or from the
 * `random` generator you pass) and returns the scaled mask, which is all its gradient needs.
 *
 * @module
 */

import { checkGradOutput, checkTensor, keptByForward } from "./_checks.ts";
import { rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import { Random } from "./random.ts";
import { allocate, Tensor } from "./tensor.ts";

/** Options of {@linkcode dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element, in [0, 1] (1 zeroes everything). @default 0.5 */
  p?: number;
  /** Whether to drop; `false` returns the input unchanged. @default true */
  training?: boolean;
  /** Seed of the mask's generator when `random` is not given. @default 0 */
  seed?: number;
  /** Generator to draw the mask from (advanced by one draw per element); overrides `seed`. */
  random?: Random;
}

/** Options of the {@linkcode Dropout} module. */
export interface DropoutModuleOptions {
  /** Probability of zeroing an element, in [0, 1]. @default 0.5 */
  p?: number;
  /** Seed of the module's generator; each forward draws a fresh mask from it. @default 0 */
  seed?: number;
}

/**
 * Inverted dropout: `output = input ⊙ mask`, mask entries 1/(1 − p) with probability 1 − p and 0
 * otherwise. As in PyTorch this is a product, so a dropped NaN or ±Infinity gives NaN.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @param options `p`, `training`, `seed` and `random`.
 * @returns `{ output, mask }`, both in the input's shape and dtype; in evaluation `output` is
 * `input` itself and `mask` is all ones.
 * @throws {TypeError} If `input` is not a Tensor or `p` is not a number.
 * @throws {RangeError} If `p` is outside [0, 1].
 *
 * @example Reproducible mask
 * ```ts
 * import { dropout } from "./dropout.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = Tensor.full([8], 1);
 * const a = dropout(x, { p: 0.5, seed: 3 }), b = dropout(x, { p: 0.5, seed: 3 });
 * if (a.output.data.join() !== b.output.data.join()) throw new Error("not reproducible");
 * if (a.output.data.some((v) => v !== 0 && v !== 2)) throw new Error("scale is 1/(1-p)");
 * ```
 */
export function dropout(
  input: Tensor,
  options: DropoutOptions = {},
): { output: Tensor; mask: Tensor } {
  const op = "dropout";
  const p = _checkP(op, options?.p);
  checkTensor(op, "input", input);
  const { training = true, seed = 0 } = options ?? {};
  if (!training) return { output: input, mask: Tensor.full(input.shape, 1, input.dtype) };
  const random = options?.random ?? new Random(seed);
  const mask = allocate(input.size, input.dtype);
  // Keep with probability 1 − p: a uniform 32-bit draw below (1 − p)·2³² (p = 1 keeps none).
  const threshold = (1 - p) * 4294967296;
  const scale = p < 1 ? 1 / (1 - p) : 0;
  for (let i = 0; i < mask.length; i++) mask[i] = random.nextUint32() < threshold ? scale : 0;
  const x = input.data;
  const y = allocate(input.size, input.dtype);
  for (let i = 0; i < y.length; i++) y[i] = x[i] * mask[i];
  return { output: new Tensor(y, input.shape), mask: new Tensor(mask, input.shape) };
}

/**
 * Gradient of {@linkcode dropout}: `dx = g ⊙ mask`.
 *
 * @param gradOutput Gradient with respect to the output.
 * @param saved The forward's `mask`.
 * @returns `{ input }`: the gradient in the mask's shape and dtype.
 * @throws {TypeError} If an argument is not a Tensor or the shapes differ.
 *
 * @example The gradient follows the mask
 * ```ts
 * import { dropoutBackward } from "./dropout.ts";
 * import { Tensor } from "./tensor.ts";
 * const mask = new Tensor([2, 0, 2], [3]);
 * const { input } = dropoutBackward(Tensor.full([3], 3), { mask });
 * if (input.data.join() !== "6,0,6") throw new Error("dropout gradient");
 * ```
 */
export function dropoutBackward(gradOutput: Tensor, saved: { mask: Tensor }): { input: Tensor } {
  const op = "dropoutBackward";
  checkTensor(op, "saved.mask", saved?.mask);
  const mask = saved.mask;
  checkGradOutput(op, gradOutput, "mask", mask.shape);
  const g = gradOutput.data, m = mask.data;
  const dx = allocate(m.length, mask.dtype);
  for (let i = 0; i < dx.length; i++) dx[i] = g[i] * m[i];
  return { input: new Tensor(dx, mask.shape) };
}

/**
 * Dropout as a module, like PyTorch's `nn.Dropout`: a fresh mask per forward from the module's own
 * seeded generator while training, the identity after `eval()`.
 *
 * @example Identity in evaluation
 * ```ts
 * import { Dropout } from "./dropout.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Dropout({ p: 0.5, seed: 1 }).eval();
 * const x = Tensor.full([4], 3);
 * if (layer.forward(x) !== x) throw new Error("eval dropout is the identity");
 * ```
 */
export class Dropout extends Module {
  /** Probability of zeroing an element. */
  readonly p: number;
  #random: Random;
  #mask: Tensor | undefined;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `p` and `seed`.
   * @throws {TypeError} If `p` is not a number.
   * @throws {RangeError} If `p` is outside [0, 1].
   */
  constructor(options: DropoutModuleOptions = {}) {
    super();
    this.p = _checkP("Dropout", options?.p);
    this.#random = new Random(options?.seed ?? 0);
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns The input with a new random mask applied (training) or the input itself (eval).
   */
  forward(input: Tensor): Tensor {
    if (!this.training) {
      checkTensor("Dropout.forward", "input", input);
      this.#input = input;
      this.#mask = undefined;
      return input;
    }
    const { output, mask } = dropout(input, { p: this.p, random: this.#random });
    this.#input = input;
    this.#mask = mask;
    return output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input (through the last mask, or unchanged if the
   * last forward ran in evaluation mode).
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    const input = keptByForward("Dropout", this.#input);
    if (this.#mask !== undefined) return dropoutBackward(gradOutput, { mask: this.#mask }).input;
    checkGradOutput("Dropout.backward", gradOutput, "input", input.shape);
    return gradOutput.astype(input.dtype);
  }
}

function _checkP(op: string, p: unknown): number {
  if (p === undefined) return 0.5;
  if (typeof p !== "number") typeError(op, `p must be a number, got ${typeof p}`);
  if (!(p >= 0 && p <= 1)) rangeError(op, `p must be in [0, 1], got ${p}`);
  return p;
}
