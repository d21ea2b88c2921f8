// Implicit-GEMM convolution kernels: the GEMM's 6×8 register tile of ./kernel.ts, but reading
// the column matrix straight from the staged input instead of from im2col's output. The input is
// staged zero-padded and, for a W stride s > 1, split into s column phases per row (padded column
// q goes to phase q mod s, index ⌊q / s⌋), so the 8 output columns of a tile read 8 contiguous
// floats for every tap: tap r = (c, kh, kw) of output (oh, ow) is at
//   x + oh·sH·rowBytes + ow·4 + offset[r],
//   offset[r] = c·planeBytes + kh·dH·rowBytes + ((kw·dW) mod s)·phaseBytes + ⌊kw·dW / s⌋·4,
// a table of K = C·kH·kW byte offsets written by the driver (./implicit_wasm.ts). All addresses
// are bytes in the shared memory; the geometry comes in a descriptor of i32 fields (IMPLICIT).
//
// - forward(desc): y[j][oh][ow] = Σ_r A[j][r]·x(r; oh, ow) for every image of the chunk. A is
//   the weights packed in panels of MR rows (per r, MR floats). Tiles cover 8 output columns of
//   one output row; the last tile of a row stores only its valid columns, so y is compact.
// - backwardInput(desc): dcols = Wᵀ·dY per tile, added straight into the staged (padded, phase-
//   split) input gradient at the same offsets — col2im fused into the tile's write-back. A holds
//   Wᵀ in panels of MR column rows r (in the table's order, see the driver), B is 8 columns of
//   dY read in place (channel j at dyPlaneBytes·j). The rows of one panel never overlap in dX
//   (the driver orders r so that a panel's rows differ in c or kh), so the read-modify-writes do
//   not wait on each other's stores.
// - backwardWeight(desc): dW[j][r] += Σ over the chunk's positions of dY[j][pos]·x(r; pos): the
//   same tile with MR taps broadcast from the input (read in place along each output row) and
//   8 output channels from a packed dYᵀ panel (per position, 8 channels' values), summed over
//   exactly the real positions of the chunk and added to dW at the end.
// - stage(...) / unstage(...): copy compact planes into the padded phase-split layout and back.
//
// Garbage columns of a row's last tile read whatever lies past the row (the driver leaves slack
// after the staging) and are never stored.

import { addTo, forRange, i32Locals, whileLoop } from "./emit.ts";
import { type FunctionBuilder, I32, type Local, ModuleBuilder, V128 } from "./writer.ts";

/** Register block: MR rows × NR columns (2 vectors), as the GEMM kernel. */
export const MR = 6;
export const NR = 8;
/** k steps per unrolled loop body of the tiles. */
const UNROLL = 4;

/** Field order of the i32 descriptor (word index → meaning). */
export const IMPLICIT = [
  "images", // images in the chunk
  "m", // output channels of the group (rows of y / dY)
  "k", // taps: input channels of the group × kH × kW
  "outH",
  "outW",
  "tiles", // ⌈outW / 8⌉
  "xAt", // staged input (forward, weight gradient) or input gradient (backward input)
  "xImageBytes",
  "xRowStep", // sH · row pitch, bytes
  "tabAt", // K byte offsets
  "aAt", // packed panels (forward: W, backward input: Wᵀ, backward weight: dYᵀ)
  "aPanelBytes",
  "yAt", // staged y (forward) or dY (backward passes), compact
  "yImageBytes",
  "yPlaneBytes",
  "yRowBytes",
  "dwAt", // weight-gradient sums, m × k floats
  "groups4", // ⌊outW / 4⌋: groups of 4 positions per output row (weight gradient)
  "tail", // outW mod 4
  // Weight gradient: the tiles τ in [tileFrom, tileTo) of the (channel panel, tap panel) grid,
  // τ = (j0 / 8) · ⌈k / MR⌉ + r0 / MR (all of them: 0 and the product), so threads can share
  // the tiles of one chunk.
  "tileFrom",
  "tileTo",
] as const;

export const IMPLICIT_BYTES = IMPLICIT.length * 4;

