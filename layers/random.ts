/**
 * A small seeded pseudo-random generator (xoshiro128**), so that every random tensor, parameter
 * initialisation, dropout mask and data shuffle in this package is reproducible from one integer.
 *
 * @module
 */

/**
 * Seeded pseudo-random number generator (xoshiro128**, state seeded through splitmix32).
 *
 * The same seed gives the same sequence on every machine: all arithmetic is 32-bit integer.
 *
 * @example Draw reproducible numbers
 * ```ts
 * import { Random } from "./random.ts";
 * const a = new Random(42), b = new Random(42);
 * if (a.uniform() !== b.uniform()) throw new Error("not reproducible");
 * ```
 */
export class Random {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spareNormal: number | undefined = undefined;

  /**
   * Creates a generator from a seed.
   *
   * @param seed Any integer in [0, 2^32); other finite numbers are truncated to 32 bits.
   * @throws {TypeError} If `seed` is not a finite number.
   */
  constructor(seed: number) {
    if (typeof seed !== "number" || !Number.isFinite(seed)) {
      throw new TypeError(`Cannot create Random: seed must be a finite number, got ${seed}`);
    }
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32: spreads a small seed over the whole state.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
  }

  /**
   * Draws the next raw 32-bit value.
   *
   * @returns The next unsigned 32-bit integer of the sequence.
   */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.#s1 << 9) >>> 0;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    this.#s0 >>>= 0;
    this.#s1 >>>= 0;
    this.#s2 >>>= 0;
    return result;
  }

  /**
   * Draws a uniform number.
   *
   * @param low Inclusive lower bound.
   * @param high Exclusive upper bound.
   * @returns A uniform number in [low, high) with 53 random bits.
   */
  uniform(low = 0, high = 1): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    const u = (hi * 67108864 + lo) / 9007199254740992;
    return low + (high - low) * u;
  }

  /**
   * Draws a normally distributed number.
   *
   * @param mean Mean of the distribution.
   * @param std Standard deviation of the distribution.
   * @returns A normally distributed number (Box–Muller, polar-free form).
   */
  normal(mean = 0, std = 1): number {
    if (this.#spareNormal !== undefined) {
      const z = this.#spareNormal;
      this.#spareNormal = undefined;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /**
   * Draws a uniform integer below `n`.
   *
   * @param n Exclusive upper bound, a positive integer below 2^32.
   * @returns A uniform integer in [0, n), without modulo bias.
   */
  integer(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * Shuffles an array in place (Fisher–Yates).
   *
   * @param items The array to shuffle.
   * @returns The same array, shuffled.
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
