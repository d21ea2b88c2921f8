/**
 * Global average and max pooling: one value per `(n, c)` plane over all spatial axes,
 * `[N, C, *spatial] → [N, C, 1, ..., 1]` (same rank; ONNX GlobalAveragePool / GlobalMaxPool,
 * PyTorch `adaptive_{avg,max}_pool` to size 1), forward and backward.
 *
 * The max follows {@linkcode maxPool}'s rules: the first maximum in row-major order takes the
 * gradient, and a NaN wins its plane (the last NaN takes the gradient).
 *
 * @module
 */

import { formatShape, rangeError, typeError } from "./_errors.ts";
import { checkGradOutput, noForward, savedInput } from "./_pool_args.ts";
import { Module } from "./module.ts";
import { allocate, Tensor } from "./tensor.ts";

/**
 * Mean over all spatial axes of each `(n, c)` plane, accumulated in float64.
 *
 * @param input `[N, C, *spatial]` with at least one spatial axis, float32 or float64.
 * @returns `[N, C, 1, ..., 1]` in the input's dtype.
 * @throws {TypeError} If the input is not a tensor of rank 3 or more.
 * @throws {RangeError} If a spatial axis is empty.
 *
 * @example Mean of each plane
 * ```ts
 * import { globalAvgPool } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = globalAvgPool(Tensor.arange([1, 2, 2, 2]));
 * if (y.shape.join() !== "1,2,1,1" || y.data.join() !== "1.5,5.5") throw new Error("wrong");
 * ```
 */
export function globalAvgPool(input: Tensor): Tensor {
  const { planes, size, outShape } = planesOf("globalAvgPool", input);
  const x = input.data, out = allocate(planes, input.dtype);
  for (let p = 0; p < planes; p++) {
    let sum = 0;
    for (let i = p * size, end = i + size; i < end; i++) sum += x[i];
    out[p] = sum / size;
  }
  return new Tensor(out, outShape);
}

/**
 * Gradient of {@linkcode globalAvgPool}: every element of a plane gets its output's gradient
 * divided by the plane size.
 *
 * @param gradOutput `[N, C, 1, ..., 1]`.
 * @param saved `{ input }` of the forward call (only its shape and dtype are used).
 * @returns `{ input }`: the input gradient, in the input's dtype.
 * @throws {TypeError} If the input is not a tensor of rank 3 or more, or gradOutput's shape
 * differs from the forward output.
 * @throws {RangeError} If a spatial axis is empty.
 *
 * @example Spread evenly
 * ```ts
 * import { globalAvgPoolBackward } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([1, 1, 2, 2]);
 * const { input: dx } = globalAvgPoolBackward(Tensor.full([1, 1, 1, 1], 4), { input });
 * if (dx.data.join() !== "1,1,1,1") throw new Error("wrong");
 * ```
 */
export function globalAvgPoolBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
): { input: Tensor } {
  const input = savedInput("globalAvgPool backward", saved);
  const { planes, size, outShape } = planesOf("globalAvgPool", input);
  checkGradOutput("globalAvgPool backward", gradOutput, outShape);
  const gy = gradOutput.data, dx = allocate(input.size, input.dtype);
  for (let p = 0; p < planes; p++) dx.fill(gy[p] / size, p * size, (p + 1) * size);
  return { input: new Tensor(dx, input.shape) };
}

/**
 * Maximum over all spatial axes of each `(n, c)` plane; NaN wins.
 *
 * @param input `[N, C, *spatial]` with at least one spatial axis, float32 or float64.
 * @returns `[N, C, 1, ..., 1]` in the input's dtype.
 * @throws {TypeError} If the input is not a tensor of rank 3 or more.
 * @throws {RangeError} If a spatial axis is empty.
 *
 * @example Maximum of each plane
 * ```ts
 * import { globalMaxPool } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = globalMaxPool(new Tensor([3, -1, 7, 2, NaN, 0], [1, 2, 3]));
 * if (y.data[0] !== 7 || !Number.isNaN(y.data[1])) throw new Error("wrong");
 * ```
 */
export function globalMaxPool(input: Tensor): Tensor {
  const { planes, outShape } = planesOf("globalMaxPool", input);
  const out = allocate(planes, input.dtype);
  const winners = argmax(input, planes);
  for (let p = 0; p < planes; p++) out[p] = input.data[winners[p]];
  return new Tensor(out, outShape);
}

/**
 * Gradient of {@linkcode globalMaxPool}: each plane's gradient goes to its first maximum (or its
 * last NaN); every other element gets 0.
 *
 * @param gradOutput `[N, C, 1, ..., 1]`.
 * @param saved `{ input }` of the forward call.
 * @returns `{ input }`: the input gradient, in the input's dtype.
 * @throws {TypeError} If the input is not a tensor of rank 3 or more, or gradOutput's shape
 * differs from the forward output.
 * @throws {RangeError} If a spatial axis is empty.
 *
 * @example Ties go to the first maximum
 * ```ts
 * import { globalMaxPoolBackward } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = new Tensor([1, 5, 5, 1], [1, 1, 2, 2]);
 * const { input: dx } = globalMaxPoolBackward(Tensor.full([1, 1, 1, 1], 1), { input });
 * if (dx.data.join() !== "0,1,0,0") throw new Error("wrong");
 * ```
 */
