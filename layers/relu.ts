/**
 * ReLU, `max(x, 0)` elementwise, with its gradient and a module.
 *
 * Semantics follow PyTorch: `relu(NaN) = NaN`, `relu(−0) = −0` (PyTorch's `max(x, 0)` keeps its
 * first argument unless it is below 0), and the gradient is 0 where `x ≤ 0` (so 0 at x = 0) and
 * passes through elsewhere (x > 0, or NaN).
 *
 * @module
 */

import { keptByForward } from "./_checks.ts";
import { bitsOf, elementwiseOnWasm, mapElements, mapGradient } from "./_elementwise.ts";
import { Module } from "./module.ts";
import { reluBackwardWasm, reluWasm } from "./_wasm/elementwise_wasm.ts";
import type { FloatArray, Tensor } from "./tensor.ts";

/**
 * Rectified linear unit, elementwise: `y = x < 0 ? 0 : x`.
 *
 * @param input A tensor of any shape, float32 or float64.
 * @returns A new tensor of the input's shape and dtype.
 * @throws {TypeError} If `input` is not a Tensor.
 *
 * @example Negative values become 0
 * ```ts
 * import { relu } from "./relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = relu(new Tensor([-2, 0, 3], [3]));
 * if (y.data.join() !== "0,0,3") throw new Error("relu");
 * ```
 */
export function relu(input: Tensor): Tensor {
  return mapElements("relu", input, (x, y) => {
    if (x instanceof Float32Array && y instanceof Float32Array) {
      if (elementwiseOnWasm(x)) reluWasm(x, y);
      else relu32(x, y);
    } else {
      relu64(x, y);
    }
  });
}

/**
 * Gradient of {@linkcode relu}: `dx = x ≤ 0 ? 0 : g` (PyTorch's `threshold_backward`; a NaN input
 * passes the gradient through, a NaN gradient at `x ≤ 0` becomes 0).
 *
 * @param gradOutput Gradient with respect to the output, shaped like the input.
 * @param saved The forward's `input`.
 * @returns `{ input }`: the gradient with respect to the input, in the input's dtype.
 * @throws {TypeError} If an argument is not a Tensor or `gradOutput`'s shape differs from the
 * input's.
 *
 * @example Gradient flows only where x > 0
 * ```ts
 * import { reluBackward } from "./relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const x = new Tensor([-1, 0, 2], [3]);
 * const { input } = reluBackward(Tensor.full([3], 5), { input: x });
 * if (input.data.join() !== "0,0,5") throw new Error("relu gradient");
 * ```
 */
export function reluBackward(gradOutput: Tensor, saved: { input: Tensor }): { input: Tensor } {
  return mapGradient("reluBackward", gradOutput, saved, "input", (x, g, dx) => {
    if (x instanceof Float32Array && g instanceof Float32Array && dx instanceof Float32Array) {
      if (elementwiseOnWasm(x)) reluBackwardWasm(x, g, dx);
      else reluBackward32(x, g, dx);
    } else {
      reluBackward64(x, g, dx);
    }
  });
}

// Float32 runs on the WebAssembly SIMD kernels (./_wasm/elementwise_wasm.ts, the same rules lane
// by lane) where `elementwiseOnWasm` says so; the bit loops below serve the "ts" backend and
// small tensors.
// `x < 0 ? 0 : x` is PyTorch's max(x, 0): NaN and −0 pass through unchanged.
function relu64(x: FloatArray, y: FloatArray): void {
  for (let i = 0; i < x.length; i++) y[i] = x[i] < 0 ? 0 : x[i];
}

// The same on the bits u of float32 x: x < 0 exactly when u is a negative int32 other than −0
// (0x80000000) and at most −Inf (0xff800000 = −8388608); above that lie the negative NaNs. The
// element is cleared then (+0). `(u ^ 0x80000000) − 1 < 0` singles out −0 among negative u;
// for u ≥ 0 that term is −1, masking the first one (which wraps for positive NaNs).
function relu32(x: Float32Array, y: Float32Array): void {
  const xb = bitsOf(x), yb = bitsOf(y), n = xb.length;
  for (let i = 0; i < n; i++) {
    const u = xb[i];
    yb[i] = u & ~(((u + 8388607) >> 31) & ~(((u ^ -2147483648) - 1) >> 31));
  }
}

// `x <= 0 ? 0 : g`, not `x > 0 ? g : 0`: PyTorch's comparison lets a NaN input pass g through.
function reluBackward64(x: FloatArray, g: FloatArray, dx: FloatArray): void {
  for (let i = 0; i < x.length; i++) dx[i] = x[i] <= 0 ? 0 : g[i];
}

// The same on bits: x ≤ 0 when u < 0 and u ≤ −Inf's bits (negatives and −0, not the negative
// NaNs), or u = 0 (+0: u | −u is then the only non-negative value).
function reluBackward32(x: Float32Array, g: Float32Array, dx: Float32Array): void {
  const xb = bitsOf(x), gb = bitsOf(g), db = bitsOf(dx), n = xb.length;
  for (let i = 0; i < n; i++) {
    const u = xb[i];
    db[i] = gb[i] & ~(((u >> 31) & ((u + 8388607) >> 31)) | ~((u | -u) >> 31));
  }
}

/**
 * ReLU as a module, like PyTorch's `nn.ReLU`.
 *
 * @example Forward and backward
 * ```ts
 * import { ReLU } from "./relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new ReLU();
 * const y = layer.forward(new Tensor([-1, 2], [2]));
 * const dx = layer.backward(Tensor.full([2], 1));
 * if (y.data.join() !== "0,2" || dx.data.join() !== "0,1") throw new Error("ReLU");
 * ```
 */
export class ReLU extends Module {
  #input: Tensor | undefined;

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor of any shape.
   * @returns `relu(input)`; the input is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = relu(input);
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
    return reluBackward(gradOutput, { input: keptByForward("ReLU", this.#input) }).input;
  }
}