/** Exported functions. */
export interface ImplicitExports {
  forward: (desc: number) => void;
  backwardInput: (desc: number) => void;
  backwardWeight: (desc: number) => void;
  /**
   * stage(src, srcPlaneBytes, dst, dstPlaneBytes, rowBytes, phaseBytes, planes, h, w, pH, pW, s):
   * plane p row i of `w` floats at src + p·srcPlaneBytes + i·w·4 goes to padded row pH + i of
   * the destination plane, column pW + c in phase (pW + c) mod s at index ⌊(pW + c) / s⌋.
   */
  stage: (...args: number[]) => void;
  /** unstage(…same arguments…): the reverse copy, padded phase-split → compact. */
  unstage: (...args: number[]) => void;
}

/** Emits the module, importing a memory of at most `maxPages`. */
export function buildImplicitModule(relaxed: boolean, maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  const fwdTile: number[] = [], dxTile: number[] = [];
  for (let rows = 1; rows <= MR; rows++) {
    const fwd = module.addFunction(new Array(7).fill(I32), []);
    emitTile(fwd.builder, rows, relaxed, "forward");
    fwdTile[rows] = fwd.index;
    const dx = module.addFunction(new Array(7).fill(I32), []);
    emitTile(dx.builder, rows, relaxed, "backwardInput");
    dxTile[rows] = dx.index;
  }
  const dwTile: number[] = [];
  for (let rows = 1; rows <= MR; rows++) {
    const tile = module.addFunction([I32, I32, I32], []);
    emitWeightTile(tile.builder, rows, relaxed);
    dwTile[rows] = tile.index;
  }
  emitDriver(module.addFunction([I32], [], "forward").builder, fwdTile, "forward");
  emitDriver(module.addFunction([I32], [], "backwardInput").builder, dxTile, "backwardInput");
  emitWeightDriver(module.addFunction([I32], [], "backwardWeight").builder, dwTile);
  emitStage(module.addFunction(new Array(12).fill(I32), [], "stage").builder, true);
  emitStage(module.addFunction(new Array(12).fill(I32), [], "unstage").builder, false);
  return module.encode();
}

function loadFields(f: FunctionBuilder, desc: Local): Record<(typeof IMPLICIT)[number], Local> {
  const field = {} as Record<(typeof IMPLICIT)[number], Local>;
  IMPLICIT.forEach((name, i) => {
    field[name] = f.local(I32);
    f.get(desc).i32Load(i * 4).set(field[name]);
  });
  return field;
}

function madd(f: FunctionBuilder, relaxed: boolean, acc: Local, a: Local, b: Local): void {
  if (relaxed) f.get(a).get(b).get(acc).f32x4RelaxedMadd().set(acc);
  else f.get(acc).get(a).get(b).f32x4Mul().f32x4Add().set(acc);
}

/**
 * forward: tile(k, a, xb, tab, out, ld, valid) — C[rows × 8] = A panel · X, X(r, col) at
 *   xb + tab[r] + 4·col; stores the first `valid` columns of row i at out + i·ld.
 * backwardInput: tile(m, a, dyb, dyPlane, tab, dxb, valid) — C[rows × 8] = A panel · dY tile,
 *   dY(j, col) at dyb + j·dyPlane + 4·col; adds the first `valid` columns of row i into
 *   dxb + tab[i] + 4·col.
 */
