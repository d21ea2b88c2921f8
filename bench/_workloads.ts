// The workloads of `deno task bench` (the issue "A fast path that is actually fast"): four
// convolutions W1–W4 (forward, input gradient, weight gradient), the max pool W5 (forward,
// backward), a LeNet-5 training step, and the depthwise convolutions W6 and W6s2 (the W3 image
// with one group per channel, stride 1 and 2) whose cost per FLOP is compared with W3's. Data are seeded uniform(−1, 1) so every run and every
// implementation sees the same numbers.

import { windowGeometry } from "../layers/_geometry.ts";
import { Random } from "../layers/random.ts";

/** A 2-D convolution workload, NCHW, square kernel, symmetric padding, no bias. */
export interface ConvWorkload {
  kind: "conv";
  name: string;
  n: number;
  cin: number;
  h: number;
  w: number;
  cout: number;
  k: number;
  stride: number;
  pad: number;
  /** Channel groups (cin = cout = groups: depthwise). @default 1 */
  groups?: number;
}

/** A 2-D max-pool workload. */
export interface PoolWorkload {
  kind: "pool";
  name: string;
  n: number;
  c: number;
  h: number;
  w: number;
  k: number;
  stride: number;
}

/** A LeNet-5 training step on a batch of 28×28 images. */
export interface LeNetWorkload {
  kind: "lenet";
  name: string;
  batch: number;
}

export type Workload = ConvWorkload | PoolWorkload | LeNetWorkload;

export const WORKLOADS: Workload[] = [
  { kind: "conv", name: "W1", n: 64, cin: 32, h: 14, w: 14, cout: 64, k: 2, stride: 2, pad: 1 },
  { kind: "conv", name: "W2", n: 64, cin: 6, h: 12, w: 12, cout: 16, k: 5, stride: 1, pad: 0 },
  { kind: "conv", name: "W3", n: 8, cin: 64, h: 56, w: 56, cout: 64, k: 3, stride: 1, pad: 1 },
  { kind: "conv", name: "W4", n: 8, cin: 64, h: 56, w: 56, cout: 128, k: 3, stride: 2, pad: 1 },
  { kind: "pool", name: "W5", n: 8, c: 64, h: 56, w: 56, k: 2, stride: 2 },
  { kind: "lenet", name: "LeNet-5", batch: 64 },
  {
    kind: "conv",
    name: "W6",
    n: 8,
    cin: 64,
    h: 56,
    w: 56,
    cout: 64,
    k: 3,
    stride: 1,
    pad: 1,
    groups: 64,
  },
  {
    kind: "conv",
    name: "W6s2",
    n: 8,
    cin: 64,
    h: 56,
    w: 56,
    cout: 64,
    k: 3,
    stride: 2,
    pad: 1,
    groups: 64,
  },
];

/** The dense workload each depthwise one is compared with, per FLOP. */
export const PER_FLOP_BASELINE: Record<string, string> = { W6: "W3", W6s2: "W3" };

/** Output height and width of a convolution or pooling workload (from the one geometry code). */
export function outSize(w: ConvWorkload | PoolWorkload): [number, number] {
  const geometry = windowGeometry("bench", [w.h, w.w], [w.k, w.k], {
    stride: w.stride,
    padding: w.kind === "conv" ? w.pad : 0,
  });
  return [geometry.outSize[0], geometry.outSize[1]];
}

/**
 * FLOPs of one convolution pass: 2·N·Cout·Hout·Wout·(Cin / groups)·k² (the same for fwd, dX and
 * dW).
 */
export function convFlops(w: ConvWorkload): number {
  const [ho, wo] = outSize(w);
  return 2 * w.n * w.cout * ho * wo * (w.cin / (w.groups ?? 1)) * w.k * w.k;
}

/** Shapes of a convolution workload's tensors (NCHW / OIHW). */
export function convShapes(w: ConvWorkload): { x: number[]; weight: number[]; y: number[] } {
  const [ho, wo] = outSize(w);
  return {
    x: [w.n, w.cin, w.h, w.w],
    weight: [w.cout, w.cin / (w.groups ?? 1), w.k, w.k],
    y: [w.n, w.cout, ho, wo],
  };
}

/** Seeded uniform(−1, 1) float32 data of `shape`. */
export function randomData(shape: readonly number[], seed: number): Float32Array {
  const rng = new Random(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.uniform(-1, 1);
  return data;
}

/** The convolution reduction length of each pass, for agreement tolerances. */
export function convReduction(w: ConvWorkload, pass: "fwd" | "dX" | "dW"): number {
  const [ho, wo] = outSize(w);
  const groups = w.groups ?? 1;
  if (pass === "fwd") return (w.cin / groups) * w.k * w.k;
  if (pass === "dX") return (w.cout / groups) * Math.ceil(w.k / w.stride) ** 2;
  return w.n * ho * wo;
}
