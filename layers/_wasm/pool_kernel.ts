// The max-pooling kernel module: 1-D/2-D max pooling (the depth axis trivial) over staged planes,
// with or without argmax indices. Semantics are exactly those of the reference loops in
// ../_pool_reference.ts: the taps of a window are visited in row-major order over the in-range
// ones only (padding is −Infinity, so it never wins), the first tap starts the maximum, and a tap
// replaces it when it is greater or is NaN — so the first maximum wins ties (−0 before +0 too) and
// the last NaN wins a window with NaN. An output whose window holds no input is −Infinity with
// index −1. f32x4.max is not used: it would pick +0 over an earlier −0.
//
// Four adjacent outputs of a row are computed together when all their taps are in range along W
// and the W stride is 1 or 2 (stride 2 keeps the even lanes of two loads); the rest go one at a
// time. The common 2×2 stride-2 window has its four taps unrolled.
//
// maxPool(desc, x, out, idx, planes) / maxPoolIndices(...): x holds `planes` planes of inH·inW
// floats, out and idx receive outH·outW floats / i32 per plane (idx = offset within the plane,
// h·inW + w). Addresses are bytes; the descriptor is i32 fields, see `POOL_DESCRIPTOR`.

import { addTo, forRange, i32Locals, setMax, setMin, whileLoop } from "./emit.ts";
import { F32, type FunctionBuilder, I32, type Local, ModuleBuilder, V128 } from "./writer.ts";

/** Field order of the i32 descriptor. */
export const POOL_DESCRIPTOR = [
  "inH",
  "inW",
  "outH",
  "outW",
  "kH",
  "kW",
  "sH",
  "sW",
  "dH",
  "dW",
  "pH",
  "pW",
  "owA", // first ow whose window lies inside the input along W
  "owB", // one past the last such ow
  "vector", // 0: one output at a time; 1 or 2: the W stride of the 4-output path
] as const;

/** Bytes the descriptor occupies. */
export const POOL_DESCRIPTOR_BYTES = POOL_DESCRIPTOR.length * 4;

/** Exported functions of the pooling module. */
export interface PoolKernelExports {
  maxPool: (desc: number, x: number, out: number, idx: number, planes: number) => void;
  maxPoolIndices: (desc: number, x: number, out: number, idx: number, planes: number) => void;
}

/** Emits the module, importing a memory of at most `maxPages`. */
export function buildPoolModule(maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  emitMaxPool(module.addFunction(new Array(5).fill(I32), [], "maxPool").builder, false);
  emitMaxPool(module.addFunction(new Array(5).fill(I32), [], "maxPoolIndices").builder, true);
  return module.encode();
}

