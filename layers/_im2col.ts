// im2col and its adjoint col2im on a 3-D-lifted ConvPlan, for a tile of output positions so the
// column buffer stays within a fixed budget whatever the input size.
//
// For one batch item and one group, the column matrix has a row per (c, kd, kh, kw) — c the
// channel within the group — and a column per flat output position o in [p0, p0 + count):
//   cols[r, o − p0] = x[c, od·sD + kd·dD − pD, oh·sH + kh·dH − pH, ow·sW + kw·dW − pW]
// with 0 where the tap falls in the padding. Positions are walked in runs along the W axis; in a
// run the valid ow form one interval, so each run is zeros, a strided copy, zeros.

import type { ConvPlan } from "./_conv_plan.ts";
import type { FloatArray } from "./tensor.ts";

/** First ow whose tap `ow·stride + offset` is ≥ 0. */
function firstValid(offset: number, stride: number): number {
  return offset >= 0 ? 0 : Math.ceil(-offset / stride);
}

/** One past the last ow whose tap `ow·stride + offset` is < size. */
function endValid(offset: number, stride: number, size: number): number {
  return size - 1 - offset < 0 ? 0 : Math.floor((size - 1 - offset) / stride) + 1;
}

/**
 * Fills `cols` (row-major, `cinG·kD·kH·kW` rows × `count` columns) from the `cinG` channels of
 * `x` starting at `xOffset`, for flat output positions `[p0, p0 + count)`.
 */
export function im2col(
  p: ConvPlan,
  cinG: number,
  x: FloatArray,
  xOffset: number,
  p0: number,
  count: number,
  cols: FloatArray,
): void {
  const { inD, inH, inW, outH, outW, kD, kH, kW, sD, sH, sW } = p;
  const inPlane = inD * inH * inW, outHW = outH * outW;
  const od0 = Math.floor(p0 / outHW), oh0 = Math.floor((p0 % outHW) / outW), ow0 = p0 % outW;
  let row = 0;
  for (let c = 0; c < cinG; c++) {
    const xChannel = xOffset + c * inPlane;
    for (let kd = 0; kd < kD; kd++) {
      const dOff = kd * p.dD - p.pD;
      for (let kh = 0; kh < kH; kh++) {
        const hOff = kh * p.dH - p.pH;
        for (let kw = 0; kw < kW; kw++, row++) {
          const wOff = kw * p.dW - p.pW;
          const lo = firstValid(wOff, sW), hi = endValid(wOff, sW, inW);
          let dst = row * count, od = od0, oh = oh0, ow = ow0, left = count;
          while (left > 0) {
            const end = Math.min(outW, ow + left);
            const id = od * sD + dOff, ih = oh * sH + hOff;
            if (id < 0 || id >= inD || ih < 0 || ih >= inH || lo >= hi) {
              cols.fill(0, dst, dst + end - ow);
              dst += end - ow;
            } else {
              const src = xChannel + (id * inH + ih) * inW + wOff;
              const a = Math.max(ow, lo), b = Math.min(end, hi);
              let o = ow;
              for (; o < a && o < end; o++) cols[dst++] = 0;
              for (; o < b; o++) cols[dst++] = x[src + o * sW];
              for (; o < end; o++) cols[dst++] = 0;
            }
            left -= end - ow;
            ow = 0;
            if (++oh === outH) {
              oh = 0;
              od++;
            }
          }
        }
      }
    }
  }
}

/**
 * The adjoint of {@linkcode im2col}: adds each column entry into the input element it was read
 * from (`dx` at `dxOffset`, `cinG` channels); entries of padding taps are dropped.
 */
export function col2im(
  p: ConvPlan,
  cinG: number,
  cols: FloatArray,
  p0: number,
  count: number,
  dx: FloatArray,
  dxOffset: number,
): void {
  const { inD, inH, inW, outH, outW, kD, kH, kW, sD, sH, sW } = p;
  const inPlane = inD * inH * inW, outHW = outH * outW;
  const od0 = Math.floor(p0 / outHW), oh0 = Math.floor((p0 % outHW) / outW), ow0 = p0 % outW;
  let row = 0;
  for (let c = 0; c < cinG; c++) {
    const dxChannel = dxOffset + c * inPlane;
    for (let kd = 0; kd < kD; kd++) {
      const dOff = kd * p.dD - p.pD;
      for (let kh = 0; kh < kH; kh++) {
        const hOff = kh * p.dH - p.pH;
        for (let kw = 0; kw < kW; kw++, row++) {
          const wOff = kw * p.dW - p.pW;
          const lo = firstValid(wOff, sW), hi = endValid(wOff, sW, inW);
          let src = row * count, od = od0, oh = oh0, ow = ow0, left = count;
          while (left > 0) {
            const end = Math.min(outW, ow + left);
            const id = od * sD + dOff, ih = oh * sH + hOff;
            if (id >= 0 && id < inD && ih >= 0 && ih < inH) {
              const dst = dxChannel + (id * inH + ih) * inW + wOff;
              const a = Math.max(ow, lo), b = Math.min(end, hi);
              for (let o = a; o < b; o++) dx[dst + o * sW] += cols[src + o - ow];
            }
            src += end - ow;
            left -= end - ow;
            ow = 0;
            if (++oh === outH) {
              oh = 0;
              od++;
            }
          }
        }
      }
    }
  }
}
