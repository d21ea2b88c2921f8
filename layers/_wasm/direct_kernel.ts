// Direct (no im2col, no GEMM) convolution kernels for groups with few channels — depthwise and
// small grouped convolutions, where the GEMM's M = Cout/groups and K = Cin/groups·k² are too
// small to fill its register tiles. They read zero-padded, phase-split planes staged by
// ./direct_wasm.ts (the layout of ./implicit_kernel.ts: for W stride s, padded column q sits in
// phase q mod s at index ⌊q / s⌋), so every tap of 4 consecutive outputs is one vector load
// whatever the stride, and no tap needs a bounds check. All addresses and pitches are bytes.
//
// correlate(desc): out[P][r][φ-segment][v] = Σ_e weight_e · in[P's group][row(r) + offset_e + v]
//   for every output plane P, row r and segment φ, with a tap table per (plane, row class
//   (c0 + r) mod classes, segment): a count, then (byte offset, weight) pairs. Geometries with
//   short tables run ./direct_special.ts instead, the same loop with the tables compiled in. The forward pass has one
//   class and one segment (row(r) = r·sH·rowBytes; the table lists the plane's taps); the input
//   gradient writes the padded, phase-split input gradient directly, each row class (r mod sH)
//   and column phase with the exact list of kernel taps that reach it — the adjoint as a
//   gather, so a stride-2 pass does no multiply by a dilation zero. Outputs go in blocks of up
//   to 8 vectors (sized evenly along the row); a segment's last block may write past its end,
//   into cells computed later or slack.
// weights(desc, kwAt): dw[j][c][kh][kw] += Σ_oh Σ_ow dy[j][oh][ow] · x[c](oh·sH + kh·dH, tap kw)
//   over ow < width (whole vectors, then single floats, so nothing outside the real outputs
//   enters a sum); the kw taps of a row are at the byte offsets listed at kwAt.

import { addTo, forRange, i32Locals, whileLoop } from "./emit.ts";
import { F32, type FunctionBuilder, I32, type Local, ModuleBuilder, V128 } from "./writer.ts";

/** Field order of the correlate descriptor. */
export const CORRELATE = [
  "planes", // output planes in the call
  "perGroup", // output planes per group (group g reads input planes g·(input planes per group)…)
  "rows", // output rows per plane
  "classes", // row classes: tables per row r mod classes
  "segments", // column segments per output row, each with its own tables
  "vectors", // output vectors per segment
  "blockVectors", // vectors per block (≤ 8)
  "outAt",
  "outPlaneBytes",
  "outRowBytes",
  "segmentBytes",
  "inAt",
  "inGroupBytes", // input bytes per group
  "inRowStep", // input bytes per (r / classes)
  "c0", // row class of output row 0
  "rowStart", // input bytes from the group base to output row 0's row block
  "tabAt",
  "tabPlaneBytes", // table bytes per output plane
  "tabBytes", // bytes per (class, segment) table
] as const;

/** Field order of the weights descriptor. */
export const WEIGHTS = [
  "channels", // input planes per group C
  "outputs", // output planes, all groups of the call
  "groupOutputs", // output planes per group M
  "xPitch", // bytes between input rows
  "xPlane", // bytes between input planes
  "rows", // output rows
  "width", // real output columns
  "outPitch", // bytes between dy rows
  "outPlane", // bytes between dy planes
  "kH",
  "kW",
  "sH",
  "dH",
] as const;

export const DESCRIPTOR_BYTES = 128;

/** Kernel widths the weights kernel unrolls; wider kernels take one tap at a time. */
export const MAX_UNROLLED_KW = 7;

/** Exported functions. */
export interface DirectExports {
  correlate: (desc: number) => void;
  /** weights_k{kW}(desc, x, dy, dw, kwAt), kW ≤ MAX_UNROLLED_KW; weights_k0 for any kW. */
  [name: string]: (...args: number[]) => void;
}

