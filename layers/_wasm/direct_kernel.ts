// Direct (no im2col, no GEMM) convolution kernels for groups with few channels — depthwise and
// small grouped convolutions, where the GEMM's M = Cout/groups and K = Cin/groups·k² are too
// small to fill its register tiles. They work on zero-padded planes staged by ./direct_wasm.ts,
// so no tap needs a bounds check. All addresses and pitches are bytes.
//
// correlate(desc, x, w, out): out[j][oh][ow] = Σ_c Σ_kh Σ_kw w[j][c][kh][kw] ·
//   x[c][oh·sH + kh·dH][ow·sW + kw·dW] for j < outputs, oh < rows, ow < pitch (a multiple of 4;
//   columns past the real width are computed from whatever the staging holds there and are
//   never read back). Output vectors go 8 (32 columns) at a time, then 4, then 1. The
//   forward pass, and with flipped weights on a padded dY the stride-1 input gradient.
// weights(desc, x, dy, dw): dw[j][c][kh][kw] += Σ_oh Σ_ow dy[j][oh][ow] · x[c][oh·sH + kh·dH]
//   [ow·sW + kw·dW] over ow < width (the real output width: whole vectors, then single floats,
//   so nothing outside the real outputs enters a sum).
//
// One function per W stride (1 or 2: stride 2 keeps the even lanes of two loads) and per kernel
// width 1..MAX_UNROLLED_KW with the kw taps unrolled, plus one with a kw loop for wider kernels.

import { addTo, forRange, i32Locals, whileLoop } from "./emit.ts";
import { F32, type FunctionBuilder, I32, type Local, ModuleBuilder, V128 } from "./writer.ts";

/** Field order of the i32 descriptor. */
export const DIRECT_DESCRIPTOR = [
  "channels", // input planes C
  "outputs", // output planes, all groups: G·M
  "groupOutputs", // output planes per group M (group g reads input planes g·C .. g·C + C − 1)
  "xPitch", // bytes between input rows
  "xPlane", // bytes between input planes
  "rows", // output rows
  "width", // real output columns (weights pass)
  "outPitch", // bytes between output (dy) rows; the correlate pitch in floats is outPitch / 4
  "outPlane", // bytes between output (dy) planes
  "kH",
  "kW",
  "sH",
  "dH",
  "dW",
] as const;

export const DIRECT_DESCRIPTOR_BYTES = DIRECT_DESCRIPTOR.length * 4;

/** Kernel widths with an unrolled kw loop. */
export const MAX_UNROLLED_KW = 7;

/** Name of the correlate / weights function for a W stride (1, 2) and kernel width. */
export function directName(kind: "correlate" | "weights", sW: number, kW: number): string {
  return `${kind}_s${sW}_k${kW <= MAX_UNROLLED_KW ? kW : 0}`;
}

/** Exported functions: the kernels by `directName`, and `copyPlanes`. */
export interface DirectExports {
  [name: string]: (...args: number[]) => void;
  /**
   * copyPlanes(src, srcPitch, srcPlane, dst, dstPitch, dstPlane, planes, rows, width, dstStep):
   * copies `width` floats of each row of each plane between two pitched layouts (staging into
   * padded planes and back), `dstStep` bytes apart in the destination (4: contiguous; 8: every
   * other column, for the stride-2 input gradient's dilated dY).
   */
  copyPlanes: (...args: number[]) => void;
}

/** Emits the module, importing a memory of at most `maxPages`. */
export function buildDirectModule(relaxed: boolean, maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  for (const sW of [1, 2]) {
    for (let kW = 0; kW <= MAX_UNROLLED_KW; kW++) {
      const name = `_s${sW}_k${kW}`;
      const params = new Array(4).fill(I32);
      emitCorrelate(module.addFunction(params, [], `correlate${name}`).builder, sW, kW, relaxed);
      emitWeights(module.addFunction(params, [], `weights${name}`).builder, sW, kW, relaxed);
    }
  }
  emitCopyPlanes(module.addFunction(new Array(10).fill(I32), [], "copyPlanes").builder);
  return module.encode();
}

