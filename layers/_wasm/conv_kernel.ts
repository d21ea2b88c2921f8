// The convolution kernel module: everything the wasm convolution driver (./conv_wasm.ts) runs
// besides the GEMM's own packing and block functions (./kernel.ts). All addresses, leading
// dimensions and sizes named `…Bytes` are byte offsets into the shared memory.
//
// - im2col(desc, x, cols, ld, j0, count): writes the column matrix of a tile of output positions
//   as row-major rows (row r at cols + r·ld), reading a staged input x. Columns are flat
//   positions j in [j0, j0 + count) over the staged images: image j / P, position j % P. Row r is
//   (c, kd, kh, kw) as in ../_im2col.ts; padding taps are 0.
// - col2im(desc, x, cols, ld, j0, count): the adjoint — adds every entry into the input element
//   it was read from (x is then the staged input gradient); padding taps are dropped.
// - copyRows(src, srcLd, dst, dstLd, rows, bytes): a rows × bytes block copy.
// - addBias(dst, ld, rows, count, bias): row r of `rows` (count floats) += the float at bias + 4r.
// Both window walkers go through the positions in runs along the W axis; in a run the in-range
// taps form one interval [a, b), so each run is zeros (or nothing), a copy with the stride, and
// zeros — the same walk as the TypeScript im2col, with 4-lane moves for strides 1 and 2. im2col
// writes whole vectors and may overshoot a run by up to 16 bytes (overwritten by what follows),
// so the column buffer needs room after its last row. Whole output planes of a 2-D problem may
// be laid out with their own row and image pitches (descriptor fields planeRowBytes,
// planeImageBytes): with 8 output columns that writes the GEMM's B panels directly.
//
// The geometry is passed as a descriptor of i32 fields (see `DESCRIPTOR`) written by the driver,
// so the exported functions keep short signatures.

import { addTo, forRange, i32Locals, setMax, setMin, whileLoop } from "./emit.ts";
import { type FunctionBuilder, I32, type Local, ModuleBuilder, V128 } from "./writer.ts";

/** Field order of the i32 descriptor (word index → meaning). */
export const DESCRIPTOR = [
  "channels", // input channels of one group
  "inD",
  "inH",
  "inW",
  "outD",
  "outH",
  "outW",
  "kD",
  "kH",
  "kW",
  "sD",
  "sH",
  "sW",
  "dD",
  "dH",
  "dW",
  "pD",
  "pH",
  "pW",
  "imageBytes", // byte distance between staged images
  "channelBytes", // byte distance between staged channels (inD·inH·inW·4)
  "positions", // output positions per image, outD·outH·outW
  // Column-side layout of whole output planes (2-D problems): bytes between the output rows of
  // one tap and between images. Row-major columns: outW·4 and positions·4; writing im2col
  // straight into GEMM B panels (outW = 8): the panel pitch and outH panels.
  "planeRowBytes",
  "planeImageBytes",
] as const;

/** Bytes the descriptor occupies. */
export const DESCRIPTOR_BYTES = DESCRIPTOR.length * 4;

/** Exported functions of the convolution kernel module. */
export interface ConvKernelExports {
  im2col: (desc: number, x: number, cols: number, ld: number, j0: number, count: number) => void;
  col2im: (desc: number, x: number, cols: number, ld: number, j0: number, count: number) => void;
  copyRows: (
    src: number,
    srcLd: number,
    dst: number,
    dstLd: number,
    rows: number,
    bytes: number,
  ) => void;
  addBias: (dst: number, ld: number, rows: number, count: number, bias: number) => void;
}

/** Emits the module, importing a memory of at most `maxPages`. */
export function buildConvModule(maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  emitWalk(module.addFunction(new Array(6).fill(I32), [], "im2col").builder, "im2col");
  emitWalk(module.addFunction(new Array(6).fill(I32), [], "col2im").builder, "col2im");
  emitCopyRows(module.addFunction(new Array(6).fill(I32), [], "copyRows").builder);
  emitAddBias(module.addFunction(new Array(5).fill(I32), [], "addBias").builder);
  return module.encode();
}