function emitTile(
  f: FunctionBuilder,
  rows: number,
  relaxed: boolean,
  mode: "forward" | "backwardInput",
): void {
  const [k, a, b, p3, , , valid] = f.params;
  // Parameters 3-5: forward tab, out, ld; backwardInput dyPlane, tab, dxb.
  const acc: Local[][] = [];
  for (let r = 0; r < rows; r++) acc.push([f.local(V128), f.local(V128)]);
  const b0 = f.local(V128), b1 = f.local(V128), av = f.local(V128);
  const [end, ptr, tab] = i32Locals(f, 3);
  for (const row of acc) for (const x of row) f.v128ConstF32(0, 0, 0, 0).set(x);
  if (mode === "forward") f.get(p3).set(tab);

  const step = (u: number) => {
    if (mode === "forward") {
      f.get(b).get(tab).i32Load(4 * u).i32Add().set(ptr);
      f.get(ptr).v128Load(0, 0).set(b0);
      f.get(ptr).v128Load(16, 0).set(b1);
    } else {
      f.get(b).v128Load(0, 0).set(b0);
      f.get(b).v128Load(16, 0).set(b1);
      addTo(f, b, p3);
    }
    for (let r = 0; r < rows; r++) {
      f.get(a).v128Load32Splat((u * MR + r) * 4, 2).set(av);
      madd(f, relaxed, acc[r][0], av, b0);
      madd(f, relaxed, acc[r][1], av, b1);
    }
  };
  // Steps in groups of UNROLL: a advances UNROLL·MR floats per group; `end` bounds a.
  f.get(a).get(k).i32Const(-UNROLL).i32And().i32Const(MR * 4).i32Mul().i32Add().set(end);
  whileLoop(f, () => f.get(a).get(end).i32LtS(), () => {
    for (let u = 0; u < UNROLL; u++) step(u);
    addTo(f, a, UNROLL * MR * 4);
    if (mode === "forward") addTo(f, tab, UNROLL * 4);
  });
  f.get(a).get(k).i32Const(UNROLL - 1).i32And().i32Const(MR * 4).i32Mul().i32Add().set(end);
  whileLoop(f, () => f.get(a).get(end).i32LtS(), () => {
    step(0);
    addTo(f, a, MR * 4);
    if (mode === "forward") addTo(f, tab, 4);
  });

  // Write-back. `ptr` walks the destination rows.
  const full = () => f.get(valid).i32Const(NR).i32GeS();
  if (mode === "forward") {
    const [, , , , out, ld] = f.params;
    f.get(out).set(ptr);
    full();
    f.if();
    for (let r = 0; r < rows; r++) {
      f.get(ptr).get(acc[r][0]).v128Store(0, 0);
      f.get(ptr).get(acc[r][1]).v128Store(16, 0);
      if (r + 1 < rows) addTo(f, ptr, ld);
    }
    f.else();
    for (let r = 0; r < rows; r++) {
      for (let lane = 0; lane < NR; lane++) {
        f.get(valid).i32Const(lane).i32GtS().if();
        f.get(ptr).get(acc[r][lane >> 2]).f32x4ExtractLane(lane & 3).f32Store(lane * 4, 2);
        f.end();
      }
      if (r + 1 < rows) addTo(f, ptr, ld);
    }
    f.end();
    return;
  }
  const [, , , , tabDx, dxb] = f.params;
  const rowAddress = (r: number) => f.get(dxb).get(tabDx).i32Load(4 * r).i32Add().set(ptr);
  full();
  f.if();
  for (let r = 0; r < rows; r++) {
    rowAddress(r);
    for (let v = 0; v < 2; v++) {
      f.get(ptr).get(ptr).v128Load(16 * v, 0).get(acc[r][v]).f32x4Add().v128Store(16 * v, 0);
    }
  }
  f.else();
  for (let r = 0; r < rows; r++) {
    rowAddress(r);
    for (let lane = 0; lane < NR; lane++) {
      f.get(valid).i32Const(lane).i32GtS().if();
      f.get(ptr).get(ptr).f32Load(lane * 4, 2).get(acc[r][lane >> 2]).f32x4ExtractLane(lane & 3);
      f.f32Add().f32Store(lane * 4, 2);
      f.end();
    }
  }
  f.end();
}

/**
 * The loop over images, output rows and 8-column tiles; per tile, the tiles down the A panels
 * (all MR rows, then the remainder). forward: panels cover the m output channels, k steps = k;
 * backwardInput: panels cover the k column rows, k steps = m.
 */
function emitDriver(f: FunctionBuilder, tile: number[], mode: "forward" | "backwardInput"): void {
  const [desc] = f.params;
  const d = loadFields(f, desc);
  const [img, oh, t, xr, yr, xb, yb, valid, a, left, out, tab, steps, rows] = i32Locals(f, 14);
  const forward = mode === "forward";
  f.get(forward ? d.m : d.k).set(rows);
  f.get(forward ? d.k : d.m).set(steps);
  const call = (r: number) => {
    if (forward) {
      f.get(steps).get(a).get(xb).get(d.tabAt).get(out).get(d.yPlaneBytes).get(valid);
    } else {
      f.get(steps).get(a).get(yb).get(d.yPlaneBytes).get(tab).get(xb).get(valid);
    }
    f.call(tile[r]);
  };
  forRange(f, img, 0, d.images, 1, () => {
    forRange(f, oh, 0, d.outH, 1, () => {
      f.get(d.xAt).get(img).get(d.xImageBytes).i32Mul().i32Add();
      f.get(oh).get(d.xRowStep).i32Mul().i32Add().set(xr);
      f.get(d.yAt).get(img).get(d.yImageBytes).i32Mul().i32Add();
      f.get(oh).get(d.yRowBytes).i32Mul().i32Add().set(yr);
      forRange(f, t, 0, d.tiles, 1, () => {
        f.get(t).i32Const(NR * 4).i32Mul().tee(xb).get(yr).i32Add().set(yb);
        f.get(xb).get(xr).i32Add().set(xb);
        f.get(d.outW).get(t).i32Const(NR).i32Mul().i32Sub().set(valid);
        f.get(d.aAt).set(a);
        f.get(rows).set(left);
        f.get(yb).set(out);
        f.get(d.tabAt).set(tab);
        whileLoop(f, () => f.get(left).i32Const(MR).i32GeS(), () => {
          call(MR);
          addTo(f, a, d.aPanelBytes);
          if (forward) f.get(out).get(d.yPlaneBytes).i32Const(MR).i32Mul().i32Add().set(out);
          else addTo(f, tab, MR * 4);
          addTo(f, left, -MR);
        });
        for (let r = 1; r < MR; r++) {
          f.get(left).i32Const(r).i32Eq().if();
          call(r);
          f.end();
        }
      });
    });
  });
}

