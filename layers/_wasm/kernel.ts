// The GEMM kernel module, emitted with the writer in ./writer.ts. Everything here works on packed
// panels in the one shared memory (BLIS/GotoBLAS layout):
// - A is packed in panels of MR rows: panel ip holds, for p = 0..kc-1, the MR values
//   A(ip·MR + r, p), r = 0..MR-1, contiguously;
// - B is packed in panels of NR columns: panel jp holds, for each p, the NR values B(p, jp·NR + j);
// - partial sums of C between k blocks are held in column panels of NR floats too: panel jp
//   holds, for each row i, the NR values C(i, jp·NR + j), so a tile's rows are contiguous and
//   re-reading them streams; finished tiles may instead be stored as row-major rows.
// The micro-kernel keeps an MR×NR tile of C in MR·NR/4 v128 accumulators, and per step p
// broadcasts one A value per row and multiplies it into NR/4 vectors of B. All addresses and
// leading dimensions passed in are byte offsets; panel sizes are passed in so packing may pad k.

import {
  type FunctionBuilder,
  I32,
  type Local,
  ModuleBuilder,
  V128,
  type ValType,
} from "./writer.ts";

/** Shape of the register block and how the kernel is emitted. */
export interface KernelConfig {
  /** Rows of the register block (A panel height); at least 4. */
  mr: number;
  /** Columns of the register block (B panel width); a multiple of 4. */
  nr: number;
  /** How many k steps the inner loop body is unrolled by; a power of two. */
  unroll: number;
  /** Use f32x4.relaxed_madd (fused where the engine offers it) instead of mul + add. */
  relaxed: boolean;
}

/** Names of the exported kernel functions (see `buildKernelModule`). */
export interface KernelExports {
  /**
   * C block = packed A block · packed B block (+ partial sums): (nPanels, mc, kc, a, aPanelBytes,
   * b, bPanelBytes, cIn, cPanelBytes, cOut, ldOut, outPanelBytes, add) — see `emitBlock`.
   */
  block: (
    nPanels: number,
    mc: number,
    kc: number,
    a: number,
    aPanelBytes: number,
    b: number,
    bPanelBytes: number,
    cIn: number,
    cPanelBytes: number,
    cOut: number,
    ldOut: number,
    outPanelBytes: number,
    add: number,
  ) => void;
  /** (src, ld, kc, nPanels, dst, panelBytes): pack B from row-major rows p (stride ld). */
  packB: (src: number, ld: number, kc: number, nPanels: number, dst: number, pb: number) => void;
  /** (src, ld, kc, nPanels, dst, panelBytes): pack B from Bᵀ, rows j (stride ld) along p. */
  packBT: (src: number, ld: number, kc: number, nPanels: number, dst: number, pb: number) => void;
  /** (src, ld, kc, mPanels, dst, panelBytes): pack A from row-major rows i (stride ld). */
  packA: (src: number, ld: number, kc: number, mPanels: number, dst: number, pb: number) => void;
  /** (src, ld, kc, mPanels, dst, panelBytes): pack A from Aᵀ, rows p (stride ld) along i. */
  packAT: (src: number, ld: number, kc: number, mPanels: number, dst: number, pb: number) => void;
}

/** Emits the kernel module's bytes for `config`, importing a memory of at most `maxPages`. */
export function buildKernelModule(config: KernelConfig, maxPages: number): Uint8Array {
  const module = new ModuleBuilder({ minPages: 1, maxPages });
  const { mr } = config;
  // Tile functions for every row count 1..MR, so edge row panels do no wasted work.
  const tileIndex: number[] = [];
  for (let rows = 1; rows <= mr; rows++) {
    const { builder, index } = module.addFunction(new Array(7).fill(I32), []);
    emitTile(builder, config, rows);
    tileIndex[rows] = index;
  }
  emitBlock(module.addFunction(new Array(13).fill(I32), [], "block").builder, config, tileIndex);
  const packParams: ValType[] = new Array(6).fill(I32);
  emitPanelCopy(module.addFunction(packParams, [], "packB").builder, config.nr);
  emitPackTransposed(module.addFunction(packParams, [], "packBT").builder, config.nr);
  emitPackTransposed(module.addFunction(packParams, [], "packA").builder, mr);
  emitPanelCopy(module.addFunction(packParams, [], "packAT").builder, mr);
  return module.encode();
}

