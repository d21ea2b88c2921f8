/**
 * Adaptive average pooling (PyTorch `F.adaptive_avg_pool{1,2,3}d` / `nn.AdaptiveAvgPool{1,2,3}d`):
 * `[N, C, *in] → [N, C, *out]` for a requested output size, forward and backward.
 *
 * Output element `i` of an axis of input length `L` and output length `O` averages the input
 * window `[floor(i·L/O), ceil((i+1)·L/O))` (PyTorch's `start_index` / `end_index`): the windows
 * tile the axis exactly when `O` divides `L`, and overlap by one element otherwise (L = 5, O = 3:
 * [0, 2), [1, 4), [3, 5)). An output size of 1 is global average pooling; an output size equal to
 * the input size is the identity. Sums run in float64, rounded once.
 *
 * @module
 */

import { formatShape, formatValue, rangeError, typeError } from "./_errors.ts";
import { checkGradOutput, noForward, savedInput } from "./_pool_args.ts";
import { Module } from "./module.ts";
import { allocate, Tensor } from "./tensor.ts";

/**
 * Requested output size: one number for every spatial axis, or one entry per axis where `null`
 * keeps that axis's input size (PyTorch's `None`).
 */
export type AdaptiveOutputSize = number | readonly (number | null)[];

/**
 * Adaptive average pooling over the 1 to 3 spatial axes of `[N, C, *spatial]`.
 *
 * @param input `[N, C, L]`, `[N, C, H, W]` or `[N, C, D, H, W]`, float32 or float64.
 * @param outputSize Output length of each spatial axis (see {@linkcode AdaptiveOutputSize}).
 * @returns `[N, C, *outputSize]` in the input's dtype.
 * @throws {TypeError} If the input is not a tensor of rank 3 to 5, or `outputSize` is not an
 * integer or has the wrong length.
 * @throws {RangeError} If an output size is below 1 or a spatial axis of the input is empty.
 *
 * @example 5 → 3 with overlapping windows [0, 2), [1, 4), [3, 5)
 * ```ts
 * import { adaptiveAvgPool } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = adaptiveAvgPool(new Tensor([0, 2, 4, 6, 8], [1, 1, 5]), 3);
 * if (y.data.join() !== "1,4,7") throw new Error(`got ${y.data}`);
 * ```
 */
export function adaptiveAvgPool(input: Tensor, outputSize: AdaptiveOutputSize): Tensor {
  const plan = _plan("adaptiveAvgPool", input, outputSize);
  const x = input.data, out = allocate(plan.planes * plan.outPlane, input.dtype);
  _forEachWindow(plan, (p, o, taps) => {
    let sum = 0;
    for (const t of taps) sum += x[p * plan.inPlane + t];
    out[p * plan.outPlane + o] = sum / taps.length;
  });
  return new Tensor(out, plan.outShape);
}

/**
 * Gradient of {@linkcode adaptiveAvgPool}: each output gradient, divided by its window size,
 * added to every input element of the window (accumulated in float64 where windows overlap).
 *
 * @param gradOutput `[N, C, *outputSize]`.
 * @param saved `{ input }` of the forward call (only its shape and dtype are used).
 * @param outputSize The forward's output size.
 * @returns `{ input }`: the input gradient, in the input's dtype.
 * @throws {TypeError} As {@linkcode adaptiveAvgPool}, or if gradOutput's shape differs from the
 * forward output.
 * @throws {RangeError} As {@linkcode adaptiveAvgPool}.
 *
 * @example Overlapping windows add up
 * ```ts
 * import { adaptiveAvgPoolBackward } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([1, 1, 5]);
 * const { input: dx } = adaptiveAvgPoolBackward(new Tensor([2, 3, 4], [1, 1, 3]), { input }, 3);
 * if (dx.data.join() !== "1,2,1,3,2") throw new Error(`got ${dx.data}`);
 * ```
 */
export function adaptiveAvgPoolBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  outputSize: AdaptiveOutputSize,
): { input: Tensor } {
  const op = "adaptiveAvgPoolBackward";
  const input = savedInput(op, saved);
  const plan = _plan(op, input, outputSize);
  checkGradOutput(op, gradOutput, plan.outShape);
  const g = gradOutput.data, acc = new Float64Array(input.size);
  _forEachWindow(plan, (p, o, taps) => {
    const share = g[p * plan.outPlane + o] / taps.length;
    for (const t of taps) acc[p * plan.inPlane + t] += share;
  });
  const dx = allocate(input.size, input.dtype);
  dx.set(acc);
  return { input: new Tensor(dx, input.shape) };
}