export function globalMaxPoolBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
): { input: Tensor } {
  const input = savedInput("globalMaxPool backward", saved);
  const { planes, outShape } = planesOf("globalMaxPool", input);
  checkGradOutput("globalMaxPool backward", gradOutput, outShape);
  return { input: scatter(input, argmax(input, planes), gradOutput) };
}

/**
 * Global average pooling layer (ONNX GlobalAveragePool): `[N, C, *spatial] → [N, C, 1, ...]`.
 *
 * @example Forward and backward
 * ```ts
 * import { GlobalAvgPool } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new GlobalAvgPool();
 * const y = pool.forward(new Tensor([1, 3], [1, 1, 2]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data[0] !== 2 || dx.data.join() !== "0.5,0.5") throw new Error("wrong");
 * ```
 */
export class GlobalAvgPool extends Module {
  #input: Tensor | undefined;

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, *spatial]`.
   * @returns `[N, C, 1, ..., 1]`.
   * @throws {TypeError} If the input is not a tensor of rank 3 or more.
   * @throws {RangeError} If a spatial axis is empty.
   */
  forward(input: Tensor): Tensor {
    const output = globalAvgPool(input);
    this.#input = input;
    return output;
  }

  /**
   * Routes `gradOutput` back to the last input.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} Before any forward.
   * @throws {TypeError} If the shape differs from the last output.
   */
  backward(gradOutput: Tensor): Tensor {
    if (this.#input === undefined) {
      noForward("globalAvgPool backward");
    }
    return globalAvgPoolBackward(gradOutput, { input: this.#input }).input;
  }
}

/**
 * Global max pooling layer (ONNX GlobalMaxPool): `[N, C, *spatial] → [N, C, 1, ...]`. Forward
 * keeps the argmax, so backward is a scatter.
 *
 * @example Forward and backward
 * ```ts
 * import { GlobalMaxPool } from "./global_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new GlobalMaxPool();
 * const y = pool.forward(new Tensor([1, 3, 2], [1, 1, 3]));
 * const dx = pool.backward(Tensor.full(y.shape, 1));
 * if (y.data[0] !== 3 || dx.data.join() !== "0,1,0") throw new Error("wrong");
 * ```
 */
export class GlobalMaxPool extends Module {
  #cache: { input: Tensor; winners: Int32Array; outShape: readonly number[] } | undefined;

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, *spatial]`.
   * @returns `[N, C, 1, ..., 1]`.
   * @throws {TypeError} If the input is not a tensor of rank 3 or more.
   * @throws {RangeError} If a spatial axis is empty.
   */
  forward(input: Tensor): Tensor {
    const { planes, outShape } = planesOf("globalMaxPool", input);
    const winners = argmax(input, planes);
    const out = allocate(planes, input.dtype);
    for (let p = 0; p < planes; p++) out[p] = input.data[winners[p]];
    this.#cache = { input, winners, outShape };
    return new Tensor(out, outShape);
  }

  /**
   * Routes `gradOutput` back to the last input.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} Before any forward.
   * @throws {TypeError} If the shape differs from the last output.
   */
  backward(gradOutput: Tensor): Tensor {
    const op = "globalMaxPool backward";
    if (this.#cache === undefined) noForward(op);
    checkGradOutput(op, gradOutput, this.#cache.outShape);
    return scatter(this.#cache.input, this.#cache.winners, gradOutput);
  }
}

/** Validates a global-pool input; returns plane count, plane size and output shape. */
function planesOf(
  op: string,
  input: unknown,
): { planes: number; size: number; outShape: number[] } {
  if (!(input instanceof Tensor) || input.rank < 3) {
    typeError(
      op,
      `input must be a Tensor [N, C, *spatial] with at least one spatial axis, got ${
        input instanceof Tensor ? `shape ${formatShape(input.shape)}` : typeof input
      }`,
    );
  }
  const [n, c, ...spatial] = input.shape;
  if (spatial.some((d) => d === 0)) {
    rangeError(op, `spatial axes must not be empty, got shape ${formatShape(input.shape)}`);
  }
  const size = spatial.reduce((a, b) => a * b, 1);
  return { planes: n * c, size, outShape: [n, c, ...spatial.map(() => 1)] };
}

/** Flat offset of each plane's winner: first maximum (`>`), but any later NaN takes over. */
function argmax(input: Tensor, planes: number): Int32Array {
  const x = input.data, size = input.size / Math.max(planes, 1);
  const winners = new Int32Array(planes);
  for (let p = 0; p < planes; p++) {
    let at = p * size, best = x[at];
    for (let i = at + 1, end = at + size; i < end; i++) {
      const v = x[i];
      if (v > best || v !== v) {
        best = v;
        at = i;
      }
    }
    winners[p] = at;
  }
  return winners;
}

function scatter(input: Tensor, winners: Int32Array, gradOutput: Tensor): Tensor {
  const dx = allocate(input.size, input.dtype);
  for (let p = 0; p < winners.length; p++) dx[winners[p]] += gradOutput.data[p];
  return new Tensor(dx, input.shape);
}
