// A tiny typed writer for WebAssembly binaries, so the GEMM kernel can be emitted from TypeScript
// at load time: no binary in the repository and nothing to build. It covers exactly what the
// kernels need — one imported memory, functions with typed locals, structured control flow,
// i32 arithmetic, f32 scalar and 128-bit SIMD loads/stores/arithmetic including the relaxed-SIMD
// fused multiply-add — and nothing else. Encodings follow the WebAssembly core specification
// (binary format, chapter 5) and the fixed-width and relaxed SIMD proposals.

/** Value types (spec 5.3.1). */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
/** A value type byte. */
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Appends `value` as unsigned LEB128 (spec 5.2.2). */
export function writeU32(out: number[], value: number): void {
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
}

/** Appends a 32-bit integer as signed LEB128 (spec 5.2.2). */
export function writeS32(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    // Done when the remaining bits are pure sign extension of the byte's top bit.
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

function writeName(out: number[], name: string): void {
  const bytes = new TextEncoder().encode(name);
  writeU32(out, bytes.length);
  for (const b of bytes) out.push(b);
}

function writeVector(out: number[], items: readonly number[][]): void {
  writeU32(out, items.length);
  for (const item of items) for (const b of item) out.push(b);
}

/** A local variable or parameter of a function being built. */
export interface Local {
  readonly index: number;
  readonly type: ValType;
}

/**
 * The body of one function. Each method appends one instruction; the builder keeps the byte
 * stream and the declared locals. Memory offsets and alignments are byte offsets and log2 byte
 * alignments, as in the text format's `offset=` and `align=`.
 */
export class FunctionBuilder {
  readonly params: readonly Local[];
  readonly results: readonly ValType[];
  readonly #locals: Local[] = [];
  readonly #code: number[] = [];

  constructor(params: readonly ValType[], results: readonly ValType[]) {
    this.params = params.map((type, index) => ({ index, type }));
    this.results = results;
  }

  /** Declares a new local of `type` and returns it. */
  local(type: ValType): Local {
    const local = { index: this.params.length + this.#locals.length, type };
    this.#locals.push(local);
    return local;
  }

  /** The encoded body: local declarations (run-length grouped), code, final `end`. */
  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const { type } of this.#locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    const body: number[] = [];
    writeU32(body, groups.length);
    for (const [count, type] of groups) {
      writeU32(body, count);
      body.push(type);
    }
    // Loops, not spreads: a spread passes every byte as an argument and overflows the stack for
    // a large function.
    append(body, this.#code);
    body.push(0x0b);
    const out: number[] = [];
    writeU32(out, body.length);
    append(out, body);
    return out;
  }

  #op(...bytes: number[]): this {
    this.#code.push(...bytes);
    return this;
  }

  #simd(opcode: number): this {
    this.#code.push(0xfd);
    writeU32(this.#code, opcode);
    return this;
  }

  #memarg(align: number, offset: number): this {
    writeU32(this.#code, align);
    writeU32(this.#code, offset);
    return this;
  }

  // Control flow (spec 5.4.1). Blocks here never yield values (block type 0x40).
  block(): this {
    return this.#op(0x02, 0x40);
  }
  loop(): this {
    return this.#op(0x03, 0x40);
  }
  if(): this {
    return this.#op(0x04, 0x40);
  }
  else(): this {
    return this.#op(0x05);
  }
  end(): this {
    return this.#op(0x0b);
  }
  br(depth: number): this {
    this.#op(0x0c);
    writeU32(this.#code, depth);
    return this;
  }
  brIf(depth: number): this {
    this.#op(0x0d);
    writeU32(this.#code, depth);
    return this;
  }
  return(): this {
    return this.#op(0x0f);
  }
  call(functionIndex: number): this {
    this.#op(0x10);
    writeU32(this.#code, functionIndex);
    return this;
  }
  drop(): this {
    return this.#op(0x1a);
  }

  // Variables (spec 5.4.4).
  get(local: Local): this {
    this.#op(0x20);
    writeU32(this.#code, local.index);
    return this;
  }
  set(local: Local): this {
    this.#op(0x21);
    writeU32(this.#code, local.index);
    return this;
  }
  tee(local: Local): this {
    this.#op(0x22);
    writeU32(this.#code, local.index);
    return this;
  }

  // i32 numeric (spec 5.4.7).
  i32Const(value: number): this {
    this.#op(0x41);
    writeS32(this.#code, value);
    return this;
  }
  i32Eqz(): this {
    return this.#op(0x45);
  }
  i32Eq(): this {
    return this.#op(0x46);
  }
  i32Ne(): this {
    return this.#op(0x47);
  }
  i32LtS(): this {
    return this.#op(0x48);
  }
  i32LtU(): this {
    return this.#op(0x49);
  }
  i32GtS(): this {
    return this.#op(0x4a);
  }
  i32LeS(): this {
    return this.#op(0x4c);
  }
  i32GeS(): this {
    return this.#op(0x4e);
  }
  i32Add(): this {
    return this.#op(0x6a);
  }
  i32Sub(): this {
    return this.#op(0x6b);
  }
  i32Mul(): this {
    return this.#op(0x6c);
  }
  i32And(): this {
    return this.#op(0x71);
  }
  i32Shl(): this {
    return this.#op(0x74);
  }
  i32GtU(): this {
    return this.#op(0x4b);
  }
  i32GeU(): this {
    return this.#op(0x4f);
  }
  i32DivS(): this {
    return this.#op(0x6d);
  }
  i32RemS(): this {
    return this.#op(0x6f);
  }
  i32Or(): this {
    return this.#op(0x72);
  }
  i32ShrS(): this {
    return this.#op(0x75);
  }
  /** `select`: the first operand if the i32 condition is non-zero, else the second. */
  select(): this {
    return this.#op(0x1b);
  }

  // Scalar memory (spec 5.4.6).
  i32Load(offset = 0, align = 2): this {
    return this.#op(0x28).#memarg(align, offset);
  }
  i32Store(offset = 0, align = 2): this {
    return this.#op(0x36).#memarg(align, offset);
  }
  f32Load(offset = 0, align = 2): this {
    return this.#op(0x2a).#memarg(align, offset);
  }
  f32Store(offset = 0, align = 2): this {
    return this.#op(0x38).#memarg(align, offset);
  }

  // Bulk memory (spec 5.4.6, prefix 0xFC): byte counts, memory index 0.
  /** memory.copy(dst, src, bytes); overlapping ranges are handled like memmove. */
  memoryCopy(): this {
    this.#code.push(0xfc);
    writeU32(this.#code, 10);
    return this.#op(0x00, 0x00);
  }
  /** memory.fill(dst, byteValue, bytes). */
  memoryFill(): this {
    this.#code.push(0xfc);
    writeU32(this.#code, 11);
    return this.#op(0x00);
  }

  // f32 numeric.
  f32Add(): this {
    return this.#op(0x92);
  }
  f32Mul(): this {
    return this.#op(0x94);
  }
  f32Ne(): this {
    return this.#op(0x5c);
  }
  f32Gt(): this {
    return this.#op(0x5e);
  }
  f32Const(value: number): this {
    this.#op(0x43);
    for (const b of new Uint8Array(new Float32Array([value]).buffer)) this.#code.push(b);
    return this;
  }

  // 128-bit SIMD (prefix 0xFD, opcode as LEB128).
  v128Load(offset = 0, align = 4): this {
    return this.#simd(0x00).#memarg(align, offset);
  }
  v128Load32Splat(offset = 0, align = 2): this {
    return this.#simd(0x09).#memarg(align, offset);
  }
  v128Store(offset = 0, align = 4): this {
    return this.#simd(0x0b).#memarg(align, offset);
  }
  /** v128.const with four f32 lanes. */
  v128ConstF32(x0: number, x1: number, x2: number, x3: number): this {
    this.#simd(0x0c);
    const bytes = new Uint8Array(new Float32Array([x0, x1, x2, x3]).buffer);
    for (const b of bytes) this.#code.push(b);
    return this;
  }
  /** i8x16.shuffle of two vectors, given as four 32-bit lane picks (0-3 first, 4-7 second). */
  shuffle32(l0: number, l1: number, l2: number, l3: number): this {
    this.#simd(0x0d);
    for (const lane of [l0, l1, l2, l3]) for (let b = 0; b < 4; b++) this.#code.push(lane * 4 + b);
    return this;
  }
  /** v128.const with four i32 lanes. */
  v128ConstI32(x0: number, x1: number, x2: number, x3: number): this {
    this.#simd(0x0c);
    const bytes = new Uint8Array(new Int32Array([x0, x1, x2, x3]).buffer);
    for (const b of bytes) this.#code.push(b);
    return this;
  }
  f32x4Splat(): this {
    return this.#simd(0x13);
  }
  i32x4Splat(): this {
    return this.#simd(0x11);
  }
  f32x4ExtractLane(lane: number): this {
    this.#simd(0x1f);
    this.#code.push(lane);
    return this;
  }
  f32x4ReplaceLane(lane: number): this {
    this.#simd(0x20);
    this.#code.push(lane);
    return this;
  }
  f32x4Ne(): this {
    return this.#simd(0x42);
  }
  f32x4Eq(): this {
    return this.#simd(0x41);
  }
  f32x4Lt(): this {
    return this.#simd(0x43);
  }
  f32x4Gt(): this {
    return this.#simd(0x44);
  }
  f32x4Le(): this {
    return this.#simd(0x45);
  }
  f32x4Ge(): this {
    return this.#simd(0x46);
  }
  /** f64x2.promote_low_f32x4: the two low f32 lanes as f64. */
  f64x2PromoteLowF32x4(): this {
    return this.#simd(0x5f);
  }
  f64x2Add(): this {
    return this.#simd(0xf0);
  }
  v128And(): this {
    return this.#simd(0x4e);
  }
  /** v128.andnot(a, b) = a & ~b. */
  v128Andnot(): this {
    return this.#simd(0x4f);
  }
  v128Or(): this {
    return this.#simd(0x50);
  }
  /** v128.bitselect(a, b, mask): bits of a where mask is 1, of b where it is 0. */
  v128Bitselect(): this {
    return this.#simd(0x52);
  }
  i32x4Add(): this {
    return this.#simd(0xae);
  }
  /** f32x4.pmax(a, b) = a < b ? b : a — the x86 maxps rule: NaN or equal inputs give a. */
  f32x4Pmax(): this {
    return this.#simd(0xeb);
  }
  v128AnyTrue(): this {
    return this.#simd(0x53);
  }
  i32x4Mul(): this {
    return this.#simd(0xb5);
  }
  f32x4Add(): this {
    return this.#simd(0xe4);
  }
  f32x4Sub(): this {
    return this.#simd(0xe5);
  }
  f32x4Mul(): this {
    return this.#simd(0xe6);
  }
  /** Relaxed SIMD: a·b + c, fused or not at the engine's choice. */
  f32x4RelaxedMadd(): this {
    return this.#simd(0x105);
  }
}

interface FunctionEntry {
  typeIndex: number;
  builder: FunctionBuilder;
  exportName?: string;
}

/**
 * A module with one imported memory ("env" "memory") and a list of functions. Function indices
 * count from 0 in the order of `addFunction` (there are no imported functions).
 */
export class ModuleBuilder {
  readonly #types: string[] = [];
  readonly #functions: FunctionEntry[] = [];
  readonly #memoryMinPages: number;
  readonly #memoryMaxPages: number;

  constructor(memory: { minPages: number; maxPages: number }) {
    this.#memoryMinPages = memory.minPages;
    this.#memoryMaxPages = memory.maxPages;
  }

  /** Adds a function (exported under `exportName` if given) and returns its builder and index. */
  addFunction(
    params: readonly ValType[],
    results: readonly ValType[],
    exportName?: string,
  ): { builder: FunctionBuilder; index: number } {
    const signature = [0x60, ...u32(params.length), ...params, ...u32(results.length), ...results]
      .join(",");
    let typeIndex = this.#types.indexOf(signature);
    if (typeIndex < 0) typeIndex = this.#types.push(signature) - 1;
    const builder = new FunctionBuilder(params, results);
    const index = this.#functions.push({ typeIndex, builder, exportName }) - 1;
    return { builder, index };
  }

  /** The complete binary. */
  encode(): Uint8Array {
    const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, content: number[]) => {
      out.push(id);
      writeU32(out, content.length);
      append(out, content);
    };
    section(1, vectorOf(this.#types.map((t) => t.split(",").map(Number))));
    // Import section: ("env", "memory") as a memory with min and max pages (limits flag 0x01).
    const imp: number[] = [];
    writeName(imp, "env");
    writeName(imp, "memory");
    imp.push(0x02, 0x01);
    writeU32(imp, this.#memoryMinPages);
    writeU32(imp, this.#memoryMaxPages);
    section(2, vectorOf([imp]));
    section(3, vectorOf(this.#functions.map((f) => u32(f.typeIndex))));
    const exports = this.#functions.flatMap((f, index) => {
      if (f.exportName === undefined) return [];
      const e: number[] = [];
      writeName(e, f.exportName);
      e.push(0x00);
      writeU32(e, index);
      return [e];
    });
    section(7, vectorOf(exports));
    section(10, vectorOf(this.#functions.map((f) => f.builder.encode())));
    return new Uint8Array(out);
  }
}

function u32(value: number): number[] {
  const out: number[] = [];
  writeU32(out, value);
  return out;
}

function vectorOf(items: number[][]): number[] {
  const out: number[] = [];
  writeVector(out, items);
  return out;
}

/**
 * A copy of a module emitted by `ModuleBuilder` whose imported memory is declared shared (limits
 * flag 0x03, spec 5.3.7 with the threads proposal), so it can be instantiated against a
 * `WebAssembly.Memory({ shared: true })`. Only the flag byte changes: the builder always writes
 * a maximum, which a shared memory requires, and the section sizes stay the same.
 */
export function withSharedMemory(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const readU32 = (at: number): [number, number] => {
    let value = 0, shift = 0, byte: number;
    do {
      byte = out[at++];
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return [value >>> 0, at];
  };
  let at = 8;
  while (at < out.length) {
    const id = out[at];
    const [size, body] = readU32(at + 1);
    if (id === 2) {
      let [count, p] = readU32(body);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [length, next] = readU32(p);
          p = next + length;
        }
        const kind = out[p++];
        if (kind === 0x02) {
          if (out[p] !== 0x01) {
            throw new RangeError("withSharedMemory: memory import has no maximum");
          }
          out[p] = 0x03;
          return out;
        }
        throw new RangeError(`withSharedMemory: unexpected import kind ${kind}`);
      }
    }
    at = body + size;
  }
  throw new RangeError("withSharedMemory: the module imports no memory");
}

/** Appends `bytes` to `out` one by one (no spread: safe for any length). */
function append(out: number[], bytes: readonly number[]): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]);
}