/**
 * The adaptive average pooling layer of any spatial rank; {@linkcode AdaptiveAvgPool1d},
 * {@linkcode AdaptiveAvgPool2d} and {@linkcode AdaptiveAvgPool3d} also check the rank.
 *
 * @example Forward and backward
 * ```ts
 * import { AdaptiveAvgPool } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const pool = new AdaptiveAvgPool(1);
 * const y = pool.forward(new Tensor([1, 3, 5, 7], [1, 1, 2, 2]));
 * const dx = pool.backward(Tensor.full([1, 1, 1, 1], 4));
 * if (y.data[0] !== 4 || dx.data.join() !== "1,1,1,1") throw new Error("AdaptiveAvgPool");
 * ```
 */
export class AdaptiveAvgPool extends Module {
  /** The requested output size. */
  readonly outputSize: AdaptiveOutputSize;
  #input: Tensor | undefined;

  /**
   * Builds the layer.
   *
   * @param outputSize Output length of each spatial axis (`null` keeps an axis).
   * @throws {TypeError} If `outputSize` is not an integer or a list of integers and nulls.
   * @throws {RangeError} If an output size is below 1.
   */
  constructor(outputSize: AdaptiveOutputSize) {
    super();
    _checkOutputSize(new.target.name, outputSize);
    this.outputSize = typeof outputSize === "number" ? outputSize : [...outputSize];
  }