/** Name of the weights function for a kernel width. */
export function weightsName(kW: number): string {
  return `weights_k${kW <= MAX_UNROLLED_KW ? kW : 0}`;
}

/** Emits the module, importing a memory of at most `maxPages`. */
export function buildDirectModule(relaxed: boolean, maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  emitCorrelate(module.addFunction([I32], [], "correlate").builder, relaxed);
  for (let kW = 0; kW <= MAX_UNROLLED_KW; kW++) {
    const params = new Array(5).fill(I32);
    emitWeights(module.addFunction(params, [], weightsName(kW)).builder, kW, relaxed);
  }
  return module.encode();
}

function loadFields<T extends string>(
  f: FunctionBuilder,
  desc: Local,
  names: readonly T[],
): Record<T, Local> {
  const field = {} as Record<T, Local>;
  names.forEach((name, i) => {
    field[name] = f.local(I32);
    f.get(desc).i32Load(i * 4).set(field[name]);
  });
  return field;
}

function madd(f: FunctionBuilder, relaxed: boolean, acc: Local, a: () => void, b: () => void) {
  if (relaxed) {
    a();
    b();
    f.get(acc).f32x4RelaxedMadd().set(acc);
  } else {
    f.get(acc);
    a();
    b();
    f.f32x4Mul().f32x4Add().set(acc);
  }
}

function emitCorrelate(f: FunctionBuilder, relaxed: boolean): void {
  const [desc] = f.params;
  const d = loadFields(f, desc, CORRELATE);
  const [plane, r, seg, inGroup, tabPlane, outPlane, inRow, tab, out, left, e, end, ptr] =
    i32Locals(f, 13);
  const [cls, rowIn, classTab, rowOut] = i32Locals(f, 4);
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const wv = f.local(V128);

  /** `vectors` output vectors at out, reading from inRow + col; advances out and inRow. */
  const block = (vectors: number) => {
    for (let v = 0; v < vectors; v++) f.v128ConstF32(0, 0, 0, 0).set(acc[v]);
    f.get(tab).i32Const(4).i32Add().set(e);
    f.get(tab).i32Load(0, 2).i32Const(8).i32Mul().get(e).i32Add().set(end);
    whileLoop(f, () => f.get(e).get(end).i32LtS(), () => {
      f.get(inRow).get(e).i32Load(0, 2).i32Add().set(ptr);
      f.get(e).v128Load32Splat(4, 2).set(wv);
      for (let v = 0; v < vectors; v++) {
        madd(f, relaxed, acc[v], () => f.get(wv), () => f.get(ptr).v128Load(16 * v, 0));
      }
      addTo(f, e, 8);
    });
    for (let v = 0; v < vectors; v++) f.get(out).get(acc[v]).v128Store(16 * v, 0);
    addTo(f, out, 16 * vectors);
    addTo(f, inRow, 16 * vectors);
    addTo(f, left, -vectors);
  };
  /** One block of `size` vectors (a local), dispatched to the unrolled variants. */
  const blockOf = (size: Local) => {
    for (let v = 1; v <= 8; v++) {
      f.get(size).i32Const(v).i32Eq().if();
      block(v);
      f.end();
    }
  };

  // Row r has class r mod classes and reads input row block ⌊r / classes⌋: both kept as
  // running counters (cls, rowIn), the row's output start as rowOut.
  forRange(f, plane, 0, d.planes, 1, () => {
    f.get(plane).get(d.perGroup).i32DivS().get(d.inGroupBytes).i32Mul().get(d.inAt).i32Add();
    f.set(inGroup);
    f.get(plane).get(d.tabPlaneBytes).i32Mul().get(d.tabAt).i32Add().set(tabPlane);
    f.get(plane).get(d.outPlaneBytes).i32Mul().get(d.outAt).i32Add().set(outPlane);
    f.get(d.c0).set(cls);
    f.get(inGroup).get(d.rowStart).i32Add().set(rowIn);
    forRange(f, r, 0, d.rows, 1, () => {
      // classTab = tabPlane + cls·segments·tabBytes
      f.get(cls).get(d.segments).i32Mul().get(d.tabBytes).i32Mul().get(tabPlane).i32Add();
      f.set(classTab);
      f.get(r).get(d.outRowBytes).i32Mul().get(outPlane).i32Add().set(rowOut);
      forRange(f, seg, 0, d.segments, 1, () => {
        f.get(seg).get(d.tabBytes).i32Mul().get(classTab).i32Add().set(tab);
        f.get(rowIn).set(inRow);
        f.get(seg).get(d.segmentBytes).i32Mul().get(rowOut).i32Add().set(out);
        f.get(d.vectors).set(left);
        whileLoop(f, () => f.get(left).get(d.blockVectors).i32GeS(), () => blockOf(d.blockVectors));
        f.get(left).i32Const(0).i32GtS().if();
        blockOf(left);
        f.end();
      });
      addTo(f, cls, 1);
      f.get(cls).get(d.classes).i32Eq().if();
      f.i32Const(0).set(cls);
      addTo(f, rowIn, d.inRowStep);
      f.end();
    });
  });
}