/**
 * block(r0, j0, desc): dW[j0 + j][r0 + i] += Σ over the chunk's positions of x(r0 + i; pos) ·
 * dY[j0 + j][pos] for i < rows and the 8 channels j of panel j0 / 8 that exist (< m). The
 * broadcast operand is the input itself (tap rows read in place along each output row), the
 * vector operand the packed dYᵀ panel: per position, the 8 channels' values (see the driver),
 * which runs on contiguously over every row and image of the chunk.
 */
function emitWeightTile(f: FunctionBuilder, rows: number, relaxed: boolean): void {
  const [r0, j0, desc] = f.params;
  const d = loadFields(f, desc);
  const acc: Local[][] = [];
  for (let r = 0; r < rows; r++) acc.push([f.local(V128), f.local(V128)]);
  const b0 = f.local(V128), b1 = f.local(V128), av = f.local(V128);
  const ptr = i32Locals(f, rows);
  const [img, oh, xi, xr, b, end, at, lane] = i32Locals(f, 8);
  for (const row of acc) for (const x of row) f.v128ConstF32(0, 0, 0, 0).set(x);
  // b = dyT + (j0 / 8) · panelBytes, panelBytes = aPanelBytes (reused field).
  f.get(j0).i32Const(3).i32ShrS().get(d.aPanelBytes).i32Mul().get(d.aAt).i32Add().set(b);

  const step = (u: number) => {
    f.get(b).v128Load(32 * u, 0).set(b0);
    f.get(b).v128Load(32 * u + 16, 0).set(b1);
    for (let r = 0; r < rows; r++) {
      f.get(ptr[r]).v128Load32Splat(4 * u, 2).set(av);
      madd(f, relaxed, acc[r][0], av, b0);
      madd(f, relaxed, acc[r][1], av, b1);
    }
  };
  forRange(f, img, 0, d.images, 1, () => {
    f.get(d.xAt).get(img).get(d.xImageBytes).i32Mul().i32Add().set(xi);
    forRange(f, oh, 0, d.outH, 1, () => {
      f.get(xi).get(oh).get(d.xRowStep).i32Mul().i32Add().set(xr);
      for (let r = 0; r < rows; r++) {
        f.get(d.tabAt).get(r0).i32Const(4).i32Mul().i32Add().i32Load(4 * r);
        f.get(xr).i32Add().set(ptr[r]);
      }
      // end = b + outW·32: this row's positions in the dYᵀ panel.
      f.get(b).get(d.groups4).i32Const(4 * 32).i32Mul().i32Add().set(end);
      whileLoop(f, () => f.get(b).get(end).i32LtS(), () => {
        for (let u = 0; u < 4; u++) step(u);
        for (let r = 0; r < rows; r++) addTo(f, ptr[r], 16);
        addTo(f, b, 4 * 32);
      });
      f.get(b).get(d.tail).i32Const(32).i32Mul().i32Add().set(end);
      whileLoop(f, () => f.get(b).get(end).i32LtS(), () => {
        step(0);
        for (let r = 0; r < rows; r++) addTo(f, ptr[r], 4);
        addTo(f, b, 32);
      });
    });
  });
  // dW[j0 + lane][r0 + r] += acc[r] lane, for the channels that exist.
  for (let l = 0; l < NR; l++) {
    f.get(j0).i32Const(l).i32Add().set(lane);
    f.get(lane).get(d.m).i32LtS().if();
    f.get(lane).get(d.k).i32Mul().get(r0).i32Add().i32Const(4).i32Mul().get(d.dwAt).i32Add();
    f.set(at);
    for (let r = 0; r < rows; r++) {
      f.get(at).get(at).f32Load(4 * r, 2).get(acc[r][l >> 2]).f32x4ExtractLane(l & 3).f32Add();
      f.f32Store(4 * r, 2);
    }
    f.end();
  }
}