/** `local += constant` */
function addTo(f: FunctionBuilder, local: Local, value: number | Local): void {
  f.get(local);
  if (typeof value === "number") f.i32Const(value);
  else f.get(value);
  f.i32Add().set(local);
}

/**
 * tile(kc, a, b, cIn, cOut, ldOut, add): C[rows × NR] = A panel · B panel (+ the tile at cIn when
 * add ≠ 0), stored at cOut with rows ldOut bytes apart. A panel rows are MR floats apart per k
 * step even when `rows` < MR (the packed layout is the same); the tile at cIn is in panel layout
 * (rows NR floats apart, see `emitBlock`).
 */
function emitTile(f: FunctionBuilder, config: KernelConfig, rows: number): void {
  const { mr, nr, unroll, relaxed } = config;
  const [kc, a, b, cIn, cOut, ldOut, add] = f.params;
  const vectors = nr / 4;
  const acc: Local[][] = [];
  for (let r = 0; r < rows; r++) {
    acc.push([]);
    for (let v = 0; v < vectors; v++) acc[r].push(f.local(V128));
  }
  const bv: Local[] = [];
  for (let v = 0; v < vectors; v++) bv.push(f.local(V128));
  const av = f.local(V128);
  const aEnd = f.local(I32);
  for (const row of acc) for (const x of row) f.v128ConstF32(0, 0, 0, 0).set(x);

  // One k step reading A at byte offset aOff and B at bOff from the current pointers.
  const step = (aOff: number, bOff: number) => {
    for (let v = 0; v < vectors; v++) f.get(b).v128Load(bOff + 16 * v).set(bv[v]);
    for (let r = 0; r < rows; r++) {
      f.get(a).v128Load32Splat(aOff + 4 * r).set(av);
      for (let v = 0; v < vectors; v++) {
        if (relaxed) f.get(av).get(bv[v]).get(acc[r][v]).f32x4RelaxedMadd().set(acc[r][v]);
        else f.get(acc[r][v]).get(av).get(bv[v]).f32x4Mul().f32x4Add().set(acc[r][v]);
      }
    }
  };
  // Main loop over whole groups of `unroll` steps: aEnd = a + ⌊kc/unroll⌋·unroll·MR·4.
  f.get(a).get(kc).i32Const(-unroll).i32And().i32Const(mr * 4).i32Mul().i32Add().set(aEnd);
  f.get(a).get(aEnd).i32LtS().if().loop();
  for (let u = 0; u < unroll; u++) step(u * mr * 4, u * nr * 4);
  addTo(f, a, unroll * mr * 4);
  addTo(f, b, unroll * nr * 4);
  f.get(a).get(aEnd).i32LtS().brIf(0).end().end();
  if (unroll > 1) {
    // Remaining steps one at a time.
    f.get(a).get(kc).i32Const(unroll - 1).i32And().i32Const(mr * 4).i32Mul().i32Add().set(aEnd);
    f.get(a).get(aEnd).i32LtS().if().loop();
    step(0, 0);
    addTo(f, a, mr * 4);
    addTo(f, b, nr * 4);
    f.get(a).get(aEnd).i32LtS().brIf(0).end().end();
  }

  // Write back: optionally add the partial sums held in the C panel, then store the rows.
  f.get(add).if();
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vectors; v++) {
      f.get(acc[r][v]).get(cIn).v128Load(r * nr * 4 + 16 * v).f32x4Add().set(acc[r][v]);
    }
  }
  f.end();
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vectors; v++) f.get(cOut).get(acc[r][v]).v128Store(16 * v);
    if (r + 1 < rows) addTo(f, cOut, ldOut);
  }
}