/** Kernel rows accumulated together by the weights kernel: up to 12 accumulators. */
function rowsPerPass(kWStatic: number): number {
  return kWStatic > 0 ? Math.max(1, Math.floor(12 / kWStatic)) : 1;
}

function emitWeights(f: FunctionBuilder, kWStatic: number, relaxed: boolean): void {
  const [desc, x, dy, dw, kwAt] = f.params;
  const fields = loadFields(f, desc, WEIGHTS);
  const { channels, outputs, groupOutputs, xPitch, xPlane, rows, width, outPitch, outPlane } =
    fields;
  const { kH, kW, sH, dH } = fields;
  const [j, c, kh, kw, oh, ow, row, tap, d, dwp, t, xc, dHPitch, kwBytes] = i32Locals(f, 14);
  const taps = Math.max(kWStatic, 1), passRows = rowsPerPass(kWStatic);
  const acc: Local[][] = Array.from(
    { length: passRows },
    () => Array.from({ length: taps }, () => f.local(V128)),
  );
  const kwOff = i32Locals(f, kWStatic);
  const dv = f.local(V128);
  const sAcc = f.local(F32);
  f.get(dH).get(xPitch).i32Mul().set(dHPitch);
  f.get(kW).i32Const(4).i32Mul().set(kwBytes);
  for (let i = 0; i < kWStatic; i++) f.get(kwAt).i32Load(4 * i, 2).set(kwOff[i]);

  forRange(f, j, 0, outputs, 1, () => {
    // xc = x + ⌊j / M⌋·C·xPlane: the input planes of j's group.
    f.get(j).get(groupOutputs).i32DivS().get(channels).i32Mul().get(xPlane).i32Mul();
    f.get(x).i32Add().set(xc);
    forRange(f, c, 0, channels, 1, () => {
      f.i32Const(0).set(kh);
      const pass = (r: number) => {
        // dwp = dw + ((j·C + c)·kH + kh)·kW·4: the kW taps of row kh.
        f.get(j).get(channels).i32Mul().get(c).i32Add().get(kH).i32Mul().get(kh).i32Add();
        f.get(kwBytes).i32Mul().get(dw).i32Add().set(dwp);
        if (kWStatic > 0) {
          emitPass(r, kWStatic);
        } else {
          // Wide kernels: one tap at a time, each a dot product over the plane.
          forRange(f, kw, 0, kW, 1, () => {
            emitPass(1, 1, kw);
            addTo(f, dwp, 4);
          });
        }
        addTo(f, kh, r);
      };
      // As many kernel rows per pass as the accumulators allow, then fewer for the rest (a
      // 3-row kernel is one pass of 3 rows, not 3 passes of 1).
      for (let r = passRows; r > 1; r--) {
        whileLoop(f, () => f.get(kh).i32Const(r).i32Add().get(kH).i32LeS(), () => pass(r));
      }
      whileLoop(f, () => f.get(kh).get(kH).i32LtS(), () => pass(1));
    });
  });

  /**
   * Accumulates `nTaps` taps (from kw = kwFrom, or 0) of `nRows` kernel rows from kh into
   * dw[dwp…] (rows kW·4 bytes apart).
   */
  function emitPass(nRows: number, nTaps: number, kwFrom?: Local): void {
    for (let r = 0; r < nRows; r++) {
      for (let i = 0; i < nTaps; i++) f.v128ConstF32(0, 0, 0, 0).set(acc[r][i]);
    }
    forRange(f, oh, 0, rows, 1, () => {
      // row = xc + c·xPlane + (oh·sH + kh·dH)·xPitch; d = dy + j·outPlane + oh·outPitch
      f.get(oh).get(sH).i32Mul().get(kh).get(dH).i32Mul().i32Add().get(xPitch).i32Mul();
      f.get(c).get(xPlane).i32Mul().i32Add().get(xc).i32Add();
      if (kwFrom) f.get(kwAt).get(kwFrom).i32Const(4).i32Mul().i32Add().i32Load(0, 2).i32Add();
      f.set(row);
      f.get(j).get(outPlane).i32Mul().get(dy).i32Add().get(oh).get(outPitch).i32Mul().i32Add();
      f.set(d);
      f.i32Const(0).set(ow);
      const tapsOf = (scalar: boolean) => {
        for (let r = 0; r < nRows; r++) {
          f.get(row);
          if (r > 0) f.get(dHPitch).i32Const(r).i32Mul().i32Add();
          f.set(tap);
          for (let i = 0; i < nTaps; i++) {
            const a = acc[r][i];
            const at = () => {
              f.get(tap);
              if (kwFrom === undefined) f.get(kwOff[i]).i32Add();
            };
            if (scalar) {
              at();
              f.f32Load(0, 2).get(d).f32Load(0, 2).f32Mul().set(sAcc);
              f.get(a).get(a).f32x4ExtractLane(0).get(sAcc).f32Add().f32x4ReplaceLane(0).set(a);
            } else {
              madd(f, relaxed, a, () => f.get(dv), () => {
                at();
                f.v128Load(0, 0);
              });
            }
          }
        }
      };
      whileLoop(f, () => f.get(ow).i32Const(4).i32Add().get(width).i32LeS(), () => {
        f.get(d).v128Load(0, 0).set(dv);
        tapsOf(false);
        addTo(f, d, 16);
        addTo(f, row, 16);
        addTo(f, ow, 4);
      });
      // The last width mod 4 columns one at a time, added into lane 0.
      whileLoop(f, () => f.get(ow).get(width).i32LtS(), () => {
        tapsOf(true);
        addTo(f, d, 4);
        addTo(f, row, 4);
        addTo(f, ow, 1);
      });
    });
    // dw[kh + r][kw + i] += Σ lanes
    for (let r = 0; r < nRows; r++) {
      f.get(dwp);
      if (r > 0) f.get(kwBytes).i32Const(r).i32Mul().i32Add();
      f.set(t);
      for (let i = 0; i < nTaps; i++) {
        const a = acc[r][i];
        f.get(a).get(a).get(a).shuffle32(2, 3, 0, 1).f32x4Add().set(a);
        f.get(a).get(a).get(a).shuffle32(1, 0, 3, 2).f32x4Add().set(a);
        f.get(t).get(t).f32Load(0, 2).get(a).f32x4ExtractLane(0).f32Add().f32Store(0, 2);
        addTo(f, t, 4);
      }
    }
  }
}