function emitCopyPlanes(f: FunctionBuilder): void {
  const [src, srcPitch, srcPlane, dst, dstPitch, dstPlane, planes, rows, width, dstStep] = f.params;
  const [p, r, s, d, e] = i32Locals(f, 5);
  forRange(f, p, 0, planes, 1, () => {
    forRange(f, r, 0, rows, 1, () => {
      f.get(src).get(p).get(srcPlane).i32Mul().i32Add().get(r).get(srcPitch).i32Mul().i32Add();
      f.set(s);
      f.get(dst).get(p).get(dstPlane).i32Mul().i32Add().get(r).get(dstPitch).i32Mul().i32Add();
      f.set(d);
      f.get(d).get(width).get(dstStep).i32Mul().i32Add().set(e);
      f.get(dstStep).i32Const(4).i32Eq().if();
      whileLoop(f, () => f.get(d).i32Const(16).i32Add().get(e).i32LeS(), () => {
        f.get(d).get(s).v128Load(0, 0).v128Store(0, 0);
        addTo(f, s, 16);
        addTo(f, d, 16);
      });
      f.end();
      whileLoop(f, () => f.get(d).get(e).i32LtS(), () => {
        f.get(d).get(s).f32Load(0, 2).f32Store(0, 2);
        addTo(f, s, 4);
        addTo(f, d, dstStep);
      });
    });
  });
}

function loadFields(f: FunctionBuilder, desc: Local): Record<string, Local> {
  const field: Record<string, Local> = {};
  DIRECT_DESCRIPTOR.forEach((name, i) => {
    field[name] = f.local(I32);
    f.get(desc).i32Load(i * 4).set(field[name]);
  });
  return field;
}