/**
 * block(nPanels, mc, kc, a, aPanelBytes, b, bPanelBytes, cIn, cPanelBytes, cOut, ldOut,
 * outPanelBytes, add): the macro-kernel. For each B panel (kept in L1 across the inner loop) runs
 * the tiles down the A panels (in L2). Partial sums between k blocks live in column panels of NR
 * floats: panel jp at cIn + jp·cPanelBytes, rows NR floats apart, so the tiles of a panel are
 * contiguous and re-reading them streams instead of striding across long rows. Results go to
 * cOut: the same panels (ldOut = NR·4, outPanelBytes = cPanelBytes) while more k blocks follow,
 * or row-major rows (ldOut = row pitch, outPanelBytes = NR·4) for the last one, which saves a
 * separate pass to unpack C.
 */
function emitBlock(f: FunctionBuilder, config: KernelConfig, tileIndex: number[]): void {
  const { mr, nr } = config;
  const [nPanels, mc, kc, a, aPanelBytes, b, bPanelBytes, cIn, cPanelBytes] = f.params;
  const [cOut, ldOut, outPanelBytes, add] = f.params.slice(9);
  const jp = f.local(I32);
  const rowsLeft = f.local(I32);
  const ai = f.local(I32);
  const ci = f.local(I32);
  const co = f.local(I32);
  const outTileBytes = f.local(I32);
  f.get(ldOut).i32Const(mr).i32Mul().set(outTileBytes);
  f.i32Const(0).set(jp);
  f.block().loop();
  f.get(jp).get(nPanels).i32GeS().brIf(1);
  f.get(a).set(ai);
  f.get(cIn).set(ci);
  f.get(cOut).set(co);
  f.get(mc).set(rowsLeft);
  // Full MR-row tiles.
  f.block().loop();
  f.get(rowsLeft).i32Const(mr).i32LtS().brIf(1);
  f.get(kc).get(ai).get(b).get(ci).get(co).get(ldOut).get(add).call(tileIndex[mr]);
  addTo(f, ai, aPanelBytes);
  addTo(f, ci, mr * nr * 4);
  addTo(f, co, outTileBytes);
  f.get(rowsLeft).i32Const(mr).i32Sub().set(rowsLeft);
  f.br(0).end().end();
  // The edge tile of fewer rows.
  for (let rows = 1; rows < mr; rows++) {
    f.get(rowsLeft).i32Const(rows).i32Eq().if();
    f.get(kc).get(ai).get(b).get(ci).get(co).get(ldOut).get(add).call(tileIndex[rows]);
    f.end();
  }
  addTo(f, b, bPanelBytes);
  addTo(f, cIn, cPanelBytes);
  addTo(f, cOut, outPanelBytes);
  addTo(f, jp, 1);
  f.br(0).end().end();
}

/** Rows moved per sweep across the panels. */
const ROW_BLOCK = 16;

/**
 * (src, ld, rows, panels, dst, panelBytes): panels of `width` columns from row-major rows (row r
 * at src + r·ld): panel q (at dst + q·panelBytes) gets, per row, the `width` floats at column
 * q·width. Packs B (rows = k), Aᵀ, and C partial sums when accumulating. Whole panels move, so
 * each source row must be readable for panels·width floats. Rows go in blocks of ROW_BLOCK so
 * both sides are walked as a few sequential streams rather than one stride per row (a row of
 * thousands of floats is pages long).
 */
function emitPanelCopy(f: FunctionBuilder, width: number): void {
  const [src, ld, rows, panels, dst, panelBytes] = f.params;
  const r0 = f.local(I32);
  const rEnd = f.local(I32);
  const q = f.local(I32);
  const from = f.local(I32);
  const to = f.local(I32);
  const toEnd = f.local(I32);
  f.i32Const(0).set(r0);
  f.block().loop();
  f.get(r0).get(rows).i32GeS().brIf(1);
  f.get(r0).i32Const(ROW_BLOCK).i32Add().set(rEnd);
  f.get(rEnd).get(rows).i32GtS().if().get(rows).set(rEnd).end();
  f.i32Const(0).set(q);
  f.block().loop();
  f.get(q).get(panels).i32GeS().brIf(1);
  // from = src + r0·ld + q·width·4; to = dst + q·panelBytes + r0·width·4.
  f.get(src).get(r0).get(ld).i32Mul().i32Add().get(q).i32Const(width * 4).i32Mul().i32Add();
  f.set(from);
  f.get(dst).get(q).get(panelBytes).i32Mul().i32Add().tee(to);
  f.get(rEnd).i32Const(width * 4).i32Mul().i32Add().set(toEnd);
  f.get(to).get(r0).i32Const(width * 4).i32Mul().i32Add().set(to);
  f.loop();
  for (const w of laneGroups(width)) f.get(to).get(from).v128Load(4 * w, 2).v128Store(4 * w, 2);
  addTo(f, from, ld);
  addTo(f, to, width * 4);
  f.get(to).get(toEnd).i32LtS().brIf(0).end();
  addTo(f, q, 1);
  f.br(0).end().end();
  addTo(f, r0, ROW_BLOCK);
  f.br(0).end().end();
}

