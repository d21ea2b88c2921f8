// The direct convolution path (./direct_kernel.ts) for depthwise and small grouped
// convolutions, one image at a time: the image is staged into zero-padded planes so no tap
// needs a bounds check, every group of the image is done in one kernel call, and the result is
// copied out with one TypedArray.set. The input gradient is the stride-1 correlation of the
// padded dY with the flipped kernel; the weight gradient accumulates over the images in wasm
// memory. Check-free: callers validate and ask `directCovers` first.

import type { ConvPlan } from "../_conv_plan.ts";
import {
  buildDirectModule,
  DIRECT_DESCRIPTOR_BYTES,
  type DirectExports,
  directName,
} from "./direct_kernel.ts";
import { hasRelaxedSimd } from "./detect.ts";
import { instantiate, intView, MAX_BYTES, MAX_PAGES, reserve } from "./engine.ts";

/** Room after staged planes for loads that run past a row's last tap. */
const SLACK = 64;

let directExports: DirectExports | undefined;

function directKernel(): DirectExports {
  directExports ??= instantiate(
    buildDirectModule(hasRelaxedSimd(), MAX_PAGES),
  ) as unknown as DirectExports;
  return directExports;
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;
const align = (bytes: number): number => roundUp(bytes, 64);

/**
 * Whether the direct path takes this convolution: 2-D (or 1-D), W stride 1 or 2, and groups
 * too narrow for the GEMM — at most 8 input and 8 output channels per group (depthwise
 * convolutions and their channel multipliers, small grouped convolutions). Measured on 64 → 64
 * channels, k3, 56²: direct wins at 8 channels per group, the GEMM at 16.
 */
export function directCovers(p: ConvPlan): boolean {
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  return p.inD === 1 && p.kD === 1 && p.pD === 0 && p.outD === 1 &&
    (p.sW === 1 || p.sW === 2) && p.groups > 1 && cinG <= 8 && m <= 8;
}

/** Sizes of the padded input planes the forward and weight-gradient kernels read. */
function padded(p: ConvPlan) {
  const outPitch = roundUp(p.outW, 4);
  const rows = Math.max(p.pH + p.inH, (p.outH - 1) * p.sH + (p.kH - 1) * p.dH + 1);
  const cols = Math.max(p.pW + p.inW, (outPitch - 1) * p.sW + (p.kW - 1) * p.dW + p.sW);
  return { rows, cols, outPitch };
}

/** Writes the kernel descriptor at byte 0 (field order of DIRECT_DESCRIPTOR). */
function describe(fields: number[]): void {
  intView().set(fields, 0);
}

/** y = conv(x, w) + bias; false (nothing done) when the staging would not fit. */
export function directForward(
  p: ConvPlan,
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | undefined,
  y: Float32Array,
): boolean {
  const kernel = directKernel();
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlaneSize = p.outH * p.outW;
  const { rows, cols, outPitch } = padded(p);
  const wAt = align(DIRECT_DESCRIPTOR_BYTES);
  const xAt = align(wAt + w.length * 4);
  const padAt = align(xAt + p.inChannels * inPlane * 4);
  const outAt = align(padAt + p.inChannels * rows * cols * 4 + SLACK);
  const compact = outPitch === p.outW;
  const yAt = compact ? outAt : align(outAt + p.outChannels * p.outH * outPitch * 4);
  const end = yAt + p.outChannels * outPlaneSize * 4;
  if (end > MAX_BYTES) return false;
  const mem = reserve(end, "conv forward");
  mem.set(w, wAt >> 2);
  mem.fill(0, padAt >> 2, (padAt >> 2) + p.inChannels * rows * cols);
  describe([
    cinG,
    p.outChannels,
    m,
    cols * 4,
    rows * cols * 4,
    p.outH,
    p.outW,
    outPitch * 4,
    p.outH * outPitch * 4,
    p.kH,
    p.kW,
    p.sH,
    p.dH,
    p.dW,
  ]);
  const correlate = kernel[directName("correlate", p.sW, p.kW)];
  const xImage = p.inChannels * inPlane, yImage = p.outChannels * outPlaneSize;
  for (let n = 0; n < p.batch; n++) {
    mem.set(x.subarray(n * xImage, (n + 1) * xImage), xAt >> 2);
    kernel.copyPlanes(
      xAt,
      p.inW * 4,
      inPlane * 4,
      padAt + (p.pH * cols + p.pW) * 4,
      cols * 4,
      rows * cols * 4,
      p.inChannels,
      p.inH,
      p.inW,
      4,
    );
    correlate(0, padAt, wAt, outAt);
    if (!compact) {
      kernel.copyPlanes(
        outAt,
        outPitch * 4,
        p.outH * outPitch * 4,
        yAt,
        p.outW * 4,
        outPlaneSize * 4,
        p.outChannels,
        p.outH,
        p.outW,
        4,
      );
    }
    const out = y.subarray(n * yImage, (n + 1) * yImage);
    out.set(mem.subarray(yAt >> 2, (yAt >> 2) + yImage));
    if (bias !== undefined) {
      for (let c = 0; c < p.outChannels; c++) {
        const b = bias[c];
        for (let i = c * outPlaneSize; i < (c + 1) * outPlaneSize; i++) out[i] += b;
      }
    }
  }
  return true;
}

/**
 * dx from dy and w as the stride-1 correlation of dY — zero-padded by (k − 1)·d − pad before,
 * and for strides > 1 dilated (s − 1 zeros between elements) — with the flipped kernel. A
 * stride-s pass multiplies s_H·s_W times more zeros than it needs, which still beats the GEMM
 * for narrow groups. False when a pad exceeds the kernel extent or the staging would not fit.
 */
export function directBackwardInput(
  p: ConvPlan,
  dy: Float32Array,
  w: Float32Array,
  dx: Float32Array,
): boolean {
  const top = (p.kH - 1) * p.dH - p.pH, left = (p.kW - 1) * p.dW - p.pW;
  if (top < 0 || left < 0) return false;
  const kernel = directKernel();
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlaneSize = p.outH * p.outW;
  const pitch = roundUp(p.inW, 4);
  const rows = Math.max(p.inH + (p.kH - 1) * p.dH, top + (p.outH - 1) * p.sH + 1);
  const cols = Math.max(pitch - 1 + (p.kW - 1) * p.dW + 1, left + (p.outW - 1) * p.sW + 1);
  const taps = p.kH * p.kW;
  const wAt = align(DIRECT_DESCRIPTOR_BYTES);
  const dyAt = align(wAt + w.length * 4);
  const padAt = align(dyAt + p.outChannels * outPlaneSize * 4);
  const outAt = align(padAt + p.outChannels * rows * cols * 4 + SLACK);
  const compact = pitch === p.inW;
  const dxAt = compact ? outAt : align(outAt + p.inChannels * p.inH * pitch * 4);
  const end = dxAt + p.inChannels * inPlane * 4;
  if (end > MAX_BYTES) return false;
  const mem = reserve(end, "conv input gradient");
  // Flipped, transposed weights: wT[g·C + c][j][kh][kw] = w[g·M + j][c][kH−1−kh][kW−1−kw].
  const wT = mem.subarray(wAt >> 2, (wAt >> 2) + w.length);
  for (let g = 0; g < p.groups; g++) {
    for (let c = 0; c < cinG; c++) {
      for (let j = 0; j < m; j++) {
        const from = ((g * m + j) * cinG + c) * taps, to = ((g * cinG + c) * m + j) * taps;
        for (let t = 0; t < taps; t++) wT[to + t] = w[from + taps - 1 - t];
      }
    }
  }
  mem.fill(0, padAt >> 2, (padAt >> 2) + p.outChannels * rows * cols);
  describe([
    m,
    p.inChannels,
    cinG,
    cols * 4,
    rows * cols * 4,
    p.inH,
    p.inW,
    pitch * 4,
    p.inH * pitch * 4,
    p.kH,
    p.kW,
    1,
    p.dH,
    p.dW,
  ]);
  const correlate = kernel[directName("correlate", 1, p.kW)];
  const xImage = p.inChannels * inPlane, yImage = p.outChannels * outPlaneSize;
  for (let n = 0; n < p.batch; n++) {
    mem.set(dy.subarray(n * yImage, (n + 1) * yImage), dyAt >> 2);
    kernel.copyPlanes(
      dyAt,
      p.outW * 4,
      outPlaneSize * 4,
      padAt + (top * cols + left) * 4,
      p.sH * cols * 4,
      rows * cols * 4,
      p.outChannels,
      p.outH,
      p.outW,
      p.sW * 4,
    );
    correlate(0, padAt, wAt, outAt);
    if (!compact) {
      kernel.copyPlanes(
        outAt,
        pitch * 4,
        p.inH * pitch * 4,
        dxAt,
        p.inW * 4,
        inPlane * 4,
        p.inChannels,
        p.inH,
        p.inW,
        4,
      );
    }
    dx.set(mem.subarray(dxAt >> 2, (dxAt >> 2) + xImage), n * xImage);
  }
  return true;
}

/** dw from x and dy, summed over the batch in wasm memory; false when it would not fit. */
export function directBackwardWeight(
  p: ConvPlan,
  x: Float32Array,
  dy: Float32Array,
  dw: Float32Array,
): boolean {
  const kernel = directKernel();
  const cinG = p.inChannels / p.groups, m = p.outChannels / p.groups;
  const inPlane = p.inH * p.inW, outPlaneSize = p.outH * p.outW;
  const { rows, cols } = padded(p);
  const dwAt = align(DIRECT_DESCRIPTOR_BYTES);
  const xAt = align(dwAt + dw.length * 4);
  const padAt = align(xAt + p.inChannels * inPlane * 4);
  const dyAt = align(padAt + p.inChannels * rows * cols * 4 + SLACK);
  const end = dyAt + p.outChannels * outPlaneSize * 4;
  if (end > MAX_BYTES) return false;
  const mem = reserve(end, "conv weight gradient");
  mem.fill(0, dwAt >> 2, (dwAt >> 2) + dw.length);
  mem.fill(0, padAt >> 2, (padAt >> 2) + p.inChannels * rows * cols);
  describe([
    cinG,
    p.outChannels,
    m,
    cols * 4,
    rows * cols * 4,
    p.outH,
    p.outW,
    p.outW * 4,
    outPlaneSize * 4,
    p.kH,
    p.kW,
    p.sH,
    p.dH,
    p.dW,
  ]);
  const weights = kernel[directName("weights", p.sW, p.kW)];
  const xImage = p.inChannels * inPlane, yImage = p.outChannels * outPlaneSize;
  for (let n = 0; n < p.batch; n++) {
    mem.set(x.subarray(n * xImage, (n + 1) * xImage), xAt >> 2);
    mem.set(dy.subarray(n * yImage, (n + 1) * yImage), dyAt >> 2);
    kernel.copyPlanes(
      xAt,
      p.inW * 4,
      inPlane * 4,
      padAt + (p.pH * cols + p.pW) * 4,
      cols * 4,
      rows * cols * 4,
      p.inChannels,
      p.inH,
      p.inW,
      4,
    );
    weights(0, padAt, dyAt, dwAt);
  }
  dw.set(mem.subarray(dwAt >> 2, (dwAt >> 2) + dw.length));
  return true;
}
