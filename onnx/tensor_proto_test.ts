import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { Random } from "../layers/random.ts";
import { onnx } from "./_proto.ts";
import type { OnnxData, OnnxDType } from "./dtype.ts";
import { OnnxFormatError, OnnxUnsupportedError } from "./format_error.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { decodeTensor, encodeTensor, readTensorFile } from "./tensor_proto.ts";

const NODE_TESTS = "/usr/share/libonnx-testdata/data/node";
const hasNodeTests = (() => {
  try {
    return Deno.statSync(NODE_TESTS).isDirectory;
  } catch {
    return false;
  }
})();

/** Same elements, NaN matching NaN and -0 only -0. */
function assertSameData(actual: OnnxData, expected: ArrayLike<number | bigint>, what = ""): void {
  assertStrictEquals(actual.length, expected.length, `${what} length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    const same = Object.is(a, e) ||
      (typeof a === "number" && typeof e === "number" && Number.isNaN(a) && Number.isNaN(e));
    assert(same, `${what}[${i}]: actual ${a}, expected ${e}`);
  }
}

/** A raw TensorProto built with protobufjs directly (bypassing our encoder). */
function rawProto(fields: Record<string, unknown>): Uint8Array {
  return onnx.TensorProto.encode(fields).finish();
}

/** Asserts a corrupt-content error: class OnnxFormatError (not unsupported), file and field. */
function assertCorrupt(fn: () => unknown, file: string, field: string, message: string): void {
  const e = assertThrows(fn, OnnxFormatError, message);
  assert(!(e instanceof OnnxUnsupportedError), `expected corrupt, got unsupported: ${e.message}`);
  assertStrictEquals(e.file, file);
  assertStrictEquals(e.field, field);
  assert(e.message.includes(file), `message names the file: ${e.message}`);
}

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

Deno.test("encodeTensor() -> decodeTensor() round trip", async (t) => {
  const cases: [OnnxDType, OnnxData, number[]][] = [
    ["float32", new Float32Array([0, -0, 1.5, -3.25, NaN, Infinity, -Infinity, 3.4e38, 1e-45]), [
      9,
    ]],
    ["float64", new Float64Array([Number.MAX_VALUE, 5e-324, -0, NaN, 0.1, -Infinity]), [2, 3]],
    ["float16", new Float32Array([1, -2, 0.5, 65504, 2 ** -24, Infinity, NaN, -0]), [2, 2, 2]],
    ["bfloat16", new Float32Array([1, -2, 3.140625, -Infinity, 2 ** -126]), [5]],
    ["int8", new Int8Array([-128, 127, 0, -1]), [4]],
    ["int16", new Int16Array([-32768, 32767, 1]), [3, 1]],
    ["int32", new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0]), [3]],
    ["int64", new BigInt64Array([INT64_MIN, INT64_MAX, 0n, -1n, 2n ** 53n + 1n]), [5]],
    ["uint8", new Uint8Array([0, 255, 7]), [3]],
    ["uint16", new Uint16Array([0, 65535]), [2]],
    ["uint32", new Uint32Array([0, 2 ** 32 - 1]), [2]],
    ["uint64", new BigUint64Array([0n, 2n ** 64n - 1n]), [2]],
    ["bool", new Uint8Array([1, 0, 1]), [3]],
  ];
  for (const [dtype, data, dims] of cases) {
    await t.step(`${dtype} dims=[${dims}]`, () => {
      const bytes = encodeTensor(new OnnxTensor(data, dims, { dtype, name: `t_${dtype}` }));
      const back = decodeTensor(bytes, `${dtype}.pb`);
      assertStrictEquals(back.dtype, dtype);
      assertEquals(back.dims, dims);
      assertStrictEquals(back.name, `t_${dtype}`);
      assertSameData(back.data, data, dtype);
    });
  }
  await t.step("scalars (dims []) of every kind", () => {
    const scalars: [OnnxDType, OnnxData][] = [
      ["float32", new Float32Array([2.5])],
      ["int64", new BigInt64Array([INT64_MIN])],
      ["bool", new Uint8Array([1])],
      ["float16", new Float32Array([-0.5])],
    ];
    for (const [dtype, data] of scalars) {
      const back = decodeTensor(encodeTensor(new OnnxTensor(data, [], { dtype })));
      assertEquals(back.dims, []);
      assertStrictEquals(back.name, undefined);
      assertSameData(back.data, data, dtype);
    }
  });
  await t.step("empty tensors (a 0 dim)", () => {
    const back = decodeTensor(encodeTensor(new OnnxTensor(new Float64Array(0), [3, 0, 2])));
    assertEquals(back.dims, [3, 0, 2]);
    assertStrictEquals(back.dtype, "float64");
    assertStrictEquals(back.size, 0);
  });
  await t.step("bytes match the wire format worked out by hand", () => {
    // dims [2]: 0a 01 02 (field 1, packed, 1 byte) · data_type 6: 10 06 ·
    // raw_data: 4a 08 then 1 and -2 as little-endian int32.
    const bytes = encodeTensor(new OnnxTensor(new Int32Array([1, -2]), [2]));
    assertEquals(
      [...bytes],
      [0x0a, 0x01, 0x02, 0x10, 0x06, 0x4a, 0x08, 1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff],
    );
    // float16 1.0 is 0x3c00, stored little-endian: 00 3c.
    const half = encodeTensor(new OnnxTensor(new Float32Array([1]), [], { dtype: "float16" }));
    assertEquals([...half], [0x10, 0x0a, 0x4a, 0x02, 0x00, 0x3c]);
    // bool: nonzero bytes are written as 1.
    const bool = encodeTensor(new OnnxTensor(new Uint8Array([0, 7]), [2], { dtype: "bool" }));
    assertEquals([...bool.subarray(-2)], [0, 1]);
  });
  await t.step("raw_data at an unaligned offset", () => {
    // A 1-character name (field 8) precedes raw_data (field 9): its bytes start at offset 9.
    const bytes = encodeTensor(new OnnxTensor(new Float64Array([1.25, -7]), [2], { name: "a" }));
    assertStrictEquals(onnx.TensorProto.decode(bytes).rawData.byteOffset % 8 !== 0, true);
    assertSameData(decodeTensor(bytes).data, [1.25, -7]);
  });
});

Deno.test("decodeTensor() typed fields", async (t) => {
  await t.step("float_data, double_data", () => {
    const f = decodeTensor(rawProto({ dims: [2], dataType: 1, floatData: [1.5, -2] }));
    assertSameData(f.data, [1.5, -2]);
    assert(f.data instanceof Float32Array);
    const d = decodeTensor(rawProto({ dims: [1, 1], dataType: 11, doubleData: [0.1] }));
    assertSameData(d.data, [0.1]);
  });
  await t.step("int64_data with Long extremes -> exact bigint", () => {
    const bytes = rawProto({
      dims: [3],
      dataType: 7,
      int64Data: [{ low: 0, high: -2147483648 }, { low: -1, high: 2147483647 }, -5],
    });
    const t64 = decodeTensor(bytes, "i64.pb");
    assertStrictEquals(t64.dtype, "int64");
    assertSameData(t64.data, [INT64_MIN, INT64_MAX, -5n]);
  });
  await t.step("uint64_data for uint32 and uint64", () => {
    const u32 = decodeTensor(rawProto({ dims: [2], dataType: 12, uint64Data: [0, 4294967295] }));
    assertSameData(u32.data, [0, 4294967295]);
    const u64 = decodeTensor(
      rawProto({ dims: [1], dataType: 13, uint64Data: [{ low: -1, high: -1, unsigned: true }] }),
    );
    assertSameData(u64.data, [2n ** 64n - 1n]);
  });
  await t.step("int32_data for int8, uint16, bool and float16 bit patterns", () => {
    assertSameData(
      decodeTensor(rawProto({ dims: [2], dataType: 3, int32Data: [-128, 127] })).data,
      [-128, 127],
    );
    assertSameData(
      decodeTensor(rawProto({ dims: [1], dataType: 4, int32Data: [65535] })).data,
      [65535],
    );
    const b = decodeTensor(rawProto({ dims: [2], dataType: 9, int32Data: [1, 0] }));
    assertStrictEquals(b.dtype, "bool");
    assertSameData(b.data, [1, 0]);
    // float16 bits 0x3c00 = 1, 0xc000 = -2 (IEEE binary16).
    const h = decodeTensor(rawProto({ dims: [2], dataType: 10, int32Data: [0x3c00, 0xc000] }));
    assertSameData(h.data, [1, -2]);
  });
  await t.step("empty tensor without any data field", () => {
    assertStrictEquals(decodeTensor(rawProto({ dims: [0], dataType: 1 })).size, 0);
  });
});

Deno.test("decodeTensor() rejects malformed input", async (t) => {
  const good = encodeTensor(
    new OnnxTensor(Float32Array.from({ length: 6 }, (_, i) => i), [2, 3], { name: "input_0" }),
  );
  await t.step("raw_data too short / too long (message of the issue)", () => {
    const short = rawProto({
      name: "input_0",
      dims: [2, 3],
      dataType: 1,
      rawData: new Uint8Array(10),
    });
    assertCorrupt(
      () => decodeTensor(short, "/path/x.pb"),
      "/path/x.pb",
      "raw_data",
      "Cannot read tensor input_0 from /path/x.pb: raw_data has 10 bytes but dims [2, 3] of float32 need 24",
    );
    const long = rawProto({ dims: [2], dataType: 7, rawData: new Uint8Array(24) });
    assertCorrupt(
      () => decodeTensor(long, "l.pb"),
      "l.pb",
      "raw_data",
      "raw_data has 24 bytes but dims [2] of int64 need 16",
    );
  });
  await t.step("typed-field counts and misplaced fields", () => {
    assertCorrupt(
      () =>
        decodeTensor(rawProto({ dims: [2, 3], dataType: 1, floatData: [1, 2, 3, 4, 5] }), "c.pb"),
      "c.pb",
      "float_data",
      "float_data has 5 values but dims [2, 3] of float32 need 6",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [2], dataType: 1 }), "n.pb"),
      "n.pb",
      "float_data",
      "float_data has 0 values but dims [2] of float32 need 2 (and raw_data is absent)",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [1], dataType: 1, int64Data: [1] }), "m.pb"),
      "m.pb",
      "int64_data",
      "int64_data is set, but float32 values belong in float_data or raw_data",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [1], dataType: 2, int32Data: [300] }), "u.pb"),
      "u.pb",
      "int32_data[0]",
      "int32_data[0] = 300 is out of range for uint8",
    );
    assertCorrupt(
      () =>
        decodeTensor(
          rawProto({ dims: [1], dataType: 1, floatData: [1], rawData: new Uint8Array(4) }),
          "b.pb",
        ),
      "b.pb",
      "raw_data",
      "raw_data and float_data are both set",
    );
  });
  await t.step("unknown and missing data_type", () => {
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [1], dataType: 99, rawData: new Uint8Array(4) }), "d.pb"),
      "d.pb",
      "data_type",
      "data_type 99 is not an ONNX data type",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [1] }), "z.pb"),
      "z.pb",
      "data_type",
      "data_type is missing (0, UNDEFINED)",
    );
  });
  await t.step("absurd and negative dims fail fast, before allocating", () => {
    const start = performance.now();
    assertCorrupt(
      () =>
        decodeTensor(
          rawProto({ dims: [1e10, 1e10], dataType: 1, rawData: new Uint8Array(4) }),
          "h.pb",
        ),
      "h.pb",
      "dims",
      "dims [10000000000, 10000000000] has an entry larger than 2147483647",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [65536, 65536], dataType: 11 }), "p.pb"),
      "p.pb",
      "dims",
      "dims [65536, 65536] hold 4294967296 elements, more than the limit 2147483647",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [2 ** 30], dataType: 1 }), "g.pb"),
      "g.pb",
      "dims",
      "dims [1073741824] of float32 need 4294967296 bytes, more than the budget of 1073741824 bytes",
    );
    assertCorrupt(
      () => decodeTensor(rawProto({ dims: [1000], dataType: 1 }), "s.pb", { maxBytes: 1000 }),
      "s.pb",
      "dims",
      "dims [1000] of float32 need 4000 bytes, more than the budget of 1000 bytes (options.maxBytes)",
    );
    assertCorrupt(
      () =>
        decodeTensor(rawProto({ dims: [-2, 3], dataType: 1, rawData: new Uint8Array(24) }), "q.pb"),
      "q.pb",
      "dims",
      "dims [-2, 3] must not be negative",
    );
    assert(performance.now() - start < 1000, "fails fast");
  });
  await t.step("unsupported: external data, strings, complex, segments", () => {
    const external = rawProto({
      name: "w",
      dims: [4],
      dataType: 1,
      dataLocation: 1,
      externalData: [{ key: "location", value: "w.bin" }],
    });
    const e = assertThrows(
      () => decodeTensor(external, "e.pb"),
      OnnxUnsupportedError,
      "Cannot read tensor w from e.pb: data_location is EXTERNAL (values in a separate file), which is not supported",
    );
    assertStrictEquals(e.field, "data_location");
    const strings = rawProto({ dims: [1], dataType: 8, stringData: [new Uint8Array([104])] });
    assertStrictEquals(
      assertThrows(
        () => decodeTensor(strings, "s.pb"),
        OnnxUnsupportedError,
        "data_type 8 (STRING) is not supported",
      ).field,
      "data_type",
    );
    assertThrows(
      () => decodeTensor(rawProto({ dims: [1], dataType: 14, floatData: [1, 2] }), "c.pb"),
      OnnxUnsupportedError,
      "data_type 14 (COMPLEX64) is not supported",
    );
    assertThrows(
      () =>
        decodeTensor(rawProto({ dims: [1], dataType: 1, segment: { begin: 0, end: 1 } }), "g.pb"),
      OnnxUnsupportedError,
      "segment (a tensor split into chunks) is not supported",
    );
  });
  await t.step("truncated at every byte: a format error naming file and field", () => {
    for (let cut = 0; cut < good.length; cut++) {
      const e = assertThrows(() => decodeTensor(good.subarray(0, cut), "cut.pb"), OnnxFormatError);
      assertStrictEquals(e.file, "cut.pb");
      assert(e.field !== "", `cut ${cut}: field named in ${e.message}`);
      assert(e.message.startsWith("Cannot read tensor"), e.message);
    }
    // A cut inside raw_data names the field and the claimed size.
    assertCorrupt(
      () => decodeTensor(good.subarray(0, good.length - 5), "cut.pb"),
      "cut.pb",
      "raw_data",
      "raw_data claims 24 bytes at byte 16 but only 19 remain (truncated or corrupt file)",
    );
  });
  await t.step("garbage: wrong wire types, bad lengths, long varints, random bytes", () => {
    assertCorrupt(
      () => decodeTensor(new Uint8Array([0x12, 0x01, 0x01]), "w.pb"),
      "w.pb",
      "data_type",
      "data_type has wire type 2 but the schema needs 0",
    );
    assertCorrupt(
      () => decodeTensor(new Uint8Array([0x4a, 0xff, 0xff, 0xff, 0xff, 0x0f]), "l.pb"),
      "l.pb",
      "raw_data",
      "raw_data claims 4294967295 bytes at byte 1 but only 0 remain",
    );
    assertCorrupt(
      () => decodeTensor(new Uint8Array([0x10, 0x01, 0x22, 0x05, 1, 2, 3, 4, 5]), "f.pb"),
      "f.pb",
      "float_data",
      "float_data has 5 bytes, not a whole number of 4-byte values",
    );
    assertCorrupt(
      () => decodeTensor(new Uint8Array(12).fill(0xff), "v.pb"),
      "v.pb",
      "",
      "TensorProto ends in the middle of a field tag at byte 0",
    );
    assertCorrupt(
      () => decodeTensor(new Uint8Array([0x7f]), "t.pb"),
      "t.pb",
      "field 15",
      "field 15 has an invalid wire type 7 at byte 0",
    );
    const rng = new Random(2024);
    for (let n = 0; n < 300; n++) {
      const bytes = Uint8Array.from({ length: 1 + rng.integer(64) }, () => rng.integer(256));
      assertThrows(() => decodeTensor(bytes, "r.pb"), OnnxFormatError);
    }
  });
  await t.step("a small file cannot make the decoder build gigabytes of Long objects", () => {
    // 1 MiB of packed int64 zeros: ~1M Long objects (~64 MiB) estimated against an 8 MiB budget.
    const packed = new Uint8Array(2 ** 20);
    const bytes = rawProto({ dims: [packed.length], dataType: 7 });
    const header = new Uint8Array([0x3a, 0x80, 0x80, 0x40]); // field 7, length 2^20 (varint)
    const file = new Uint8Array(bytes.length + header.length + packed.length);
    file.set(bytes);
    file.set(header, bytes.length);
    assertCorrupt(
      () => decodeTensor(file, "big.pb", { maxBytes: 8 * 2 ** 20 }),
      "big.pb",
      "int64_data",
      "decoding int64_data would need about",
    );
  });
  await t.step("wrong argument types", () => {
    assertThrows(
      () => decodeTensor([1, 2] as unknown as Uint8Array, "a.pb"),
      TypeError,
      "Cannot decode tensor from a.pb: bytes must be a Uint8Array",
    );
    assertThrows(
      () => decodeTensor(good, "a.pb", { maxBytes: -1 }),
      RangeError,
      "options.maxBytes must be a positive number, got -1",
    );
    assertThrows(() => encodeTensor({} as OnnxTensor), TypeError, "expected an OnnxTensor");
  });
});

Deno.test("readTensorFile()", async (t) => {
  const fixture = new URL("./testdata/relu/test_data_set_0/", import.meta.url);
  const input = new URL("input_0.pb", fixture).pathname;
  await t.step("reads a path or a file: URL", async () => {
    const a = await readTensorFile(input);
    const b = await readTensorFile(new URL("input_0.pb", fixture));
    assertStrictEquals(a.name, "x");
    assertSameData(a.data, [-1, 2, -3, 4]);
    assertSameData(b.data, a.data);
  });
  await t.step("a file over the budget is refused before reading", async () => {
    const e = await assertRejects(
      () => readTensorFile(input, { maxBytes: 10 }),
      OnnxFormatError,
      `Cannot read tensor from ${input}: the file has 27 bytes, more than the budget of 10`,
    );
    assertStrictEquals(e.file, input);
  });
  await t.step("a model file read as a tensor: error names the path and field", async () => {
    const model = new URL("../model.onnx", fixture).pathname;
    const e = await assertRejects(
      () => readTensorFile(model),
      OnnxFormatError,
      `Cannot read tensor from ${model}: data_type has wire type 2 but the schema needs 0`,
    );
    assertStrictEquals(e.field, "data_type");
  });
  await t.step("missing file, directory, bad path type", async () => {
    await assertRejects(() => readTensorFile(new URL("none.pb", fixture)), Deno.errors.NotFound);
    await assertRejects(() => readTensorFile(fixture.pathname), TypeError, "not a regular file");
    await assertRejects(
      () => readTensorFile(new URL("https://example.com/x.pb")),
      TypeError,
      "path must be a string or a file: URL, got https://example.com/x.pb",
    );
  });
});

Deno.test("readTensorFile() on ONNX's own test data", async (t) => {
  if (!hasNodeTests) {
    console.log(`  note: ${NODE_TESTS} not found (Debian package libonnx-testdata); skipped`);
    return;
  }
  await t.step("test_conv_with_strides_padding: x = arange(35), W = ones", async () => {
    const dir = `${NODE_TESTS}/test_conv_with_strides_padding/test_data_set_0`;
    const x = await readTensorFile(`${dir}/input_0.pb`);
    assertStrictEquals(x.name, "x");
    assertStrictEquals(x.dtype, "float32");
    assertEquals(x.dims, [1, 1, 7, 5]);
    assertSameData(x.data, Array.from({ length: 35 }, (_, i) => i));
    const w = await readTensorFile(`${dir}/input_1.pb`);
    assertEquals(w.dims, [1, 1, 3, 3]);
    assertSameData(w.data, new Array(9).fill(1));
    // y[0,0,i,j] = sum of x over the 3×3 window at (2i-1, 2j-1), clipped: by hand,
    // y[0,0,0,0] = 0+1+5+6 = 12 and y[0,0,1,1] = sum of 5r+c for r,c in 1..3 = 108.
    const y = await readTensorFile(`${dir}/output_0.pb`);
    assertEquals(y.dims, [1, 1, 4, 3]);
    assertStrictEquals(y.data[0], 12);
    assertStrictEquals(y.data[4], 108);
  });
  await t.step(
    "test_reshape_negative_dim: int64 shape [2, -1, 2] (unpacked dims, unaligned)",
    async () => {
      const shape = await readTensorFile(
        `${NODE_TESTS}/test_reshape_negative_dim/test_data_set_0/input_1.pb`,
      );
      assertStrictEquals(shape.dtype, "int64");
      assertSameData(shape.data, [2n, -1n, 2n]);
    },
  );
  await t.step("test_and2d: bool output = input_0 AND input_1", async () => {
    const dir = `${NODE_TESTS}/test_and2d/test_data_set_0`;
    const [a, b, y] = await Promise.all(
      ["input_0", "input_1", "output_0"].map((n) => readTensorFile(`${dir}/${n}.pb`)),
    );
    assertStrictEquals(y.dtype, "bool");
    assertEquals(y.dims, a.dims);
    let ones = 0;
    for (let i = 0; i < y.size; i++) {
      assertStrictEquals(y.data[i], (a.data[i] as number) & (b.data[i] as number));
      ones += y.data[i] as number;
    }
    assert(ones > 0 && ones < y.size, "both values occur");
  });
  await t.step("test_cast_FLOAT_to_FLOAT16: output = f16round(input)", async () => {
    const f16round = (Math as unknown as { f16round?: (x: number) => number }).f16round;
    const dir = `${NODE_TESTS}/test_cast_FLOAT_to_FLOAT16/test_data_set_0`;
    const x = await readTensorFile(`${dir}/input_0.pb`);
    const y = await readTensorFile(`${dir}/output_0.pb`);
    assertStrictEquals(y.dtype, "float16");
    assertEquals(y.dims, x.dims);
    if (!f16round) return console.log("  note: no Math.f16round; values not checked");
    for (let i = 0; i < x.size; i++) {
      const expected = f16round(x.data[i] as number);
      assert(
        Object.is(y.data[i], expected) ||
          (Number.isNaN(expected) && Number.isNaN(y.data[i] as number)),
        `[${i}] ${y.data[i]} vs ${expected}`,
      );
    }
  });
});
