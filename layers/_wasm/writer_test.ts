import { assert, assertEquals, assertStrictEquals } from "@std/assert";
import { F32, I32, ModuleBuilder, V128, writeS32, writeU32 } from "./writer.ts";
import { hasRelaxedSimd, hasSimd } from "./detect.ts";

const u32 = (v: number) => {
  const out: number[] = [];
  writeU32(out, v);
  return out;
};
const s32 = (v: number) => {
  const out: number[] = [];
  writeS32(out, v);
  return out;
};

function instantiate(module: ModuleBuilder, pages = 1) {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const bytes = module.encode() as BufferSource;
  assert(WebAssembly.validate(bytes), "module must validate");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  return { exports: instance.exports, floats: new Float32Array(memory.buffer) };
}

Deno.test("wasm writer", async (t) => {
  await t.step("LEB128 encodings from the spec's examples", () => {
    assertEquals(u32(0), [0x00]);
    assertEquals(u32(127), [0x7f]);
    assertEquals(u32(128), [0x80, 0x01]);
    assertEquals(u32(624485), [0xe5, 0x8e, 0x26]);
    assertEquals(u32(0xffffffff), [0xff, 0xff, 0xff, 0xff, 0x0f]);
    assertEquals(s32(0), [0x00]);
    assertEquals(s32(-1), [0x7f]);
    assertEquals(s32(63), [0x3f]);
    assertEquals(s32(64), [0xc0, 0x00]);
    assertEquals(s32(-64), [0x40]);
    assertEquals(s32(-65), [0xbf, 0x7f]);
    assertEquals(s32(-123456), [0xc0, 0xbb, 0x78]);
    assertEquals(s32(-(2 ** 31)), [0x80, 0x80, 0x80, 0x80, 0x78]);
  });

  await t.step("i32 arithmetic, locals, loops and calls run as written", () => {
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    // square(x) = x·x; sumSquares(n) = Σ_{i<n} square(i) with a counted loop.
    const square = module.addFunction([I32], [I32]);
    const [x] = square.builder.params;
    square.builder.get(x).get(x).i32Mul();
    const sum = module.addFunction([I32], [I32], "sumSquares").builder;
    const [n] = sum.params;
    const i = sum.local(I32), total = sum.local(I32);
    sum.block().loop();
    sum.get(i).get(n).i32GeS().brIf(1);
    sum.get(total).get(i).call(square.index).i32Add().set(total);
    sum.get(i).i32Const(1).i32Add().set(i).br(0).end().end();
    sum.get(total);
    const { exports } = instantiate(module);
    const sumSquares = exports.sumSquares as (n: number) => number;
    assertStrictEquals(sumSquares(0), 0);
    assertStrictEquals(sumSquares(10), 285);
    assertStrictEquals(sumSquares(1000), 332833500);
  });

  await t.step("f32 and v128 memory ops, splat, mul/add, shuffle", () => {
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    const f = module.addFunction([I32], [], "run").builder;
    const [p] = f.params;
    const v = f.local(V128);
    // out[0..3] = in[0..3]·splat(in[4]) + in[8..11]; out[4..7] = shuffle(in[0..3], in[8..11]).
    f.get(p).v128Load(0).get(p).v128Load32Splat(16).f32x4Mul().get(p).v128Load(32).f32x4Add();
    f.set(v).get(p).get(v).v128Store(64);
    f.get(p).get(p).v128Load(0).get(p).v128Load(32).shuffle32(3, 4, 0, 7).v128Store(80);
    // out[8] = in[0] + in[1] as scalars; out[9] = 2.5 via a splatted constant lane.
    f.get(p).get(p).f32Load(0).get(p).f32Load(4).f32Add().f32Store(96);
    f.v128ConstF32(2.5, 2.5, 2.5, 2.5).set(v);
    f.get(p).get(v).v128Store(100, 2);
    const { exports, floats } = instantiate(module);
    floats.set([1, 2, 3, 4, 10, 0, 0, 0, 0.5, 0.25, 0.125, 1], 0);
    (exports.run as (p: number) => void)(0);
    assertEquals([...floats.subarray(16, 20)], [10.5, 20.25, 30.125, 41]);
    assertEquals([...floats.subarray(20, 24)], [4, 0.5, 1, 1]);
    assertStrictEquals(floats[24], 3);
    assertEquals([...floats.subarray(25, 29)], [2.5, 2.5, 2.5, 2.5]);
  });

  await t.step("i32 division, select, i32 memory ops, memory.fill and memory.copy", () => {
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    const f = module.addFunction([I32, I32], [], "run").builder;
    const [a, b] = f.params;
    const ints = (at: number) => f.i32Const(at);
    // [0] = a / b, [1] = a % b (truncating), [2] = a > b ? a : b, [3] = load [8] | 1 << 4.
    ints(0).get(a).get(b).i32DivS().i32Store(0);
    ints(0).get(a).get(b).i32RemS().i32Store(4);
    ints(0).get(a).get(b).get(a).get(b).i32GtS().select().i32Store(8);
    ints(0).i32Const(32).i32Load(0).i32Const(1).i32Const(4).i32Shl().i32Or().i32Store(12);
    // bytes 64..71 = 0xAB, then bytes 16..23 = bytes 64..71.
    f.i32Const(64).i32Const(0xab).i32Const(8).memoryFill();
    f.i32Const(16).i32Const(64).i32Const(8).memoryCopy();
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const bytes = module.encode() as BufferSource;
    assert(WebAssembly.validate(bytes));
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
      .exports;
    const i32 = new Int32Array(memory.buffer);
    i32[8] = 3;
    (exports.run as (a: number, b: number) => void)(-7, 2);
    assertEquals([...i32.subarray(0, 4)], [-3, -1, 2, 19]);
    assertEquals([...new Uint8Array(memory.buffer, 16, 8)], new Array(8).fill(0xab));
  });

  await t.step("f32x4 compare, pmax, bitselect, lanes; i32x4 splat, add, mul; any_true", () => {
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    const f = module.addFunction([I32], [I32], "run").builder;
    const [p] = f.params;
    const x = f.local(V128), y = f.local(V128), m = f.local(V128);
    f.get(p).v128Load(0).set(x).get(p).v128Load(16).set(y);
    // [8..11] = pmax(x, y) = x < y ? y : x; m = (y > x) | (y ≠ y); [12..15] = m ? y : x.
    f.get(p).get(x).get(y).f32x4Pmax().v128Store(32);
    f.get(y).get(x).f32x4Gt().get(y).get(y).f32x4Ne().v128Or().set(m);
    f.get(p).get(y).get(x).get(m).v128Bitselect().v128Store(48);
    // [16..19] = (0,1,2,3)·splat(3) + splat(5) as i32; [20] = lane 2 of x + 1 put in lane 0 of y.
    f.get(p).v128ConstI32(0, 1, 2, 3).i32Const(3).i32x4Splat().i32x4Mul().i32Const(5);
    f.i32x4Splat().i32x4Add().v128Store(64);
    f.get(p).get(y).get(x).f32x4ExtractLane(2).f32Const(1).f32Add().f32x4ReplaceLane(0);
    f.v128Store(80);
    // returns any_true(m) + 2·(x[0] > x[1]) + 4·(x[3] ≠ x[3]) as scalars
    f.get(m).v128AnyTrue();
    f.get(p).f32Load(0).get(p).f32Load(4).f32Gt().i32Const(2).i32Mul().i32Add();
    f.get(p).f32Load(12).get(p).f32Load(12).f32Ne().i32Const(4).i32Mul().i32Add();
    const { exports, floats } = instantiate(module);
    floats.set([-0, 1, NaN, NaN, 0, NaN, 1, 2], 0);
    const flags = (exports.run as (p: number) => number)(0);
    // pmax keeps the first operand on ties (−0 vs 0), when it is NaN, and when the second is.
    const pmax = [...floats.subarray(8, 12)];
    assert(Object.is(pmax[0], -0) && pmax[1] === 1 && Number.isNaN(pmax[2]));
    assert(Number.isNaN(pmax[3]));
    // y replaces x where greater or NaN: only lane 1 (0 > −0, 1 > NaN, 2 > NaN are all false).
    const sel = [...floats.subarray(12, 16)];
    assert(Object.is(sel[0], -0) && sel.slice(1).every(Number.isNaN));
    assertEquals([...new Int32Array(floats.buffer, 64, 4)], [5, 8, 11, 14]);
    assert(Number.isNaN(floats[20]));
    assert(Number.isNaN(floats[21]));
    assertEquals([...floats.subarray(22, 24)], [1, 2]);
    assertStrictEquals(flags, 1 + 0 + 4);
  });

  await t.step("f32x4.relaxed_madd computes a·b + c", () => {
    if (!hasRelaxedSimd()) return;
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    const f = module.addFunction([I32], [], "madd").builder;
    const [p] = f.params;
    f.get(p).get(p).v128Load(0).get(p).v128Load(16).get(p).v128Load(32).f32x4RelaxedMadd();
    f.v128Store(48);
    const { exports, floats } = instantiate(module);
    floats.set([1, 2, 3, NaN, 4, 5, -6, 1, 0.5, 0.5, 0.5, 0.5]);
    (exports.madd as (p: number) => void)(0);
    assertEquals([...floats.subarray(12, 16)], [4.5, 10.5, -17.5, NaN]);
  });

  await t.step("feature probes: SIMD validates here; a type error does not", () => {
    // Deno's V8 ships SIMD and relaxed SIMD; the probes must say so.
    assert(hasSimd());
    assert(hasRelaxedSimd());
    const module = new ModuleBuilder({ minPages: 1, maxPages: 1 });
    const f = module.addFunction([I32], [F32]).builder;
    f.get(f.params[0]); // returns an i32 where an f32 is declared
    assertStrictEquals(WebAssembly.validate(module.encode() as BufferSource), false);
  });
});
