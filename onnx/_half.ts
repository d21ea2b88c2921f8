// IEEE half (float16) and bfloat16 bit patterns <-> numbers. ONNX stores both as 16-bit patterns
// (in raw_data, or one per int32_data entry); the package holds their values widened to float32,
// which is exact, and rounds back to nearest-even when writing.

const scratch = new DataView(new ArrayBuffer(4));

/** The value of a float16 bit pattern. */
export function _halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The float16 bit pattern nearest to `value` (ties to even; NaN -> 0x7e00). */
export function _numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  let a = Math.abs(value);
  // Work on the value as given (no detour through float32, which could round twice).
  if (a >= 65520) return sign | 0x7c00; // 65520 rounds up to infinity (max half is 65504)
  if (a < 2 ** -14) {
    // Subnormal range: units of 2^-24, rounded to nearest even.
    return sign | roundEven(a * 2 ** 24);
  }
  let exponent = Math.floor(Math.log2(a));
  // log2 can be off by one near powers of two; fix it exactly.
  if (2 ** exponent > a) exponent--;
  if (2 ** (exponent + 1) <= a) exponent++;
  a = a / 2 ** exponent - 1; // fraction in [0, 1)
  let mantissa = roundEven(a * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00;
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** The value of a bfloat16 bit pattern (the top half of a float32). */
export function _bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16 >>> 0);
  return scratch.getFloat32(0);
}

/** The bfloat16 bit pattern nearest to `value` (ties to even, via float32; NaN -> 0x7fc0). */
export function _numberToBfloat16(value: number): number {
  if (Number.isNaN(value)) return 0x7fc0;
  scratch.setFloat32(0, value);
  const bits = scratch.getUint32(0);
  // Round the low 16 bits away, ties to even; an overflow carries into the exponent correctly.
  const rounded = bits + 0x7fff + ((bits >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

function roundEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
