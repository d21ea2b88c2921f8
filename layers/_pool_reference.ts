// Definitional pooling: one output at a time, every kernel tap, `continue` on taps outside the
// input (ONNX op_pool / tfjs cpu style); a window too large to walk (2^30 taps over padding)
// visits only the taps that can reach the input, computed per axis. Sums are plain JS numbers
// (float64); gradients collect in a Float64Array and are rounded to the output type once.
// Check-free: the public functions validate. Windows are lifted to [D, H, W] (see
// _pool_window.ts).

import type { PoolWindow } from "./_pool_window.ts";
import type { FloatArray } from "./tensor.ts";

/**
 * The taps `k` of a window starting at `start` (taps at start + k·dilation, k < kernel) that can
 * land in [0, n): `[first, end)`, empty when none do. The loops still test every coordinate;
 * this only spares them a window of 2^30 taps of which three touch the input.
 */
function inside(start: number, kernel: number, dilation: number, n: number): [number, number] {
  const first = start < 0 ? Math.ceil(-start / dilation) : 0;
  const end = Math.min(kernel, Math.floor((n - 1 - start) / dilation) + 1);
  return end > first ? [first, end] : [0, 0];
}

/** How many taps of a window starting at `start` lie below `n` (a prefix of the kernel). */
function below(start: number, kernel: number, dilation: number, n: number): number {
  return Math.max(0, Math.min(kernel, Math.floor((n - 1 - start) / dilation) + 1));
}

/**
 * Average windows of at most this many taps are walked tap by tap, each tested (the definition);
 * larger ones (a 2^30-tap kernel over SAME padding) walk only the taps that reach the input and
 * count the padded ones per axis (checked against the fast path by the fuzzer's model mutations,
 * and exactly by layers/hostile_input_test.ts).
 */
const WALKED_TAPS = 1 << 16;

/** How an average is divided. */
export interface AvgDivisor {
  /** Count taps in the explicit padding (not the ceil-mode overhang). */
  readonly countIncludePad: boolean;
  /** Divide by this instead of a count. */
  readonly divisorOverride?: number;
}

/**
 * Max pooling: `out` gets each window's maximum and `indices` the flat offset of the winner in its
 * input plane, −1 for a window without input elements (its output is −Infinity). The winner is
 * the first maximum in row-major tap order (`>`), except that a NaN always takes over (so the last
 * NaN wins) — PyTorch's `(val > maxval) || isnan(val)`.
 */
export function maxPoolReference(
  x: FloatArray,
  w: PoolWindow,
  out: FloatArray,
  indices: Int32Array,
): void {
  const [D, H, W] = w.inSize, [oD, oH, oW] = w.outSize, [kD, kH, kW] = w.kernel;
  const [sD, sH, sW] = w.stride, [dD, dH, dW] = w.dilation, [pD, pH, pW] = w.padBegin;
  let o = 0;
  for (let p = 0; p < w.planes; p++) {
    const base = p * w.inPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++, o++) {
          let best = -Infinity, at = -1;
          const [d0, d1] = inside(od * sD - pD, kD, dD, D);
          const [h0, h1] = inside(oh * sH - pH, kH, dH, H);
          const [w0, w1] = inside(ow * sW - pW, kW, dW, W);
          for (let kd = d0; kd < d1; kd++) {
            const id = od * sD - pD + kd * dD;
            if (id < 0 || id >= D) continue;
            for (let kh = h0; kh < h1; kh++) {
              const ih = oh * sH - pH + kh * dH;
              if (ih < 0 || ih >= H) continue;
              for (let kw = w0; kw < w1; kw++) {
                const iw = ow * sW - pW + kw * dW;
                if (iw < 0 || iw >= W) continue;
                const offset = (id * H + ih) * W + iw;
                const v = x[base + offset];
                if (at < 0 || v > best || v !== v) {
                  best = v;
                  at = offset;
                }
              }
            }
          }
          out[o] = best;
          indices[o] = at;
        }
      }
    }
  }
}

