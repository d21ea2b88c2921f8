// Gemm (`alpha·A'·B' + beta·C`, C broadcast unidirectionally to [M, N]) and MatMul (numpy
// semantics: 1-D operands, batch broadcasting) on the strided GEMM primitive. A transposed
// operand is the same data read with swapped strides.

import { gemmFor, type MatrixView } from "../../layers/_gemm.ts";
import { formatShape } from "../../layers/_errors.ts";
import { allocate, type FloatArray, Tensor } from "../../layers/tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import {
  broadcastMap,
  broadcastShapes,
  broadcastTerms,
  count,
  floatOf,
  reduceTo,
  sameFloat,
  wrap,
} from "./_data.ts";

/** A row-major `[rows, cols]` matrix at `offset`, read as itself or transposed. */
function view(data: FloatArray, offset: number, cols: number, transposed: boolean): MatrixView {
  return transposed
    ? { data, offset, rowStride: 1, colStride: cols }
    : { data, offset, rowStride: cols, colStride: 1 };
}

function scale(data: FloatArray, factor: number): void {
  if (factor !== 1) { for (let i = 0; i < data.length; i++) data[i] *= factor; }
}

/**
 * Gemm-1..13: `Y = alpha·A'·B' + beta·C`, A' = transA ? Aᵀ : A, B' likewise. Before opset 7, C
 * broadcasts only with `broadcast = 1` (then as from opset 7: C has no axis attribute, so its
 * shape is suffix-matched, which is unidirectional broadcasting); without it C must be [M, N].
 */