/**
 * Stores `n` zero floats from `at`, in whole vectors: up to 12 bytes past the end may be written
 * too, which the column walk overwrites with the values that belong there (it writes each row
 * left to right, then the next row). Leaves `at` just past the n floats; clobbers `end`.
 */
function emitZero(f: FunctionBuilder, at: Local, n: Local, end: Local): void {
  f.get(n).i32Const(4).i32Mul().get(at).i32Add().set(end);
  whileLoop(f, () => f.get(at).get(end).i32LtS(), () => {
    f.get(at).v128ConstF32(0, 0, 0, 0).v128Store(0, 0);
    addTo(f, at, 16);
  });
  f.get(end).set(at);
}

/** How the input side is stepped: stride 1, stride 2, or any stride (float by float). */
type StrideKind = 1 | 2 | 0;

/**
 * Moves `n` floats between the strided input side (`xs`, step `step` bytes = sW·4) and the
 * contiguous column side (`cs`), for a stride kind fixed at emit time. im2col copies x → cols:
 * strides 1 and 2 in whole vectors (stride 2 keeps the even lanes of two loads), overshooting
 * like `emitZero` and reading up to 28 bytes past the last tap (the staging leaves room).
 * col2im adds cols into x and must not touch anything else: whole vectors for stride 1, then
 * single floats. Leaves `cs` just past the n floats; clobbers xs, n, end.
 */
function emitMoveKind(
  f: FunctionBuilder,
  mode: "im2col" | "col2im",
  kind: StrideKind,
  xs: Local,
  cs: Local,
  n: Local,
  step: Local,
  end: Local,
): void {
  if (mode === "im2col") {
    f.get(n).i32Const(4).i32Mul().get(cs).i32Add().set(end);
    whileLoop(f, () => f.get(cs).get(end).i32LtS(), () => {
      if (kind === 1) {
        f.get(cs).get(xs).v128Load(0, 0).v128Store(0, 0);
        addTo(f, xs, 16);
        addTo(f, cs, 16);
      } else if (kind === 2) {
        f.get(cs).get(xs).v128Load(0, 0).get(xs).v128Load(16, 0).shuffle32(0, 2, 4, 6);
        f.v128Store(0, 0);
        addTo(f, xs, 32);
        addTo(f, cs, 16);
      } else {
        f.get(cs).get(xs).f32Load(0, 2).f32Store(0, 2);
        addTo(f, xs, step);
        addTo(f, cs, 4);
      }
    });
    f.get(end).set(cs);
    return;
  }
  if (kind === 1) {
    whileLoop(f, () => f.get(n).i32Const(4).i32GeS(), () => {
      f.get(xs).get(xs).v128Load(0, 0).get(cs).v128Load(0, 0).f32x4Add().v128Store(0, 0);
      addTo(f, xs, 16);
      addTo(f, cs, 16);
      addTo(f, n, -4);
    });
  }
  whileLoop(f, () => f.get(n).i32Const(0).i32GtS(), () => {
    f.get(xs).get(xs).f32Load(0, 2).get(cs).f32Load(0, 2).f32Add().f32Store(0, 2);
    addTo(f, xs, step);
    addTo(f, cs, 4);
    addTo(f, n, -1);
  });
}

/** `emitMoveKind` with the stride kind chosen at run time from sW. */
function emitMove(
  f: FunctionBuilder,
  mode: "im2col" | "col2im",
  xs: Local,
  cs: Local,
  n: Local,
  sW: Local,
  step: Local,
  end: Local,
): void {
  forStrideKinds(f, sW, (kind) => emitMoveKind(f, mode, kind, xs, cs, n, step, end));
}

/** Emits `body(kind)` under a run-time switch on sW: 1, 2, anything else. */
function forStrideKinds(f: FunctionBuilder, sW: Local, body: (kind: StrideKind) => void): void {
  f.get(sW).i32Const(1).i32Eq().if();
  body(1);
  f.else();
  f.get(sW).i32Const(2).i32Eq().if();
  body(2);
  f.else();
  body(0);
  f.end();
  f.end();
}

