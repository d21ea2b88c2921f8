// The definitional convolution: plain loop nests over a 3-D-lifted ConvPlan, strides hoisted,
// `continue` on taps that fall in the padding (they contribute nothing), sums in float64 (plain JS
// numbers) written once to the output array, whatever its type. Check-free: callers validate.
//
//   y[n, co, o]   = b[co] + Σ_{ci ∈ group(co), k} x[n, ci, o·s + k·d − p] · w[co, ci − c0, k]
//   dx[n, ci, i]  = Σ_{co ∈ group(ci), k, o : o·s + k·d − p = i} dy[n, co, o] · w[co, ci − c0, k]
//   dw[co, c, k]  = Σ_{n, o} dy[n, co, o] · x[n, c0 + c, o·s + k·d − p]

import type { ConvPlan } from "./_conv_plan.ts";
import type { FloatArray } from "./tensor.ts";

/** y = conv(x, w) + bias, overwriting `y`. */
export function forwardReference(
  p: ConvPlan,
  x: FloatArray,
  w: FloatArray,
  bias: FloatArray | undefined,
  y: FloatArray,
): void {
  const { inD, inH, inW, outD, outH, outW, kD, kH, kW } = p;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const inPlane = inD * inH * inW, outPlane = outD * outH * outW, kVol = kD * kH * kW;
  for (let n = 0; n < p.batch; n++) {
    for (let co = 0; co < p.outChannels; co++) {
      const c0 = Math.floor(co / coutG) * cinG;
      const xBatch = (n * p.inChannels + c0) * inPlane;
      const wBase = co * cinG * kVol;
      let yIndex = (n * p.outChannels + co) * outPlane;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            let sum = bias === undefined ? 0 : bias[co];
            for (let c = 0; c < cinG; c++) {
              const xChannel = xBatch + c * inPlane;
              const wChannel = wBase + c * kVol;
              for (let kd = 0; kd < kD; kd++) {
                const id = od * p.sD + kd * p.dD - p.pD;
                if (id < 0 || id >= inD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * p.sH + kh * p.dH - p.pH;
                  if (ih < 0 || ih >= inH) continue;
                  const xRow = xChannel + (id * inH + ih) * inW;
                  const wRow = wChannel + (kd * kH + kh) * kW;
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * p.sW + kw * p.dW - p.pW;
                    if (iw < 0 || iw >= inW) continue;
                    sum += x[xRow + iw] * w[wRow + kw];
                  }
                }
              }
            }
            y[yIndex++] = sum;
          }
        }
      }
    }
  }
}

/**
 * dx = ∂L/∂x given dy = ∂L/∂y, overwriting `dx`. Gather form: each input element sums the taps
 * that read it, i.e. the output positions `o = (i + p − k·d) / s` that are integers in range.
 */
export function backwardInputReference(
  p: ConvPlan,
  dy: FloatArray,
  w: FloatArray,
  dx: FloatArray,
): void {
  const { inD, inH, inW, outD, outH, outW, kD, kH, kW, sD, sH, sW } = p;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const outPlane = outD * outH * outW, kVol = kD * kH * kW;
  let dxIndex = 0;
  for (let n = 0; n < p.batch; n++) {
    for (let ci = 0; ci < p.inChannels; ci++) {
      const group = Math.floor(ci / cinG), c = ci - group * cinG;
      for (let id = 0; id < inD; id++) {
        for (let ih = 0; ih < inH; ih++) {
          for (let iw = 0; iw < inW; iw++) {
            let sum = 0;
            for (let j = 0; j < coutG; j++) {
              const co = group * coutG + j;
              const dyChannel = (n * p.outChannels + co) * outPlane;
              const wChannel = (co * cinG + c) * kVol;
              for (let kd = 0; kd < kD; kd++) {
                const td = id + p.pD - kd * p.dD;
                if (td < 0 || td % sD !== 0 || td / sD >= outD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const th = ih + p.pH - kh * p.dH;
                  if (th < 0 || th % sH !== 0 || th / sH >= outH) continue;
                  const dyRow = dyChannel + ((td / sD) * outH + th / sH) * outW;
                  const wRow = wChannel + (kd * kH + kh) * kW;
                  for (let kw = 0; kw < kW; kw++) {
                    const tw = iw + p.pW - kw * p.dW;
                    if (tw < 0 || tw % sW !== 0 || tw / sW >= outW) continue;
                    sum += dy[dyRow + tw / sW] * w[wRow + kw];
                  }
                }
              }
            }
            dx[dxIndex++] = sum;
          }
        }
      }
    }
  }
}

/** dw = ∂L/∂w given the forward input x and dy = ∂L/∂y, overwriting `dw`. */
export function backwardWeightReference(
  p: ConvPlan,
  x: FloatArray,
  dy: FloatArray,
  dw: FloatArray,
): void {
  const { inD, inH, inW, outD, outH, outW, kD, kH, kW } = p;
  const cinG = p.inChannels / p.groups, coutG = p.outChannels / p.groups;
  const inPlane = inD * inH * inW, outPlane = outD * outH * outW;
  let dwIndex = 0;
  for (let co = 0; co < p.outChannels; co++) {
    const c0 = Math.floor(co / coutG) * cinG;
    for (let c = 0; c < cinG; c++) {
      for (let kd = 0; kd < kD; kd++) {
        for (let kh = 0; kh < kH; kh++) {
          for (let kw = 0; kw < kW; kw++) {
            let sum = 0;
            for (let n = 0; n < p.batch; n++) {
              const xChannel = (n * p.inChannels + c0 + c) * inPlane;
              let dyIndex = (n * p.outChannels + co) * outPlane;
              for (let od = 0; od < outD; od++) {
                const id = od * p.sD + kd * p.dD - p.pD;
                if (id < 0 || id >= inD) {
                  dyIndex += outH * outW;
                  continue;
                }
                for (let oh = 0; oh < outH; oh++, dyIndex += outW) {
                  const ih = oh * p.sH + kh * p.dH - p.pH;
                  if (ih < 0 || ih >= inH) continue;
                  const xRow = xChannel + (id * inH + ih) * inW;
                  for (let ow = 0; ow < outW; ow++) {
                    const iw = ow * p.sW + kw * p.dW - p.pW;
                    if (iw < 0 || iw >= inW) continue;
                    sum += dy[dyIndex + ow] * x[xRow + iw];
                  }
                }
              }
            }
            dw[dwIndex++] = sum;
          }
        }
      }
    }
  }
}
