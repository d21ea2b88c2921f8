import { assertStrictEquals } from "@std/assert";
import { Random } from "../layers/random.ts";
import { _bfloat16ToNumber, _halfToNumber, _numberToBfloat16, _numberToHalf } from "./_half.ts";

// Runtime-provided half support (V8 ≥ 13.5), used as an independent reference when present.
const runtime = globalThis as unknown as {
  Float16Array?: new (buffer: ArrayBuffer) => ArrayLike<number>;
};
const f16round = (Math as unknown as { f16round?: (x: number) => number }).f16round;

Deno.test("float16 conversion", async (t) => {
  // Bit patterns worked out from the IEEE 754 binary16 layout (1 sign, 5 exponent, 10 fraction).
  const known: [number, number][] = [
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3800, 0.5],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ];
  await t.step("known bit patterns both ways", () => {
    for (const [bits, value] of known) {
      assertStrictEquals(_halfToNumber(bits), value, `bits 0x${bits.toString(16)}`);
      assertStrictEquals(_numberToHalf(value), bits, `value ${value}`);
    }
    assertStrictEquals(_numberToHalf(-0), 0x8000);
    assertStrictEquals(Object.is(_halfToNumber(0x8000), -0), true);
    assertStrictEquals(Number.isNaN(_halfToNumber(0x7e00)), true);
    assertStrictEquals(_numberToHalf(NaN), 0x7e00);
  });
  await t.step("rounding: ties to even, overflow to infinity, underflow to zero", () => {
    // 1 + 2^-11 lies halfway between 1 (0x3c00, even) and 1 + 2^-10 (0x3c01).
    assertStrictEquals(_numberToHalf(1 + 2 ** -11), 0x3c00);
    // 1 + 3·2^-11 lies halfway between 0x3c01 (odd) and 0x3c02 (even).
    assertStrictEquals(_numberToHalf(1 + 3 * 2 ** -11), 0x3c02);
    assertStrictEquals(_numberToHalf(1 + 2 ** -11 + 2 ** -20), 0x3c01);
    assertStrictEquals(_numberToHalf(65519), 0x7bff);
    assertStrictEquals(_numberToHalf(65520), 0x7c00);
    assertStrictEquals(_numberToHalf(2 ** -25), 0x0000); // tie between 0 and 2^-24 -> even 0
    assertStrictEquals(_numberToHalf(3 * 2 ** -25), 0x0002); // tie between 1 and 2 units -> 2
    assertStrictEquals(_numberToHalf(1e-10), 0x0000);
  });
  await t.step("all 65536 patterns agree with the runtime Float16Array", () => {
    if (!runtime.Float16Array) {
      console.log("  note: no Float16Array in this runtime; exhaustive check skipped");
      return;
    }
    const bits = new Uint16Array(65536).map((_, i) => i);
    const values = new runtime.Float16Array(bits.buffer);
    for (let i = 0; i < 65536; i++) {
      const mine = _halfToNumber(i);
      if (!(Object.is(mine, values[i]) || (Number.isNaN(mine) && Number.isNaN(values[i])))) {
        throw new Error(`0x${i.toString(16)}: ${mine} vs ${values[i]}`);
      }
    }
  });
  await t.step("rounding agrees with Math.f16round on random values", () => {
    if (!f16round) {
      console.log("  note: no Math.f16round in this runtime; check skipped");
      return;
    }
    const rng = new Random(7);
    for (let i = 0; i < 20000; i++) {
      const x = rng.normal(0, 1) * 2 ** rng.integer(40) * 2 ** -24;
      assertStrictEquals(_halfToNumber(_numberToHalf(x)), f16round(x), `x = ${x}`);
    }
  });
});

Deno.test("bfloat16 conversion", async (t) => {
  await t.step("known bit patterns (top half of the float32)", () => {
    // float32 1.0 = 0x3f800000, -2.0 = 0xc0000000, 3.140625 = 0x40490000.
    const known: [number, number][] = [[0x3f80, 1], [0xc000, -2], [0x4049, 3.140625]];
    for (const [bits, value] of known) {
      assertStrictEquals(_bfloat16ToNumber(bits), value);
      assertStrictEquals(_numberToBfloat16(value), bits);
    }
    assertStrictEquals(_bfloat16ToNumber(0x7f80), Infinity);
    assertStrictEquals(_numberToBfloat16(NaN), 0x7fc0);
  });
  await t.step("ties to even", () => {
    assertStrictEquals(_numberToBfloat16(1 + 2 ** -8), 0x3f80); // 0x3f808000: tie -> even
    assertStrictEquals(_numberToBfloat16(1 + 3 * 2 ** -8), 0x3f82); // 0x3f818000: tie -> even
    assertStrictEquals(_numberToBfloat16(1 + 2 ** -8 + 2 ** -20), 0x3f81);
  });
});