/** im2col or col2im over a tile of flat output positions; see the header. */
function emitWalk(f: FunctionBuilder, mode: "im2col" | "col2im"): void {
  const [desc, x, cols, ld, j0, count] = f.params;
  const field: Record<string, Local> = {};
  DESCRIPTOR.forEach((name, i) => {
    field[name] = f.local(I32);
    f.get(desc).i32Load(i * 4).set(field[name]);
  });
  const { channels, inD, inH, inW, outD, outH, outW, kD, kH, kW, sD, sH, sW } = field;
  const { dD, dH, dW, pD, pH, pW, imageBytes, channelBytes, positions } = field;
  const { planeRowBytes, planeImageBytes } = field;
  const [outHW, img0, rem, od0, oh0, ow0, xImg0, row, step] = i32Locals(f, 9);
  const [c, kd, kh, kw, dOff, hOff, wOff, lo, hi, chan] = i32Locals(f, 10);
  const [out, xb, od, oh, ow, left, end, n, idv, ihv, base, a, b, xs, cs, t] = i32Locals(f, 16);
  const stop = f.local(I32);
  const [planeOk, ohA, ohB, aF, bF, xs0, q, rowStep, rowAt] = i32Locals(f, 9);

  // Whole output planes of a 2-D (or 1-D) problem take a fast path: no depth axis to check, and
  // the in-range rows and columns of each kernel tap are known before the walk.
  // One output plane too: end padding on the depth axis (inD 1, outD 3) leaves planes that read
  // nothing, which only the general path's depth check zeroes.
  f.get(inD).i32Const(1).i32Eq().get(kD).i32Const(1).i32Eq().i32And().get(pD).i32Eqz().i32And();
  f.get(outD).i32Const(1).i32Eq().i32And();
  f.set(planeOk);
  f.get(sH).get(inW).i32Mul().i32Const(4).i32Mul().set(rowStep);
  f.get(outH).get(outW).i32Mul().set(outHW);
  f.get(j0).get(positions).i32DivS().set(img0);
  f.get(j0).get(img0).get(positions).i32Mul().i32Sub().set(rem);
  f.get(rem).get(outHW).i32DivS().set(od0);
  f.get(rem).get(od0).get(outHW).i32Mul().i32Sub().set(rem);
  f.get(rem).get(outW).i32DivS().set(oh0);
  f.get(rem).get(oh0).get(outW).i32Mul().i32Sub().set(ow0);
  f.get(x).get(img0).get(imageBytes).i32Mul().i32Add().set(xImg0);
  f.get(sW).i32Const(4).i32Mul().set(step);
  f.get(cols).set(row);

  forRange(f, c, 0, channels, 1, () => {
    f.get(xImg0).get(c).get(channelBytes).i32Mul().i32Add().set(chan);
    forRange(f, kd, 0, kD, 1, () => {
      f.get(kd).get(dD).i32Mul().get(pD).i32Sub().set(dOff);
      forRange(f, kh, 0, kH, 1, () => {
        f.get(kh).get(dH).i32Mul().get(pH).i32Sub().set(hOff);
        forRange(f, kw, 0, kW, 1, () => {
          f.get(kw).get(dW).i32Mul().get(pW).i32Sub().set(wOff);
          // lo = first ow with a tap ≥ 0; hi = one past the last ow with a tap < inW.
          f.i32Const(0);
          f.get(sW).i32Const(1).i32Sub().get(wOff).i32Sub().get(sW).i32DivS();
          f.get(wOff).i32Const(0).i32GeS().select().set(lo);
          f.i32Const(0);
          f.get(inW).i32Const(1).i32Sub().get(wOff).i32Sub().get(sW).i32DivS().i32Const(1);
          f.i32Add();
          f.get(inW).i32Const(1).i32Sub().get(wOff).i32Sub().i32Const(0).i32LtS().select();
          f.set(hi);
          emitPlaneBounds();
          emitRuns();
          addTo(f, row, ld);
        });
      });
    });
  });

  /** In-range output rows [ohA, ohB) and columns [aF, bF) of this tap over a whole plane. */
  function emitPlaneBounds(): void {
    f.i32Const(0);
    f.get(sH).i32Const(1).i32Sub().get(hOff).i32Sub().get(sH).i32DivS();
    f.get(hOff).i32Const(0).i32GeS().select().set(ohA);
    setMin(f, ohA, ohA, outH);
    f.i32Const(0);
    f.get(inH).i32Const(1).i32Sub().get(hOff).i32Sub().get(sH).i32DivS().i32Const(1).i32Add();
    f.get(inH).i32Const(1).i32Sub().get(hOff).i32Sub().i32Const(0).i32LtS().select().set(ohB);
    setMin(f, ohB, ohB, outH);
    setMax(f, ohB, ohB, ohA);
    setMin(f, aF, lo, outW);
    setMin(f, bF, hi, outW);
    setMax(f, bF, bF, aF);
  }

  /**
   * One whole output plane of the current tap at `out` (2-D problems only), output rows
   * planeRowBytes apart. im2col writes each in-range output row as: one zero vector over its
   * start (the padded columns [0, aF), when aF ≤ 4), the copy, one zero vector from bF (when
   * outW − bF ≤ 4); the overshoots (≤ 16 bytes) land on columns written later. Wider padding
   * takes the zero loops; rows with no in-range tap are zeroed.
   */
  function emitPlane(): void {
    // xs0 = tap address of (ohA, aF).
    f.get(ohA).get(sH).i32Mul().get(hOff).i32Add().get(inW).i32Mul().get(wOff).i32Add();
    f.i32Const(4).i32Mul().get(xb).i32Add().get(aF).get(step).i32Mul().i32Add().set(xs0);
    if (mode === "col2im") {
      forStrideKinds(f, sW, (kind) => {
        forRange(f, q, ohA, ohB, 1, () => {
          f.get(q).get(planeRowBytes).i32Mul().get(aF).i32Const(4).i32Mul().i32Add();
          f.get(out).i32Add().set(cs);
          f.get(xs0).set(xs);
          f.get(bF).get(aF).i32Sub().set(t);
          emitMoveKind(f, mode, kind, xs, cs, t, step, stop);
          addTo(f, xs0, rowStep);
        });
      });
      return;
    }
    const zeroRows = (from: Local | number, to: Local) => {
      forRange(f, q, from, to, 1, () => {
        f.get(q).get(planeRowBytes).i32Mul().get(out).i32Add().set(cs);
        f.get(outW).set(t);
        emitZero(f, cs, t, stop);
      });
    };
    zeroRows(0, ohA);
    f.get(aF).i32Const(4).i32LeS().get(outW).get(bF).i32Sub().i32Const(4).i32LeS().i32And().if();
    forStrideKinds(f, sW, (kind) => {
      forRange(f, q, ohA, ohB, 1, () => {
        f.get(q).get(planeRowBytes).i32Mul().get(out).i32Add().tee(rowAt).set(cs);
        f.get(cs).v128ConstF32(0, 0, 0, 0).v128Store(0, 0);
        f.get(aF).i32Const(4).i32Mul().get(cs).i32Add().set(cs);
        f.get(xs0).set(xs);
        f.get(bF).get(aF).i32Sub().set(t);
        emitMoveKind(f, "im2col", kind, xs, cs, t, step, stop);
        f.get(bF).i32Const(4).i32Mul().get(rowAt).i32Add().v128ConstF32(0, 0, 0, 0).v128Store(0, 0);
        addTo(f, xs0, rowStep);
      });
    });
    f.else();
    forRange(f, q, ohA, ohB, 1, () => {
      f.get(q).get(planeRowBytes).i32Mul().get(out).i32Add().set(cs);
      f.get(aF).set(t);
      emitZero(f, cs, t, stop);
      f.get(xs0).set(xs);
      f.get(bF).get(aF).i32Sub().set(t);
      emitMove(f, mode, xs, cs, t, sW, step, stop);
      f.get(outW).get(bF).i32Sub().set(t);
      emitZero(f, cs, t, stop);
      addTo(f, xs0, rowStep);
    });
    f.end();
    zeroRows(ohB, outH);
  }

  function emitRuns(): void {
    f.get(row).set(out);
    f.get(chan).set(xb);
    f.get(od0).set(od);
    f.get(oh0).set(oh);
    f.get(ow0).set(ow);
    f.get(count).set(left);
    whileLoop(f, () => f.get(left).i32Const(0).i32GtS(), () => {
      f.get(planeOk).get(ow).i32Eqz().i32And().get(oh).i32Eqz().i32And();
      f.get(left).get(positions).i32GeS().i32And().if();
      emitPlane();
      f.get(planeImageBytes).get(out).i32Add().set(out);
      f.get(left).get(positions).i32Sub().set(left);
      addTo(f, xb, imageBytes);
      f.else();
      emitRun();
      f.end();
    });
  }

  /** One run along W (part of an output row) of the current tap. */
  function emitRun(): void {
    {
      f.get(ow).get(left).i32Add().set(t);
      setMin(f, end, t, outW);
      f.get(end).get(ow).i32Sub().set(n);
      f.get(od).get(sD).i32Mul().get(dOff).i32Add().set(idv);
      f.get(oh).get(sH).i32Mul().get(hOff).i32Add().set(ihv);
      f.get(idv).get(inD).i32LtU().get(ihv).get(inH).i32LtU().i32And().if();
      // base = address of the tap of ow = 0 on this input row (may lie before the row).
      f.get(idv).get(inH).i32Mul().get(ihv).i32Add().get(inW).i32Mul().get(wOff).i32Add();
      f.i32Const(4).i32Mul().get(xb).i32Add().set(base);
      setMax(f, a, ow, lo);
      setMin(f, a, a, end);
      setMin(f, b, end, hi);
      setMax(f, b, b, a);
      if (mode === "im2col") {
        f.get(out).set(cs);
        f.get(a).get(ow).i32Sub().set(t);
        emitZero(f, cs, t, stop);
      } else {
        f.get(a).get(ow).i32Sub().i32Const(4).i32Mul().get(out).i32Add().set(cs);
      }
      f.get(a).get(step).i32Mul().get(base).i32Add().set(xs);
      f.get(b).get(a).i32Sub().set(t);
      emitMove(f, mode, xs, cs, t, sW, step, stop);
      if (mode === "im2col") {
        f.get(end).get(b).i32Sub().set(t);
        emitZero(f, cs, t, stop);
        f.else();
        f.get(out).set(cs);
        f.get(n).set(t);
        emitZero(f, cs, t, stop);
      }
      f.end();
      f.get(n).i32Const(4).i32Mul().get(out).i32Add().set(out);
      f.get(left).get(n).i32Sub().set(left);
      f.i32Const(0).set(ow);
      addTo(f, oh, 1);
      f.get(oh).get(outH).i32Eq().if();
      f.i32Const(0).set(oh);
      addTo(f, od, 1);
      f.get(od).get(outD).i32Eq().if();
      f.i32Const(0).set(od);
      addTo(f, xb, imageBytes);
      f.end();
      f.end();
    }
  }
}