/** Max-pool input gradient: each window's gradient goes to its winner (see maxPoolReference). */
export function maxPoolBackwardReference(
  x: FloatArray,
  gy: FloatArray,
  w: PoolWindow,
  gx: FloatArray,
): void {
  const outputs = w.planes * w.outPlane;
  const indices = new Int32Array(outputs);
  maxPoolReference(x, w, new Float64Array(outputs), indices);
  const sum = new Float64Array(gx.length);
  for (let p = 0, o = 0; p < w.planes; p++) {
    for (let j = 0; j < w.outPlane; j++, o++) {
      if (indices[o] >= 0) sum[p * w.inPlane + indices[o]] += gy[o];
    }
  }
  gx.set(sum);
}

/**
 * Visits the window of every output: `visit(o, divisor, taps)` where `taps` lists the input
 * offsets (plane offset included) of the window's elements inside the input.
 */
function eachAverageWindow(
  w: PoolWindow,
  divisor: AvgDivisor,
  visit: (o: number, divisor: number, taps: number[]) => void,
): void {
  const [D, H, W] = w.inSize, [oD, oH, oW] = w.outSize, [kD, kH, kW] = w.kernel;
  const [sD, sH, sW] = w.stride, [dD, dH, dW] = w.dilation, [pD, pH, pW] = w.padBegin;
  const [eD, eH, eW] = w.padEnd;
  const taps: number[] = [];
  let o = 0;
  for (let p = 0; p < w.planes; p++) {
    const base = p * w.inPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++, o++) {
          taps.length = 0;
          let padded = 0;
          const sd = od * sD - pD, sh = oh * sH - pH, sw = ow * sW - pW;
          if (kD * kH * kW <= WALKED_TAPS) {
            for (let kd = 0; kd < kD; kd++) {
              const id = sd + kd * dD;
              for (let kh = 0; kh < kH; kh++) {
                const ih = sh + kh * dH;
                for (let kw = 0; kw < kW; kw++) {
                  const iw = sw + kw * dW;
                  // The padded extent is [−padBegin, in + padEnd): the ceil overhang is not in it.
                  if (id < D + eD && ih < H + eH && iw < W + eW) padded++;
                  if (id < 0 || id >= D || ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                  taps.push(base + (id * H + ih) * W + iw);
                }
              }
            }
          } else {
            // A window never starts before −padBegin, so per axis its padded taps are a prefix.
            padded = below(sd, kD, dD, D + eD) * below(sh, kH, dH, H + eH) *
              below(sw, kW, dW, W + eW);
            const [d0, d1] = inside(sd, kD, dD, D);
            const [h0, h1] = inside(sh, kH, dH, H);
            const [w0, w1] = inside(sw, kW, dW, W);
            for (let kd = d0; kd < d1; kd++) {
              for (let kh = h0; kh < h1; kh++) {
                for (let kw = w0; kw < w1; kw++) {
                  taps.push(base + ((sd + kd * dD) * H + sh + kh * dH) * W + sw + kw * dW);
                }
              }
            }
          }
          const d = divisor.divisorOverride ??
            (divisor.countIncludePad ? padded : taps.length);
          visit(o, d, taps);
        }
      }
    }
  }
}

/** Average pooling; a window without input elements gives 0 (PyTorch). */
export function avgPoolReference(
  x: FloatArray,
  w: PoolWindow,
  divisor: AvgDivisor,
  out: FloatArray,
): void {
  eachAverageWindow(w, divisor, (o, d, taps) => {
    let sum = 0;
    for (const t of taps) sum += x[t];
    out[o] = taps.length === 0 ? 0 : sum / d;
  });
}

/** Average-pool input gradient: each window spreads gradOutput / divisor over its elements. */
export function avgPoolBackwardReference(
  gy: FloatArray,
  w: PoolWindow,
  divisor: AvgDivisor,
  gx: FloatArray,
): void {
  const sum = new Float64Array(gx.length);
  eachAverageWindow(w, divisor, (o, d, taps) => {
    const g = gy[o] / d;
    for (const t of taps) sum[t] += g;
  });
  gx.set(sum);
}