/**
 * (src, ld, kc, panels, dst, panelBytes): panels of `width` lanes from a transposed source whose
 * row t (at src + t·ld) runs along p: panel q gets, per p, the floats src[q·width + w][p].
 * Moves 4×4 blocks with shuffles; k is covered in whole groups of 4, so the source rows must be
 * readable up to ⌈kc/4⌉·4 and panelBytes must hold that many steps. Serves Bᵀ and A.
 */
function emitPackTransposed(f: FunctionBuilder, width: number): void {
  const [src, ld, kc, panels, dst, panelBytes] = f.params;
  const q = f.local(I32);
  const p = f.local(I32);
  const row = f.local(I32);
  const out = f.local(I32);
  const x = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  const t = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  f.i32Const(0).set(q);
  f.block().loop();
  f.get(q).get(panels).i32GeS().brIf(1);
  for (const w of laneGroups(width)) {
    f.i32Const(0).set(p);
    f.block().loop();
    f.get(p).get(kc).i32GeS().brIf(1);
    // row = src + (q·width + w)·ld + 4p; load 4 rows × 4 columns.
    f.get(q).i32Const(width).i32Mul().i32Const(w).i32Add().get(ld).i32Mul();
    f.get(src).i32Add().get(p).i32Const(4).i32Mul().i32Add().set(row);
    for (let r = 0; r < 4; r++) {
      f.get(row).v128Load(0, 2).set(x[r]);
      if (r < 3) addTo(f, row, ld);
    }
    // 4×4 transpose: interleave pairs, then take halves.
    f.get(x[0]).get(x[1]).shuffle32(0, 4, 1, 5).set(t[0]);
    f.get(x[2]).get(x[3]).shuffle32(0, 4, 1, 5).set(t[1]);
    f.get(x[0]).get(x[1]).shuffle32(2, 6, 3, 7).set(t[2]);
    f.get(x[2]).get(x[3]).shuffle32(2, 6, 3, 7).set(t[3]);
    // out = dst + q·panelBytes + p·width·4 + w·4
    f.get(dst).get(q).get(panelBytes).i32Mul().i32Add();
    f.get(p).i32Const(width * 4).i32Mul().i32Add().set(out);
    f.get(out).get(t[0]).get(t[1]).shuffle32(0, 1, 4, 5).v128Store(w * 4, 2);
    f.get(out).get(t[0]).get(t[1]).shuffle32(2, 3, 6, 7).v128Store(w * 4 + width * 4, 2);
    f.get(out).get(t[2]).get(t[3]).shuffle32(0, 1, 4, 5).v128Store(w * 4 + width * 8, 2);
    f.get(out).get(t[2]).get(t[3]).shuffle32(2, 3, 6, 7).v128Store(w * 4 + width * 12, 2);
    addTo(f, p, 4);
    f.br(0).end().end();
  }
  addTo(f, q, 1);
  f.br(0).end().end();
}

/**
 * Starting lanes of the 4-lane groups that cover `width` (≥ 4) lanes. When width is not a multiple
 * of 4 the last group overlaps the one before it (6 → 0, 2): the overlapping lanes are written
 * twice with the same values, which keeps every move a whole vector.
 */
function laneGroups(width: number): number[] {
  const groups: number[] = [];
  for (let w = 0; w + 4 <= width; w += 4) groups.push(w);
  if (width % 4 !== 0) groups.push(width - 4);
  return groups;
}