/** copyRows(src, srcLd, dst, dstLd, rows, bytes) with memory.copy per row. */
function emitCopyRows(f: FunctionBuilder): void {
  const [src, srcLd, dst, dstLd, rows, bytes] = f.params;
  const r = f.local(I32);
  forRange(f, r, 0, rows, 1, () => {
    f.get(dst).get(src).get(bytes).memoryCopy();
    addTo(f, src, srcLd);
    addTo(f, dst, dstLd);
  });
}

/** addBias(dst, ld, rows, count, bias): row r (count floats at dst + r·ld) += bias[r]. */
function emitAddBias(f: FunctionBuilder): void {
  const [dst, ld, rows, count, bias] = f.params;
  const [r, p, e] = i32Locals(f, 3);
  const v = f.local(V128);
  forRange(f, r, 0, rows, 1, () => {
    f.get(bias).get(r).i32Const(4).i32Mul().i32Add().v128Load32Splat(0, 2).set(v);
    f.get(dst).get(r).get(ld).i32Mul().i32Add().set(p);
    f.get(p).get(count).i32Const(4).i32Mul().i32Add().set(e);
    whileLoop(f, () => f.get(p).i32Const(16).i32Add().get(e).i32LeS(), () => {
      f.get(p).get(p).v128Load(0, 0).get(v).f32x4Add().v128Store(0, 0);
      addTo(f, p, 16);
    });
    whileLoop(f, () => f.get(p).get(e).i32LtS(), () => {
      f.get(p).get(p).f32Load(0, 2).get(v).f32x4ExtractLane(0).f32Add().f32Store(0, 2);
      addTo(f, p, 4);
    });
  });
}
