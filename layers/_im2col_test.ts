import { assert, assertEquals } from "@std/assert";
import { type ConvPlan, liftPlan } from "./_conv_plan.ts";
import { windowGeometry, type WindowOptions } from "./_geometry.ts";
import { col2im, im2col } from "./_im2col.ts";
import { Random } from "./random.ts";

function plan(inSize: number[], kernel: number[], options: WindowOptions = {}): ConvPlan {
  return liftPlan(windowGeometry("test", inSize, kernel, options), 1, 1, 1, 1);
}

function columns(p: ConvPlan, channels: number, x: Float64Array, p0 = 0, count?: number) {
  const n = count ?? p.outD * p.outH * p.outW;
  const cols = new Float64Array(channels * p.kD * p.kH * p.kW * n).fill(-1);
  im2col(p, channels, x, 0, p0, n, cols);
  return Array.from(cols);
}

/** The definition, one element at a time: the tap of row (c, kd, kh, kw) at output o, or 0. */
function definition(p: ConvPlan, channels: number, x: Float64Array): number[] {
  const out: number[] = [];
  for (let c = 0; c < channels; c++) {
    for (let kd = 0; kd < p.kD; kd++) {
      for (let kh = 0; kh < p.kH; kh++) {
        for (let kw = 0; kw < p.kW; kw++) {
          for (let od = 0; od < p.outD; od++) {
            for (let oh = 0; oh < p.outH; oh++) {
              for (let ow = 0; ow < p.outW; ow++) {
                const i = [
                  od * p.sD + kd * p.dD - p.pD,
                  oh * p.sH + kh * p.dH - p.pH,
                  ow * p.sW + kw * p.dW - p.pW,
                ];
                const inside = i[0] >= 0 && i[0] < p.inD && i[1] >= 0 && i[1] < p.inH &&
                  i[2] >= 0 && i[2] < p.inW;
                out.push(inside ? x[((c * p.inD + i[0]) * p.inH + i[1]) * p.inW + i[2]] : 0);
              }
            }
          }
        }
      }
    }
  }
  return out;
}

function randomArray(n: number, seed: number): Float64Array {
  const r = new Random(seed);
  return Float64Array.from({ length: n }, () => r.normal());
}

Deno.test("im2col()", async (t) => {
  await t.step("x=1..9 (3×3) k2 s1 p0: rows are the four shifted 2×2 views", () => {
    const x = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    assertEquals(columns(plan([3, 3], [2, 2]), 1, x), [
      ...[1, 2, 4, 5],
      ...[2, 3, 5, 6],
      ...[4, 5, 7, 8],
      ...[5, 6, 8, 9],
    ]);
  });
  await t.step("x=1..9 (3×3) k2 s2 p1: padding taps are 0", () => {
    const x = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    // windows start at (−1,−1), (−1,1), (1,−1), (1,1)
    assertEquals(columns(plan([3, 3], [2, 2], { stride: 2, padding: 1 }), 1, x), [
      ...[0, 0, 0, 5],
      ...[0, 0, 4, 6],
      ...[0, 2, 0, 8],
      ...[1, 3, 7, 9],
    ]);
  });
  await t.step("1d x=1..7 k3 s3 d1 pads [2,0]: 1 channel, tiles of 1 and 2", () => {
    const x = Float64Array.from({ length: 7 }, (_, i) => i + 1);
    const p = plan([7], [3], { stride: 3, padding: [2, 0] }); // out 3, windows at −2, 1, 4
    assertEquals(columns(p, 1, x), [0, 2, 5, 0, 3, 6, 1, 4, 7]);
    assertEquals(columns(p, 1, x, 1, 2), [2, 5, 3, 6, 4, 7]);
  });
  const cases: [string, number[], number[], WindowOptions][] = [
    ["2d k3 s2 p1 on 7×6", [7, 6], [3, 3], { stride: 2, padding: 1 }],
    ["2d k=2×3 s=[3,2] d=[2,1] pads [2,0,0,3]", [8, 7], [2, 3], {
      stride: [3, 2],
      dilation: [2, 1],
      padding: [2, 0, 0, 3],
    }],
    ["3d k=[2,1,3] s=[1,2,1] d=[1,1,2] same", [3, 5, 6], [2, 1, 3], {
      stride: [1, 2, 1],
      dilation: [1, 1, 2],
      padding: "same",
    }],
    ["2d k3 p4 (padding beyond the kernel)", [2, 3], [3, 3], { padding: 4 }],
    ["1d k5 s7 on 4 with pads [1,6]", [4], [5], { stride: 7, padding: [1, 6] }],
  ];
  for (const [name, inSize, kernel, options] of cases) {
    await t.step(`${name}: equals the definition, whole and in every tiling`, () => {
      const p = plan(inSize, kernel, options);
      const channels = 2;
      const x = randomArray(channels * p.inD * p.inH * p.inW, 7);
      const full = definition(p, channels, x);
      assertEquals(columns(p, channels, x), full);
      const positions = p.outD * p.outH * p.outW, rows = full.length / positions;
      for (const tile of [1, 2, 3, 5, positions - 1]) {
        if (tile < 1) continue;
        for (let p0 = 0; p0 < positions; p0 += tile) {
          const count = Math.min(tile, positions - p0);
          const expected: number[] = [];
          for (let r = 0; r < rows; r++) {
            expected.push(...full.slice(r * positions + p0, r * positions + p0 + count));
          }
          assertEquals(columns(p, channels, x, p0, count), expected, `tile ${tile} at ${p0}`);
        }
      }
    });
  }
});