function emitMaxPool(f: FunctionBuilder, indices: boolean): void {
  const [desc, x, out, idx, planes] = f.params;
  const field: Record<string, Local> = {};
  POOL_DESCRIPTOR.forEach((name, i) => {
    field[name] = f.local(I32);
    f.get(desc).i32Load(i * 4).set(field[name]);
  });
  const { inH, inW, outH, outW, kH, kW, sH, sW, dH, dW, pH, pW, owA, owB, vector } = field;
  const [plane, xp, oh, ow, h0, khA, khB, w0, kwA, kwB, kh, kw, o, t, at, rowAt] = i32Locals(f, 16);
  const [ihRow, fast22, p0, p1, rowBytes] = i32Locals(f, 5);
  const best = f.local(V128), v = f.local(V128), mask = f.local(V128);
  const bestI = f.local(V128), cand = f.local(V128), lanes = f.local(V128);
  const [a0, a1, b0, b1] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const [iBase, iStep, check] = [f.local(V128), f.local(V128), f.local(V128)];
  const [off01, off10, off11] = [f.local(V128), f.local(V128), f.local(V128)];
  const [owStart, oStart] = i32Locals(f, 2);
  const sBest = f.local(F32), sAt = f.local(I32);

  // Lane offsets of the 4 outputs in input columns: (0, s, 2s, 3s).
  f.v128ConstI32(0, 1, 2, 3).get(sW).i32x4Splat().i32x4Mul().set(lanes);
  f.get(kH).i32Const(2).i32Eq().get(kW).i32Const(2).i32Eq().i32And();
  f.get(sW).i32Const(2).i32Eq().i32And().get(dW).i32Const(1).i32Eq().i32And();
  f.get(dH).i32Const(1).i32Eq().i32And().set(fast22);
  f.get(inW).i32Const(4).i32Mul().set(rowBytes);
  f.i32Const(8).i32x4Splat().set(iStep);
  f.i32Const(1).i32x4Splat().set(off01);
  f.get(inW).i32x4Splat().set(off10);
  f.get(inW).i32Const(1).i32Add().i32x4Splat().set(off11);
  f.get(out).set(o);
  f.get(x).set(xp);

  /** Address of `o`'s index slot. */
  const idxSlot = () => f.get(o).get(out).i32Sub().get(idx).i32Add();

  /** Loads the 4-lane tap vector of input column w0 + kwOff on input row ihRow into v. */
  const loadTap = (kwOff: Local | number) => {
    f.get(ihRow).get(inW).i32Mul().get(w0).i32Add();
    if (typeof kwOff === "number") f.i32Const(kwOff);
    else f.get(kwOff);
    f.i32Add().set(at);
    f.get(xp).get(at).i32Const(4).i32Mul().i32Add().set(t);
    f.get(vector).i32Const(1).i32Eq().if();
    f.get(t).v128Load(0, 0).set(v);
    f.else();
    f.get(t).v128Load(0, 0).get(t).v128Load(16, 0).shuffle32(0, 2, 4, 6).set(v);
    f.end();
  };
  /** best/bestI take the lanes of v (and its indices) that are greater or NaN. */
  const update = () => {
    f.get(v).get(best).f32x4Gt().get(v).get(v).f32x4Ne().v128Or().set(mask);
    f.get(v).get(best).get(mask).v128Bitselect().set(best);
    if (indices) {
      f.get(at).i32x4Splat().get(lanes).i32x4Add().set(cand);
      f.get(cand).get(bestI).get(mask).v128Bitselect().set(bestI);
    }
  };
  const start = () => {
    f.get(v).set(best);
    if (indices) f.get(at).i32x4Splat().get(lanes).i32x4Add().set(bestI);
  };
  const store = () => {
    f.get(o).get(best).v128Store(0, 0);
    if (indices) idxSlot().get(bestI).v128Store(0, 0);
  };

  forRange(f, plane, 0, planes, 1, () => {
    forRange(f, oh, 0, outH, 1, () => {
      // In-range rows of the window: kh in [khA, khB).
      f.get(oh).get(sH).i32Mul().get(pH).i32Sub().set(h0);
      f.i32Const(0);
      f.get(dH).i32Const(1).i32Sub().get(h0).i32Sub().get(dH).i32DivS();
      f.get(h0).i32Const(0).i32GeS().select().set(khA);
      f.i32Const(0);
      f.get(inH).i32Const(1).i32Sub().get(h0).i32Sub().get(dH).i32DivS().i32Const(1).i32Add();
      f.get(inH).i32Const(1).i32Sub().get(h0).i32Sub().i32Const(0).i32LtS().select().set(khB);
      setMin(f, khB, khB, kH);
      f.i32Const(0).set(ow);
      f.get(vector).i32Const(0).i32Ne().get(khA).get(khB).i32LtS().i32And().if();
      {
        whileLoop(f, () => f.get(ow).get(owA).i32LtS(), emitScalar);
        f.get(fast22).get(khA).i32Eqz().i32And().get(khB).i32Const(2).i32Eq().i32And().if();
        emitLoop22();
        f.else();
        whileLoop(f, () => f.get(ow).i32Const(4).i32Add().get(owB).i32LeS(), () => {
          emitGroup();
          addTo(f, o, 16);
          addTo(f, ow, 4);
        });
        f.end();
      }
      f.end();
      whileLoop(f, () => f.get(ow).get(outW).i32LtS(), emitScalar);
    });
    f.get(inH).get(inW).i32Mul().i32Const(4).i32Mul().get(xp).i32Add().set(xp);
  });

  /**
   * 2×2 windows of stride 2 on full rows: per group of 4 outputs two loads per input row,
   * deinterleaved into the kw = 0 and kw = 1 taps and combined with pmax, which keeps the earlier
   * value on ties (`a < b ? b : a`) as the first-maximum rule wants, but never lets a NaN in. So
   * the inputs are also summed into a row check: a row whose check is NaN (it holds a NaN, or
   * ∞ − ∞ arose) is redone with the exact group code. Two groups per iteration.
   */
  function emitLoop22(): void {
    f.get(ow).set(owStart);
    f.get(o).set(oStart);
    f.get(h0).get(inW).i32Mul().get(ow).i32Const(2).i32Mul().get(pW).i32Sub().i32Add();
    f.set(at);
    f.get(xp).get(at).i32Const(4).i32Mul().i32Add().set(p0);
    f.get(p0).get(rowBytes).i32Add().set(p1);
    f.v128ConstF32(0, 0, 0, 0).set(check);
    if (indices) f.get(at).i32x4Splat().get(lanes).i32x4Add().set(iBase);
    const group = (off: number) => {
      f.get(p0).v128Load(off, 0).set(a0);
      f.get(p0).v128Load(off + 16, 0).set(a1);
      f.get(p1).v128Load(off, 0).set(b0);
      f.get(p1).v128Load(off + 16, 0).set(b1);
      f.get(check).get(a0).get(a1).f32x4Add().get(b0).get(b1).f32x4Add().f32x4Add().f32x4Add();
      f.set(check);
      if (indices) {
        // tap (0,0) starts; then (0,1), (1,0), (1,1) at index offsets 1, inW, inW + 1.
        f.get(a0).get(a1).shuffle32(0, 2, 4, 6).set(best);
        f.get(iBase).set(bestI);
        const tap = (vec: () => void, offset: Local) => {
          vec();
          f.set(v);
          f.get(v).get(best).f32x4Gt().set(mask);
          f.get(best).get(v).f32x4Pmax().set(best);
          f.get(iBase).get(offset).i32x4Add().get(bestI).get(mask).v128Bitselect().set(bestI);
        };
        tap(() => f.get(a0).get(a1).shuffle32(1, 3, 5, 7), off01);
        tap(() => f.get(b0).get(b1).shuffle32(0, 2, 4, 6), off10);
        tap(() => f.get(b0).get(b1).shuffle32(1, 3, 5, 7), off11);
        f.get(iBase).get(iStep).i32x4Add().set(iBase);
      } else {
        f.get(a0).get(a1).shuffle32(0, 2, 4, 6);
        f.get(a0).get(a1).shuffle32(1, 3, 5, 7).f32x4Pmax();
        f.get(b0).get(b1).shuffle32(0, 2, 4, 6).f32x4Pmax();
        f.get(b0).get(b1).shuffle32(1, 3, 5, 7).f32x4Pmax().set(best);
      }
      f.get(o).get(best).v128Store(off / 2, 0);
      if (indices) idxSlot().get(bestI).v128Store(off / 2, 0);
    };
    whileLoop(f, () => f.get(ow).i32Const(8).i32Add().get(owB).i32LeS(), () => {
      group(0);
      group(32);
      addTo(f, p0, 64);
      addTo(f, p1, 64);
      addTo(f, o, 32);
      addTo(f, ow, 8);
    });
    f.get(ow).i32Const(4).i32Add().get(owB).i32LeS().if();
    group(0);
    addTo(f, o, 16);
    addTo(f, ow, 4);
    f.end();
    f.get(check).get(check).f32x4Ne().v128AnyTrue().if();
    f.get(owStart).set(ow);
    f.get(oStart).set(o);
    whileLoop(f, () => f.get(ow).i32Const(4).i32Add().get(owB).i32LeS(), () => {
      emitGroup();
      addTo(f, o, 16);
      addTo(f, ow, 4);
    });
    f.end();
  }

  /** Four outputs from ow, any window, taps in range along W, rows [khA, khB) nonempty. */
  function emitGroup(): void {
    f.get(ow).get(sW).i32Mul().get(pW).i32Sub().set(w0);
    f.get(h0).get(khA).get(dH).i32Mul().i32Add().set(ihRow);
    loadTap(0);
    start();
    f.get(khA).set(kh);
    whileLoop(f, () => f.get(kh).get(khB).i32LtS(), () => {
      f.i32Const(0).set(kw);
      // The first tap was taken: on the first row start at kw = 1.
      f.get(kh).get(khA).i32Eq().if().i32Const(1).set(kw).end();
      whileLoop(f, () => f.get(kw).get(kW).i32LtS(), () => {
        f.get(kw).get(dW).i32Mul().set(t);
        loadTap(t);
        update();
        addTo(f, kw, 1);
      });
      addTo(f, kh, 1);
      addTo(f, ihRow, dH);
    });
    store();
  }

  /** One output at ow over its in-range taps (any stride, dilation, padding); advances o, ow. */
  function emitScalar(): void {
    f.get(ow).get(sW).i32Mul().get(pW).i32Sub().set(w0);
    f.i32Const(0);
    f.get(dW).i32Const(1).i32Sub().get(w0).i32Sub().get(dW).i32DivS();
    f.get(w0).i32Const(0).i32GeS().select().set(kwA);
    f.i32Const(0);
    f.get(inW).i32Const(1).i32Sub().get(w0).i32Sub().get(dW).i32DivS().i32Const(1).i32Add();
    f.get(inW).i32Const(1).i32Sub().get(w0).i32Sub().i32Const(0).i32LtS().select().set(kwB);
    setMin(f, kwB, kwB, kW);
    setMax(f, kwB, kwB, kwA);
    f.get(khA).get(khB).i32GeS().get(kwA).get(kwB).i32GeS().i32Or().if();
    f.get(o).f32Const(-Infinity).f32Store(0, 2);
    if (indices) idxSlot().i32Const(-1).i32Store(0, 2);
    f.else();
    f.i32Const(-1).set(sAt);
    forRange(f, kh, khA, khB, 1, () => {
      f.get(h0).get(kh).get(dH).i32Mul().i32Add().get(inW).i32Mul().get(w0).i32Add().set(rowAt);
      forRange(f, kw, kwA, kwB, 1, () => {
        f.get(rowAt).get(kw).get(dW).i32Mul().i32Add().set(at);
        f.get(xp).get(at).i32Const(4).i32Mul().i32Add().set(t);
        // take = first tap, or value > best, or value is NaN
        f.get(sAt).i32Const(0).i32LtS();
        f.get(t).f32Load(0, 2).get(sBest).f32Gt().i32Or();
        f.get(t).f32Load(0, 2).get(t).f32Load(0, 2).f32Ne().i32Or().if();
        f.get(t).f32Load(0, 2).set(sBest);
        f.get(at).set(sAt);
        f.end();
      });
    });
    f.get(o).get(sBest).f32Store(0, 2);
    if (indices) idxSlot().get(sAt).i32Store(0, 2);
    f.end();
    addTo(f, o, 4);
    addTo(f, ow, 1);
  }
}
