/**
 * Deterministic input values for grid cases: every tensor of a case is drawn from its own seeded
 * stream (case seed + input index), so the ONNX Runtime and PyTorch generators see the same bits.
 *
 * @module
 */

import { Random } from "../layers/random.ts";
import type { Fill, TensorSpec } from "./grid.ts";

/** Values of one case tensor. */
export interface FilledTensor {
  /** Graph input name. */
  name: string;
  /** Shape. */
  shape: number[];
  /** float32 values, or int64 labels. */
  data: Float32Array | BigInt64Array;
}

/**
 * @param spec The tensor's name, shape, dtype and fill.
 * @param seed The stream's seed (case seed + input index).
 * @returns The tensor's values.
 */
export function fillTensor(spec: TensorSpec, seed: number): FilledTensor {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const random = new Random(seed);
  if (spec.dtype === "int64") {
    return { name: spec.name, shape: spec.shape, data: labels(spec.fill, size, random) };
  }
  return { name: spec.name, shape: spec.shape, data: floats(spec.fill, size, random) };
}

/**
 * The upstream gradient that seeds output `index` of a case. It is counter-based — element `i`
 * depends only on (seed, index, i) through integer hashing — so the PyTorch generator computes
 * the same bits in Python without sharing a generator:
 *
 * ```text
 * key = (seed + imul(index + 1, 0x9E3779B9) + imul(i, 0x85EBCA6B)) mod 2^32
 * h   = fmix32(key)      // murmur3 finaliser: h ^= h >>> 16; h = imul(h, 0x85EBCA6B);
 *                        // h ^= h >>> 13; h = imul(h, 0xC2B2AE35); h ^= h >>> 16
 * g_i = ((h >>> 8) − 2^23) / 2^23      // in [−1, 1), exact in float32
 * ```
 *
 * @param shape Shape of the output.
 * @param seed The case seed.
 * @param index The output index.
 * @returns The gradient values.
 */
export function gradOutputValues(
  shape: readonly number[],
  seed: number,
  index: number,
): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  const base = (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  for (let i = 0; i < size; i++) {
    let h = (base + Math.imul(i, 0x85ebca6b)) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    data[i] = ((h >>> 8) - 8388608) / 8388608;
  }
  return data;
}

function floats(fill: Fill, size: number, random: Random): Float32Array {
  const data = new Float32Array(size);
  switch (fill.kind) {
    case "normal":
      for (let i = 0; i < size; i++) data[i] = random.normal();
      break;
    case "uniform":
      for (let i = 0; i < size; i++) data[i] = random.uniform(fill.low, fill.high);
      break;
    case "permutation": {
      // Distinct values, so every max-pool window has a unique maximum; spread around 0.
      const order = random.shuffle(Array.from({ length: size }, (_, i) => i));
      for (let i = 0; i < size; i++) data[i] = (order[i] - size / 2) / 4;
      break;
    }
    case "values":
      if (fill.values.length !== size) {
        throw new RangeError(`fill values has ${fill.values.length} entries, shape needs ${size}`);
      }
      data.set(fill.values);
      break;
    case "labels":
      throw new TypeError("labels fill needs dtype int64");
  }
  return data;
}

function labels(fill: Fill, size: number, random: Random): BigInt64Array {
  // Literal integers: axes, indices, split sizes, shapes.
  if (fill.kind === "values") {
    if (fill.values.length !== size) {
      throw new RangeError(`fill values has ${fill.values.length} entries, shape needs ${size}`);
    }
    if (!fill.values.every(Number.isSafeInteger)) {
      throw new TypeError(`int64 values must be integers, got [${fill.values.join(", ")}]`);
    }
    return BigInt64Array.from(fill.values, (v) => BigInt(v));
  }
  if (fill.kind !== "labels") {
    throw new TypeError(`int64 tensors need a labels or values fill, got ${fill.kind}`);
  }
  const data = new BigInt64Array(size);
  for (let i = 0; i < size; i++) {
    // One label in four is the ignore index when the case has one.
    const ignore = fill.ignore !== undefined && random.uniform() < 0.25;
    data[i] = BigInt(ignore ? fill.ignore! : random.integer(fill.classes));
  }
  return data;
}