export const Gemm: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([ctx.opset >= 11 ? 2 : 3, 3], [1, 1]);
    const legacy = ctx.opset < 7;
    ctx.known(["alpha", "beta", "transA", "transB", ...(legacy ? ["broadcast"] : [])]);
    const exactC = legacy && !ctx.flag("broadcast", false);
    const abs = ctx.options.absolute ? Math.abs : (v: number) => v;
    const alpha = abs(ctx.float("alpha", 1)), beta = abs(ctx.float("beta", 1));
    const transA = ctx.flag("transA", false), transB = ctx.flag("transB", false);
    const gemm = gemmFor(ctx.options.impl);
    return (inputs) => {
      const a = floatOf(ctx, inputs[0], "A"), b = floatOf(ctx, inputs[1], "B");
      const c = ctx.has(2) ? floatOf(ctx, inputs[2], "C") : undefined;
      sameFloat(ctx, [a, b, c]);
      if (a.rank !== 2 || b.rank !== 2) {
        ctx.typeError(
          `A and B must be 2-D, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
        );
      }
      const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
      const [k2, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
      if (k !== k2) {
        ctx.typeError(
          `inner dimensions differ: A' is [${m}, ${k}] and B' is [${k2}, ${n}] (A ` +
            `${formatShape(a.shape)}, transA ${+transA}; B ${
              formatShape(b.shape)
            }, transB ${+transB})`,
        );
      }
      const outShape = [m, n];
      const viewA = (t: FloatArray) => view(t, 0, a.shape[1], transA);
      const viewB = (t: FloatArray) => view(t, 0, b.shape[1], transB);
      const y = allocate(m * n, a.dtype);
      gemm(m, n, k, viewA(a.data), viewB(b.data), y, 0, n, false);
      scale(y, alpha);
      if (c !== undefined) {
        // Unidirectional: C must broadcast to [M, N] without growing it.
        const shape = broadcastShapes(ctx, outShape, c.shape);
        if (exactC && (c.rank !== 2 || c.shape[0] !== m || c.shape[1] !== n)) {
          ctx.typeError(
            `C ${formatShape(c.shape)} must be [${m}, ${n}] without broadcast = 1 ` +
              `(Gemm-${ctx.opset < 6 ? 1 : 6})`,
          );
        }
        if (shape.length !== 2 || shape[0] !== m || shape[1] !== n) {
          ctx.typeError(`C ${formatShape(c.shape)} does not broadcast to [${m}, ${n}]`);
        }
        const map = broadcastMap(outShape, c.shape);
        for (let i = 0; i < y.length; i++) y[i] += beta * c.data[map[i]];
      }
      return {
        outputs: [wrap(new Tensor(y, outShape))],
        reduction: [k + (c !== undefined ? 1 : 0)],
        gradReduction: [n, m, c === undefined ? undefined : broadcastTerms(outShape, c.shape)],
        backward: ([g]) => {
          const gd = g!.data;
          const gView = (t: boolean) => view(gd, 0, n, t);
          const da = allocate(a.size, a.dtype), db = allocate(b.size, b.dtype);
          // dA' = g·B'ᵀ; stored transposed when transA: dA = B'·gᵀ.
          if (!transA) {
            gemm(m, k, n, gView(false), view(b.data, 0, b.shape[1], !transB), da, 0, k, false);
          } else gemm(k, m, n, viewB(b.data), gView(true), da, 0, m, false);
          // dB' = A'ᵀ·g; stored transposed when transB: dB = gᵀ·A'.
          if (!transB) {
            gemm(k, n, m, view(a.data, 0, a.shape[1], !transA), gView(false), db, 0, n, false);
          } else gemm(n, k, m, gView(true), viewA(a.data), db, 0, k, false);
          scale(da, alpha);
          scale(db, alpha);
          let dc: Tensor | undefined;
          if (c !== undefined) {
            dc = reduceTo(g!, c.shape);
            if (dc === g) dc = g!.clone();
            scale(dc.data, beta);
          }
          return [new Tensor(da, a.shape), new Tensor(db, b.shape), dc];
        },
      };
    };
  },
};

/** MatMul: numpy `matmul`, batch axes broadcast, 1-D operands promoted and the axis removed. */
export const MatMul: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    ctx.arity([2, 2], [1, 1]);
    ctx.known([]);
    const gemm = gemmFor(ctx.options.impl);
    return (inputs) => {
      const a = floatOf(ctx, inputs[0], "A"), b = floatOf(ctx, inputs[1], "B");
      sameFloat(ctx, [a, b]);
      if (a.rank === 0 || b.rank === 0) ctx.typeError(`MatMul operands must not be 0-d`);
      const sa = a.rank === 1 ? [1, a.shape[0]] : a.shape;
      const sb = b.rank === 1 ? [b.shape[0], 1] : b.shape;
      const m = sa[sa.length - 2], k = sa[sa.length - 1];
      const k2 = sb[sb.length - 2], n = sb[sb.length - 1];
      if (k !== k2) {
        ctx.typeError(
          `inner dimensions differ: A ${formatShape(a.shape)} has ${k} columns, B ` +
            `${formatShape(b.shape)} has ${k2} rows`,
        );
      }
      const batchA = sa.slice(0, -2), batchB = sb.slice(0, -2);
      const batch = broadcastShapes(ctx, batchA, batchB);
      const mapA = broadcastMap(batch, batchA), mapB = broadcastMap(batch, batchB);
      const batches = count(batch);
      const y = allocate(batches * m * n, a.dtype);
      for (let i = 0; i < batches; i++) {
        gemm(
          m,
          n,
          k,
          view(a.data, mapA[i] * m * k, k, false),
          view(b.data, mapB[i] * k * n, n, false),
          y,
          i * m * n,
          n,
          false,
        );
      }
      const outShape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
      const factorA = batches / Math.max(count(batchA), 1);
      const factorB = batches / Math.max(count(batchB), 1);
      return {
        outputs: [wrap(new Tensor(y, outShape))],
        reduction: [k],
        gradReduction: [n * factorA, m * factorB],
        backward: ([g]) => {
          const gd = g!.data;
          const da = allocate(a.size, a.dtype), db = allocate(b.size, b.dtype);
          for (let i = 0; i < batches; i++) {
            const gv = view(gd, i * m * n, n, false);
            // dA[i] += g[i]·B[i]ᵀ, dB[i] += A[i]ᵀ·g[i], summed over broadcast batches.
            gemm(m, k, n, gv, view(b.data, mapB[i] * k * n, n, true), da, mapA[i] * m * k, k, true);
            gemm(k, n, m, view(a.data, mapA[i] * m * k, k, true), gv, db, mapB[i] * k * n, n, true);
          }
          return [new Tensor(da, a.shape), new Tensor(db, b.shape)];
        },
      };
    };
  },
};