/**
 * Runs the weight tiles τ in [tileFrom, tileTo) of the (channel panel, tap panel) grid, in the
 * order of τ: channel panel j0 / 8 = ⌊τ / P⌋ and tap panel r0 / MR = τ mod P with P = ⌈k / MR⌉,
 * the last tap panel of MR rows or fewer.
 */
function emitWeightDriver(f: FunctionBuilder, tile: number[]): void {
  const [desc] = f.params;
  const d = loadFields(f, desc);
  const [tau, panels, jp, j0, r0, left] = i32Locals(f, 6);
  f.get(d.k).i32Const(MR - 1).i32Add().i32Const(MR).i32DivS().set(panels);
  forRange(f, tau, d.tileFrom, d.tileTo, 1, () => {
    f.get(tau).get(panels).i32DivS().set(jp);
    f.get(jp).i32Const(NR).i32Mul().set(j0);
    f.get(tau).get(jp).get(panels).i32Mul().i32Sub().i32Const(MR).i32Mul().set(r0);
    f.get(d.k).get(r0).i32Sub().set(left);
    f.get(left).i32Const(MR).i32GeS().if();
    f.get(r0).get(j0).get(desc).call(tile[MR]);
    f.end();
    for (let r = 1; r < MR; r++) {
      f.get(left).i32Const(r).i32Eq().if();
      f.get(r0).get(j0).get(desc).call(tile[r]);
      f.end();
    }
  });
}

/**
 * stage / unstage between compact planes and the padded phase-split layout (see
 * `ImplicitExports.stage`). Only the input's own cells of the padded layout are written (the
 * padding stays as the driver left it). Stride 1 moves whole vectors; stride 2 splits (or merges)
 * pairs of vectors into the two phases with shuffles. Each ends a row of at least one vector with
 * a vector that overlaps the one before (rewriting the same values) instead of single floats; the
 * few floats left go one at a time. Other strides go float by float. The padded cells of columns
 * 0 and 1 (offA, offB from a row's start) are computed once; rows and pointers advance by adds.
 */