/** Pushes the 4 input lanes at `ptr` + offset for the W stride (stride 2: even lanes of 8). */
function loadLanes(f: FunctionBuilder, ptr: Local, offset: number, sW: number): void {
  if (sW === 1) {
    f.get(ptr).v128Load(offset, 0);
  } else {
    f.get(ptr).v128Load(offset, 0).get(ptr).v128Load(offset + 16, 0).shuffle32(0, 2, 4, 6);
  }
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

/** Runs `body(kw, tapPtr)` for each kw: unrolled when kWStatic > 0, else a loop over kW. */
function eachKw(
  f: FunctionBuilder,
  kWStatic: number,
  kW: Local,
  row: Local,
  tap: Local,
  dWBytes: Local,
  kw: Local,
  body: () => void,
): void {
  f.get(row).set(tap);
  if (kWStatic > 0) {
    for (let i = 0; i < kWStatic; i++) {
      body();
      if (i + 1 < kWStatic) addTo(f, tap, dWBytes);
    }
    return;
  }
  forRange(f, kw, 0, kW, 1, () => {
    body();
    addTo(f, tap, dWBytes);
  });
}

function emitCorrelate(f: FunctionBuilder, sW: number, kWStatic: number, relaxed: boolean): void {
  const [desc, x, w, out] = f.params;
  const fields = loadFields(f, desc);
  const { channels, outputs, groupOutputs, xPitch, xPlane, rows, outPitch, outPlane } = fields;
  const { kH, kW, sH, dH, dW } = fields;
  const [j, oh, ow, c, kh, kw, row, tap, wp, wj, o, dWBytes, pitch, rowC, xg, dHPitch] = i32Locals(
    f,
    16,
  );
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const wv = f.local(V128);
  f.get(dW).i32Const(4).i32Mul().set(dWBytes);
  f.get(dH).get(xPitch).i32Mul().set(dHPitch);
  f.get(outPitch).i32Const(2).i32ShrS().set(pitch);

  /** `vectors` output vectors from column ow of row oh, output plane j. */
  const block = (vectors: number) => {
    for (let v = 0; v < vectors; v++) f.v128ConstF32(0, 0, 0, 0).set(acc[v]);
    f.get(wj).set(wp);
    // rowC = xg + oh·sH·xPitch + ow·4·sW: the first tap of the block in input plane 0.
    f.get(oh).get(sH).i32Mul().get(xPitch).i32Mul().get(xg).i32Add();
    f.get(ow).i32Const(4 * sW).i32Mul().i32Add().set(rowC);
    forRange(f, c, 0, channels, 1, () => {
      f.get(rowC).set(row);
      forRange(f, kh, 0, kH, 1, () => {
        eachKw(f, kWStatic, kW, row, tap, dWBytes, kw, () => {
          f.get(wp).v128Load32Splat(0, 2).set(wv);
          addTo(f, wp, 4);
          for (let v = 0; v < vectors; v++) {
            madd(f, relaxed, acc[v], () => f.get(wv), () => loadLanes(f, tap, 16 * sW * v, sW));
          }
        });
        addTo(f, row, dHPitch);
      });
      addTo(f, rowC, xPlane);
    });
    for (let v = 0; v < vectors; v++) f.get(o).get(acc[v]).v128Store(16 * v, 0);
    addTo(f, o, 16 * vectors);
    addTo(f, ow, 4 * vectors);
  };

  forRange(f, j, 0, outputs, 1, () => {
    // wj = w + j·C·kH·kW·4: this output's weights.
    f.get(j).get(channels).i32Mul().get(kH).i32Mul().get(kW).i32Mul().i32Const(4).i32Mul();
    f.get(w).i32Add().set(wj);
    // xg = x + ⌊j / M⌋·C·xPlane: the input planes of j's group.
    f.get(j).get(groupOutputs).i32DivS().get(channels).i32Mul().get(xPlane).i32Mul();
    f.get(x).i32Add().set(xg);
    forRange(f, oh, 0, rows, 1, () => {
      // o = out + j·outPlane + oh·outPitch
      f.get(j).get(outPlane).i32Mul().get(out).i32Add().get(oh).get(outPitch).i32Mul().i32Add();
      f.set(o);
      f.i32Const(0).set(ow);
      for (const vectors of [8, 4, 1]) {
        whileLoop(f, () => f.get(ow).i32Const(4 * vectors).i32Add().get(pitch).i32LeS(), () => {
          block(vectors);
        });
      }
    });
  });
}

/** Kernel rows accumulated together by the weights kernel: up to 12 accumulators. */
function rowsPerPass(kWStatic: number): number {
  return kWStatic > 0 ? Math.max(1, Math.floor(12 / kWStatic)) : 1;
}

function emitWeights(f: FunctionBuilder, sW: number, kWStatic: number, relaxed: boolean): void {
  const [desc, x, dy, dw] = f.params;
  const fields = loadFields(f, desc);
  const { channels, outputs, groupOutputs, xPitch, xPlane, rows, width, outPitch, outPlane } =
    fields;
  const { kH, kW, sH, dH, dW } = fields;
  const [j, c, kh, kw, oh, ow, row, tap, d, dwp, dWBytes, t, xc, dHPitch, kwBytes] = i32Locals(
    f,
    15,
  );
  const taps = Math.max(kWStatic, 1), passRows = rowsPerPass(kWStatic);
  const acc: Local[][] = Array.from(
    { length: passRows },
    () => Array.from({ length: taps }, () => f.local(V128)),
  );
  const dv = f.local(V128);
  const sAcc = f.local(F32);
  f.get(dW).i32Const(4).i32Mul().set(dWBytes);
  f.get(dH).get(xPitch).i32Mul().set(dHPitch);
  f.get(kW).i32Const(4).i32Mul().set(kwBytes);

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
      if (passRows > 1) {
        whileLoop(f, () => f.get(kh).i32Const(passRows).i32Add().get(kH).i32LeS(), () => {
          pass(passRows);
        });
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
      // row = xc + c·xPlane + (oh·sH + kh·dH)·xPitch (+ kwFrom·dW·4); d = dy + j·outPlane + oh·outPitch
      f.get(oh).get(sH).i32Mul().get(kh).get(dH).i32Mul().i32Add().get(xPitch).i32Mul();
      f.get(c).get(xPlane).i32Mul().i32Add().get(xc).i32Add();
      if (kwFrom) f.get(kwFrom).get(dWBytes).i32Mul().i32Add();
      f.set(row);
      f.get(j).get(outPlane).i32Mul().get(dy).i32Add().get(oh).get(outPitch).i32Mul().i32Add();
      f.set(d);
      f.i32Const(0).set(ow);
      const taps = (scalar: boolean) => {
        for (let r = 0; r < nRows; r++) {
          f.get(row);
          if (r > 0) f.get(dHPitch).i32Const(r).i32Mul().i32Add();
          f.set(tap);
          for (let i = 0; i < nTaps; i++) {
            const a = acc[r][i];
            if (scalar) {
              f.get(tap).f32Load(0, 2).get(d).f32Load(0, 2).f32Mul().set(sAcc);
              f.get(a).get(a).f32x4ExtractLane(0).get(sAcc).f32Add().f32x4ReplaceLane(0).set(a);
            } else {
              madd(f, relaxed, a, () => f.get(dv), () => loadLanes(f, tap, 0, sW));
            }
            if (i + 1 < nTaps) addTo(f, tap, dWBytes);
          }
        }
      };
      whileLoop(f, () => f.get(ow).i32Const(4).i32Add().get(width).i32LeS(), () => {
        f.get(d).v128Load(0, 0).set(dv);
        taps(false);
        addTo(f, d, 16);
        addTo(f, row, 16 * sW);
        addTo(f, ow, 4);
      });
      // The last width mod 4 columns one at a time, added into lane 0.
      whileLoop(f, () => f.get(ow).get(width).i32LtS(), () => {
        taps(true);
        addTo(f, d, 4);
        addTo(f, row, 4 * sW);
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
