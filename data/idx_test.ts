import { assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { gzipSync } from "node:zlib";
import { readIdx, readIdxFile } from "./idx.ts";

const CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

/** Encodes an IDX file by the format's definition: 00 00 type rank, big-endian dims and data. */
function encode(
  dtype: keyof typeof CODES,
  dims: number[],
  values: number[],
  extra = 0,
): Uint8Array {
  const size = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 }[dtype];
  const bytes = new Uint8Array(4 + 4 * dims.length + size * values.length + extra);
  const view = new DataView(bytes.buffer);
  bytes.set([0, 0, CODES[dtype], dims.length]);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  let at = 4 + 4 * dims.length;
  for (const v of values) {
    if (dtype === "uint8") view.setUint8(at, v);
    if (dtype === "int8") view.setInt8(at, v);
    if (dtype === "int16") view.setInt16(at, v, false);
    if (dtype === "int32") view.setInt32(at, v, false);
    if (dtype === "float32") view.setFloat32(at, v, false);
    if (dtype === "float64") view.setFloat64(at, v, false);
    at += size;
  }
  return bytes;
}

const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes));

Deno.test("readIdx()", async (t) => {
  for (const compressed of [false, true]) {
    const wrap = compressed ? gzip : (b: Uint8Array) => b;
    const label = compressed ? "gzip" : "raw";
    await t.step(`${label} uint8 dims=[2, 3]`, () => {
      const out = readIdx(wrap(encode("uint8", [2, 3], [0, 1, 2, 253, 254, 255])), "t");
      assertEquals(out.dtype, "uint8");
      assertEquals(out.dims, [2, 3]);
      assertEquals(out.data, new Uint8Array([0, 1, 2, 253, 254, 255]));
    });
    await t.step(`${label} float32 dims=[2, 2] (big-endian, ±Inf, NaN)`, () => {
      const out = readIdx(wrap(encode("float32", [2, 2], [1.5, -2, Infinity, NaN])), "t");
      assertEquals(out.dtype, "float32");
      assertEquals(out.dims, [2, 2]);
      assertEquals(out.data, new Float32Array([1.5, -2, Infinity, NaN]));
    });
  }

  await t.step("int8, int16, int32, float64 decode big-endian", () => {
    assertEquals(
      readIdx(encode("int8", [3], [-128, -1, 127])).data,
      new Int8Array([-128, -1, 127]),
    );
    assertEquals(
      readIdx(encode("int16", [3], [-32768, 258, 32767])).data,
      new Int16Array([-32768, 258, 32767]),
    );
    assertEquals(
      readIdx(encode("int32", [1, 2], [-(2 ** 31), 16909060])).data,
      new Int32Array([-(2 ** 31), 16909060]),
    );
    assertEquals(
      readIdx(encode("float64", [2], [0.1, -1e300])).data,
      new Float64Array([0.1, -1e300]),
    );
  });

  await t.step("bytes 00 00 0c 01 00 00 00 01 01 02 03 04 read as int32 0x01020304", () => {
    const out = readIdx(new Uint8Array([0, 0, 0x0c, 1, 0, 0, 0, 1, 1, 2, 3, 4]));
    assertStrictEquals(out.data[0], 0x01020304);
  });

  await t.step("a zero dimension gives an empty array", () => {
    const out = readIdx(encode("uint8", [0, 28, 28], []));
    assertEquals(out.dims, [0, 28, 28]);
    assertStrictEquals(out.data.length, 0);
  });

  await t.step("a view into an unaligned buffer decodes the same", () => {
    const raw = encode("float32", [2], [3.25, -0.5]);
    const padded = new Uint8Array(raw.length + 1);
    padded.set(raw, 1);
    assertEquals(readIdx(padded.subarray(1)).data, new Float32Array([3.25, -0.5]));
  });

  await t.step("errors name the source and the field", () => {
    const good = encode("uint8", [2, 3], [1, 2, 3, 4, 5, 6]);
    const badMagic = good.slice();
    badMagic[1] = 0x01;
    assertThrows(
      () => readIdx(badMagic, "a.idx"),
      TypeError,
      "Cannot read a.idx: magic must start with bytes 00 00, got 00 01",
    );
    assertThrows(
      () => readIdx(gzip(badMagic), "a.gz"),
      TypeError,
      "a.gz: magic must start with bytes 00 00, got 00 01",
    );
    const badType = good.slice();
    badType[2] = 0x0a;
    assertThrows(() => readIdx(badType, "a.idx"), TypeError, "a.idx: type code 0a is unknown");
    assertThrows(
      () => readIdx(good.subarray(0, 15), "a.idx"),
      TypeError,
      "a.idx: dims [2, 3] of uint8 need 6 data bytes, got 3 (file truncated)",
    );
    assertThrows(
      () => readIdx(encode("uint8", [2, 3], [1, 2, 3, 4, 5, 6], 2), "a.idx"),
      TypeError,
      "need 6 data bytes, got 8 (2 trailing bytes)",
    );
    assertThrows(
      () => readIdx(gzip(encode("int16", [2], [1, 2], 3)), "a.gz"),
      TypeError,
      "a.gz: dims [2] of int16 need 4 data bytes, got more (trailing bytes)",
    );
    assertThrows(
      () => readIdx(gzip(encode("int16", [2], [1, 2], 1)), "a.gz"),
      TypeError,
      "a.gz: dims [2] of int16 need 4 data bytes, got 5 (1 trailing byte)",
    );
    assertThrows(
      () => readIdx(gzip(good.subarray(0, 14)), "a.gz"),
      TypeError,
      "need 6 data bytes, got 2 (file truncated)",
    );
    assertThrows(
      () => readIdx(good.subarray(0, 3), "a.idx"),
      TypeError,
      "a.idx: header is truncated: 3 bytes, need at least 4",
    );
    assertThrows(
      () => readIdx(good.subarray(0, 9), "a.idx"),
      TypeError,
      "a.idx: header is truncated: 2 dims need 12 bytes, got 9",
    );
    // 65536³ float64 elements: rejected from the header, before anything is allocated.
    const absurd = encode("float64", [65536, 65536, 65536], []);
    assertThrows(
      () => readIdx(absurd, "a.idx"),
      RangeError,
      "a.idx: dims [65536, 65536, 65536] of float64 need 2251799813685248 bytes, more than the limit 2147483647",
    );
    assertThrows(
      () => readIdx(gzip(absurd), "a.gz"),
      RangeError,
      "a.gz: dims [65536, 65536, 65536] of float64 need",
    );
    const big = gzip(encode("uint8", [1000], new Array(1000).fill(7)));
    assertThrows(
      () => readIdx(big.subarray(0, big.length - 6), "a.gz"),
      TypeError,
      "a.gz: gzip stream is truncated or corrupt",
    );
    const corrupt = big.slice();
    corrupt.fill(0xff, 10, 20);
    assertThrows(
      () => readIdx(corrupt, "a.gz"),
      TypeError,
      "a.gz: gzip stream is truncated or corrupt",
    );
    assertThrows(
      () => readIdx("x" as unknown as Uint8Array),
      TypeError,
      "IDX data: bytes must be a Uint8Array",
    );
  });
});

Deno.test("readIdxFile()", async (t) => {
  await t.step("names the file in errors", async () => {
    // This test's own source is not an IDX file: it starts with "im" (69 6d).
    const path = new URL(import.meta.url).pathname;
    await assertRejects(
      () => readIdxFile(path),
      TypeError,
      `IDX file "${path}": magic must start with bytes 00 00, got 69 6d`,
    );
    await assertRejects(() => readIdxFile(path + ".missing"), Deno.errors.NotFound);
  });
});