function emitStage(f: FunctionBuilder, stage: boolean): void {
  const [src, srcPlane, dst, dstPlane, rowBytes, phaseBytes, planes, h, w, pH, pW, s] = f.params;
  const [p, i, c, from, row, q, at, offA, offB, sp, dp, end, pa, pb] = i32Locals(f, 14);
  const v0 = f.local(V128), v1 = f.local(V128);
  // Offset of padded column q within a row: (q mod s)·phaseBytes + ⌊q / s⌋·4.
  const cellOffset = (target: Local) => {
    f.get(q).get(s).i32RemS().get(phaseBytes).i32Mul();
    f.get(q).get(s).i32DivS().i32Const(4).i32Mul().i32Add().set(target);
  };
  const move = (compactAt: Local, paddedAt: Local, offset = 0) => {
    if (stage) f.get(paddedAt).get(compactAt).v128Load(offset, 0).v128Store(offset, 0);
    else f.get(compactAt).get(paddedAt).v128Load(offset, 0).v128Store(offset, 0);
  };
  /** Stride 2: compact columns at cp..cp+7 ↔ phase a at pa + e, phase b at pb + e. */
  const pair = (cp: Local, e: Local) => {
    if (stage) {
      f.get(cp).v128Load(0, 0).set(v0);
      f.get(cp).v128Load(16, 0).set(v1);
      f.get(pa).get(e).i32Add().get(v0).get(v1).shuffle32(0, 2, 4, 6).v128Store(0, 0);
      f.get(pb).get(e).i32Add().get(v0).get(v1).shuffle32(1, 3, 5, 7).v128Store(0, 0);
    } else {
      f.get(pa).get(e).i32Add().v128Load(0, 0).set(v0);
      f.get(pb).get(e).i32Add().v128Load(0, 0).set(v1);
      f.get(cp).get(v0).get(v1).shuffle32(0, 4, 1, 5).v128Store(0, 0);
      f.get(cp).get(v0).get(v1).shuffle32(2, 6, 3, 7).v128Store(16, 0);
    }
  };
  f.get(pW).set(q);
  cellOffset(offA);
  f.get(pW).i32Const(1).i32Add().set(q);
  cellOffset(offB);
  forRange(f, p, 0, planes, 1, () => {
    f.get(src).get(p).get(srcPlane).i32Mul().i32Add().set(from);
    f.get(dst).get(p).get(dstPlane).i32Mul().i32Add().get(pH).get(rowBytes).i32Mul().i32Add();
    f.set(row);
    forRange(f, i, 0, h, 1, () => {
      f.i32Const(0).set(c);
      f.get(s).i32Const(1).i32Eq().if();
      {
        // sp walks the compact row, dp the padded one, both 16 bytes a step.
        f.get(from).set(sp);
        f.get(row).get(offA).i32Add().set(dp);
        f.get(w).i32Const(-4).i32And().i32Const(4).i32Mul().get(from).i32Add().set(end);
        whileLoop(f, () => f.get(sp).get(end).i32LtS(), () => {
          move(sp, dp);
          addTo(f, sp, 16);
          addTo(f, dp, 16);
        });
        f.get(w).i32Const(4).i32GeS().if();
        // The last 4 columns (overlapping when w is not a multiple of 4).
        f.get(from).get(w).i32Const(4).i32Mul().i32Add().i32Const(16).i32Sub().set(sp);
        f.get(row).get(offA).i32Add().get(w).i32Const(4).i32Mul().i32Add().i32Const(16).i32Sub();
        f.set(dp);
        move(sp, dp);
        f.get(w).set(c);
        f.end();
      }
      f.end();
      f.get(s).i32Const(2).i32Eq().if();
      {
        f.get(row).get(offA).i32Add().set(pa);
        f.get(row).get(offB).i32Add().set(pb);
        f.get(from).set(sp);
        f.i32Const(0).set(at);
        f.get(w).i32Const(-8).i32And().i32Const(4).i32Mul().get(from).i32Add().set(end);
        whileLoop(f, () => f.get(sp).get(end).i32LtS(), () => {
          pair(sp, at);
          addTo(f, sp, 32);
          addTo(f, at, 16);
        });
        f.get(w).i32Const(-8).i32And().set(c);
        // The last even-aligned 8 columns, overlapping; then at most one column is left.
        f.get(c).get(w).i32Const(1).i32Sub().i32LtS().get(w).i32Const(8).i32GeS().i32And().if();
        f.get(w).i32Const(8).i32Sub().i32Const(-2).i32And().set(c);
        f.get(from).get(c).i32Const(4).i32Mul().i32Add().set(sp);
        f.get(c).i32Const(2).i32Mul().set(at);
        pair(sp, at);
        f.get(w).i32Const(-2).i32And().set(c);
        f.end();
        whileLoop(f, () => f.get(c).get(w).i32LtS(), () => {
          // Column c: phase a (c even) or b, index ⌊c / 2⌋.
          f.get(pb).get(pa).get(c).i32Const(1).i32And().select();
          f.get(c).i32Const(1).i32ShrS().i32Const(4).i32Mul().i32Add().set(dp);
          f.get(from).get(c).i32Const(4).i32Mul().i32Add().set(sp);
          if (stage) f.get(dp).get(sp).f32Load(0, 2).f32Store(0, 2);
          else f.get(sp).get(dp).f32Load(0, 2).f32Store(0, 2);
          addTo(f, c, 1);
        });
      }
      f.end();
      // Any other stride (and rows shorter than a vector): float by float.
      whileLoop(f, () => f.get(c).get(w).i32LtS(), () => {
        f.get(pW).get(c).i32Add().set(q);
        cellOffset(dp);
        f.get(dp).get(row).i32Add().set(dp);
        f.get(from).get(c).i32Const(4).i32Mul().i32Add().set(sp);
        if (stage) f.get(dp).get(sp).f32Load(0, 2).f32Store(0, 2);
        else f.get(sp).get(dp).f32Load(0, 2).f32Store(0, 2);
        addTo(f, c, 1);
      });
      f.get(w).i32Const(4).i32Mul().get(from).i32Add().set(from);
      addTo(f, row, rowBytes);
    });
  });
}