  /**
   * Pools `input` and keeps what backward needs.
   *
   * @param input `[N, C, *spatial]` with 1 to 3 spatial axes.
   * @returns `[N, C, *outputSize]`.
   * @throws {TypeError} If the input's rank does not fit (see {@linkcode adaptiveAvgPool}).
   * @throws {RangeError} If a spatial axis is empty.
   */
  forward(input: Tensor): Tensor {
    const output = adaptiveAvgPool(input, this.outputSize);
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
    if (this.#input === undefined) noForward(`${this.constructor.name}.backward`);
    return adaptiveAvgPoolBackward(gradOutput, { input: this.#input }, this.outputSize).input;
  }
}

/**
 * Adaptive average pooling over `[N, C, L]`, like PyTorch's `nn.AdaptiveAvgPool1d`.
 *
 * @example Pool 4 → 2
 * ```ts
 * import { AdaptiveAvgPool1d } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new AdaptiveAvgPool1d(2).forward(new Tensor([1, 3, 5, 7], [1, 1, 4]));
 * if (y.data.join() !== "2,6") throw new Error(`got ${y.data}`);
 * ```
 */
export class AdaptiveAvgPool1d extends AdaptiveAvgPool {
  /**
   * Checks the rank, then pools (see {@linkcode AdaptiveAvgPool.forward}).
   *
   * @param input `[N, C, L]`.
   * @returns `[N, C, outputSize]`.
   * @throws {TypeError} If the input is not 3-D.
   * @throws {RangeError} If L is 0.
   */
  override forward(input: Tensor): Tensor {
    _checkRank("AdaptiveAvgPool1d", input, 1);
    return super.forward(input);
  }
}

/**
 * Adaptive average pooling over `[N, C, H, W]`, like PyTorch's `nn.AdaptiveAvgPool2d`
 * (`AdaptiveAvgPool2d(1)` ends torchvision's classifiers).
 *
 * @example Global pooling to 1×1
 * ```ts
 * import { AdaptiveAvgPool2d } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new AdaptiveAvgPool2d(1).forward(Tensor.arange([1, 2, 2, 2]));
 * if (y.shape.join() !== "1,2,1,1" || y.data.join() !== "1.5,5.5") throw new Error("wrong");
 * ```
 */
export class AdaptiveAvgPool2d extends AdaptiveAvgPool {
  /**
   * Checks the rank, then pools (see {@linkcode AdaptiveAvgPool.forward}).
   *
   * @param input `[N, C, H, W]`.
   * @returns `[N, C, *outputSize]`.
   * @throws {TypeError} If the input is not 4-D.
   * @throws {RangeError} If H or W is 0.
   */
  override forward(input: Tensor): Tensor {
    _checkRank("AdaptiveAvgPool2d", input, 2);
    return super.forward(input);
  }
}

/**
 * Adaptive average pooling over `[N, C, D, H, W]`, like PyTorch's `nn.AdaptiveAvgPool3d`.
 *
 * @example Keep depth, pool H and W to 1
 * ```ts
 * import { AdaptiveAvgPool3d } from "./adaptive_avg_pool.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = new AdaptiveAvgPool3d([null, 1, 1]).forward(Tensor.arange([1, 1, 2, 2, 2]));
 * if (y.shape.join() !== "1,1,2,1,1" || y.data.join() !== "1.5,5.5") throw new Error("wrong");
 * ```
 */
export class AdaptiveAvgPool3d extends AdaptiveAvgPool {
  /**
   * Checks the rank, then pools (see {@linkcode AdaptiveAvgPool.forward}).
   *
   * @param input `[N, C, D, H, W]`.
   * @returns `[N, C, *outputSize]`.
   * @throws {TypeError} If the input is not 5-D.
   * @throws {RangeError} If D, H or W is 0.
   */
  override forward(input: Tensor): Tensor {
    _checkRank("AdaptiveAvgPool3d", input, 3);
    return super.forward(input);
  }
}

interface _Plan {
  readonly planes: number;
  readonly inPlane: number;
  readonly outPlane: number;
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly outShape: readonly number[];
}

const LAYOUTS = ["[N, C, L]", "[N, C, H, W]", "[N, C, D, H, W]"];

function _checkRank(op: string, input: unknown, spatial: number): void {
  if (!(input instanceof Tensor) || input.rank !== spatial + 2) {
    typeError(
      op,
      `input must have shape ${LAYOUTS[spatial - 1]}, got ${
        input instanceof Tensor ? formatShape(input.shape) : typeof input
      }`,
    );
  }
}

function _checkOutputSize(op: string, outputSize: unknown): void {
  const list = typeof outputSize === "number" ? [outputSize] : outputSize;
  if (!Array.isArray(list) || list.length === 0) {
    typeError(
      op,
      `outputSize must be an integer or a non-empty list of integers and nulls, got ${
        formatValue(outputSize)
      }`,
    );
  }
  for (const v of list) {
    if (v === null && typeof outputSize !== "number") continue;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      typeError(op, `outputSize must contain integers (or null), got ${formatValue(outputSize)}`);
    }
    if (v < 1) rangeError(op, `outputSize must be at least 1, got ${formatValue(outputSize)}`);
  }
}

function _plan(op: string, input: unknown, outputSize: AdaptiveOutputSize): _Plan {
  if (!(input instanceof Tensor) || input.rank < 3 || input.rank > 5) {
    typeError(
      op,
      `input must be a Tensor of rank 3, 4 or 5 (${LAYOUTS.join(", ")}), got ${
        input instanceof Tensor ? `shape ${formatShape(input.shape)}` : typeof input
      }`,
    );
  }
  _checkOutputSize(op, outputSize);
  const [n, c, ...inSize] = input.shape;
  if (typeof outputSize !== "number" && outputSize.length !== inSize.length) {
    typeError(
      op,
      `outputSize must have one entry per spatial axis (${inSize.length}), got ${
        formatValue(outputSize)
      }`,
    );
  }
  if (inSize.some((d) => d === 0)) {
    rangeError(op, `spatial axes must not be empty, got input shape ${formatShape(input.shape)}`);
  }
  const outSize = inSize.map((d, k) =>
    typeof outputSize === "number" ? outputSize : outputSize[k] ?? d
  );
  const inPlane = inSize.reduce((a, b) => a * b, 1);
  const outPlane = outSize.reduce((a, b) => a * b, 1);
  return { planes: n * c, inPlane, outPlane, inSize, outSize, outShape: [n, c, ...outSize] };
}

/** PyTorch's window of output `i` on an axis: `[floor(i·L/O), ceil((i+1)·L/O))`. */
function _window(i: number, inLength: number, outLength: number): [number, number] {
  return [Math.floor((i * inLength) / outLength), Math.ceil(((i + 1) * inLength) / outLength)];
}

/**
 * Calls `visit(plane, outputOffset, taps)` for every plane and output element, where `taps` are
 * the in-plane offsets of the window's input elements (row-major). The tap lists depend only on
 * the output element, so they are built once and reused for every plane.
 */
function _forEachWindow(
  plan: _Plan,
  visit: (plane: number, output: number, taps: Int32Array) => void,
): void {
  const { inSize, outSize } = plan;
  const rank = inSize.length;
  const strides = inSize.map((_, k) => inSize.slice(k + 1).reduce((a, b) => a * b, 1));
  const windows: Int32Array[] = [];
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < plan.outPlane; o++) {
    let taps = [0];
    for (let k = 0; k < rank; k++) {
      const [start, end] = _window(index[k], inSize[k], outSize[k]);
      const next: number[] = [];
      for (const t of taps) for (let j = start; j < end; j++) next.push(t + j * strides[k]);
      taps = next;
    }
    windows.push(Int32Array.from(taps));
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < outSize[k]) break;
      index[k] = 0;
    }
  }
  for (let p = 0; p < plan.planes; p++) {
    for (let o = 0; o < plan.outPlane; o++) visit(p, o, windows[o]);
  }
}