Deno.test("col2im()", async (t) => {
  await t.step("3×3 k2 s1, all-ones columns: each input counts its windows", () => {
    const p = plan([3, 3], [2, 2]);
    const dx = new Float64Array(9);
    col2im(p, 1, new Float64Array(16).fill(1), 0, 4, dx, 0);
    assertEquals(Array.from(dx), [1, 2, 1, 2, 4, 2, 1, 2, 1]);
  });
  await t.step("1d x=7 k3 s3: the unreached x[6] gets nothing; adds into dx", () => {
    const p = plan([7], [3], { stride: 3 });
    const dx = new Float64Array(7).fill(10);
    col2im(p, 1, Float64Array.from([1, 8, 2, 16, 4, 32]), 0, 2, dx, 0);
    assertEquals(Array.from(dx), [11, 12, 14, 18, 26, 42, 10]);
  });
  await t.step("is the adjoint of im2col: <im2col(x), C> = <x, col2im(C)>, tile by tile", () => {
    const p = plan([5, 6, 4], [3, 2, 2], { stride: [2, 1, 3], dilation: [1, 2, 1], padding: 1 });
    const channels = 3, positions = p.outD * p.outH * p.outW;
    const rows = channels * p.kD * p.kH * p.kW;
    const x = randomArray(channels * p.inD * p.inH * p.inW, 1);
    const c = randomArray(rows * positions, 2);
    let lhs = 0;
    const cols = new Float64Array(rows * positions);
    im2col(p, channels, x, 0, 0, positions, cols);
    for (let i = 0; i < cols.length; i++) lhs += cols[i] * c[i];
    const dx = new Float64Array(x.length);
    const tile = 7;
    for (let p0 = 0; p0 < positions; p0 += tile) {
      const count = Math.min(tile, positions - p0);
      const part = new Float64Array(rows * count);
      for (let r = 0; r < rows; r++) {
        part.set(c.subarray(r * positions + p0, r * positions + p0 + count), r * count);
      }
      col2im(p, channels, part, p0, count, dx, 0);
    }
    let rhs = 0;
    for (let i = 0; i < x.length; i++) rhs += x[i] * dx[i];
    assert(Math.abs(lhs - rhs) < 1e-9 * (1 + Math.abs(lhs)), `${lhs} vs ${rhs}`);
  });
});
