import { assert, assertAlmostEquals, assertEquals, assertStringIncludes } from "@std/assert";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { FLOAT32_UNIT_ROUNDOFF, pooledNormwise, TRUTH_FACTOR, TRUTH_FLOOR } from "./tolerance.ts";
import { compareWithTruth, float32ErrorOf } from "./truth.ts";

const u = FLOAT32_UNIT_ROUNDOFF;
const f64 = (v: number[]) => new OnnxTensor(Float64Array.from(v), [v.length]);
const f32 = (v: number[]) => new OnnxTensor(Float32Array.from(v), [v.length]);

// A truth of 64 values of scale 1, PyTorch's float32 result off by 1e-5 at element 7 only.
const truthValues = Array.from({ length: 64 }, (_, i) => Math.sin(i + 1));
const truth = f64(truthValues);
const torchValues = truthValues.map((v, i) => (i === 7 ? v + 1e-5 : v));
const torch = f32(torchValues);
const record = float32ErrorOf(torch.data as Float32Array, truth.data as Float64Array);

Deno.test("float32ErrorOf()", async (t) => {
  await t.step("max abs, normwise and scale by hand", () => {
    const r = float32ErrorOf(new Float32Array([1, 2, 0]), new Float64Array([1, 2.5, 0]));
    assertEquals(r.maxAbs, 0.5);
    assertAlmostEquals(r.normwise, 0.5 / Math.sqrt(1 + 6.25), 1e-15);
    assertEquals([r.scale, r.nonfinite], [2.5, 0]);
  });
  await t.step("non-finite truth elements must match exactly", () => {
    const same = float32ErrorOf(
      new Float32Array([NaN, Infinity]),
      new Float64Array([NaN, Infinity]),
    );
    assertEquals([same.maxAbs, same.nonfinite], [0, 2]);
    const differs = float32ErrorOf(
      new Float32Array([1, Infinity]),
      new Float64Array([NaN, Infinity]),
    );
    assertEquals(differs.maxAbs, Infinity);
  });
});

Deno.test("compareWithTruth()", async (t) => {
  await t.step("PyTorch's own result is exactly as accurate as PyTorch: ratio 1", () => {
    const r = compareWithTruth(torch, torch, truth, record);
    assert(r.ok, r.message);
    assertAlmostEquals(r.accuracy, 1, 1e-6);
  });

  await t.step("elementwise: K·E∞ passes, just above fails naming the element", () => {
    // PyTorch's error 1e-5 is above the floor F·u·1 ≈ 2.4e-7: the yardstick is 1e-5.
    const at = (delta: number) => f32(truthValues.map((v, i) => (i === 20 ? v + delta : v)));
    const pass = compareWithTruth(at(0.95 * TRUTH_FACTOR * 1e-5), torch, truth, record);
    assert(pass.ok, pass.message);
    const fail = compareWithTruth(at(1.05 * TRUTH_FACTOR * 1e-5), torch, truth, record);
    assert(!fail.ok);
    assertStringIncludes(fail.message, "values differ at index [20]");
    assertStringIncludes(fail.message, "accuracy ratio");
  });

  await t.step("normwise: an error spread over every element fails though each is small", () => {
    // PyTorch erred at one element; every one of ours is off by half of K·E∞.
    const spread = f32(truthValues.map((v, i) => v + (i % 2 ? 1 : -1) * 0.5 * TRUTH_FACTOR * 1e-5));
    const r = compareWithTruth(spread, torch, truth, record);
    assert(!r.ok);
    assertStringIncludes(r.message, "normwise error");
  });

  await t.step("floor: where PyTorch is exact, a few ulps of the scale are allowed", () => {
    const exact = float32ErrorOf(new Float32Array(truthValues), truth.data as Float64Array);
    const floor = TRUTH_FACTOR * TRUTH_FLOOR * u * exact.scale;
    // exact.maxAbs is float32 rounding (≤ half an ulp), below the floor.
    assert(exact.maxAbs < TRUTH_FLOOR * u * exact.scale);
    const near = f32(truthValues.map((v, i) => (i === 3 ? v + 0.5 * floor : v)));
    const ok = compareWithTruth(near, f32(truthValues), truth, exact);
    assert(ok.ok, ok.message);
    const far = f32(truthValues.map((v, i) => (i === 3 ? v + 2 * floor : v)));
    assert(!compareWithTruth(far, f32(truthValues), truth, exact).ok);
  });

  await t.step("pooled ρ: a lucky small tensor is judged by the graph's typical error", () => {
    // PyTorch exact to float32 rounding on a 4-element tensor; the graph's median error is 1e-5.
    const t4 = f64([0.5, -0.25, 1, 0.75]), p4 = f32([0.5, -0.25, 1, 0.75]);
    const rec = float32ErrorOf(p4.data as Float32Array, t4.data as Float64Array);
    const ours = f32([0.5 + 2e-6, -0.25, 1, 0.75]);
    assert(!compareWithTruth(ours, p4, t4, rec).ok);
    const other = (normwise: number) => ({ maxAbs: 0, normwise, scale: 1 });
    const rho = pooledNormwise([rec, other(1e-5), other(2e-5)]);
    assertEquals(rho, 1e-5);
    const r = compareWithTruth(ours, p4, t4, rec, rho);
    assert(r.ok, r.message);
    // ... but not beyond K times it.
    assert(!compareWithTruth(f32([0.5 + 5e-5, -0.25, 1, 0.75]), p4, t4, rec, rho).ok);
  });

  await t.step("PyTorch's other backend widens the yardstick to the worse of the two", () => {
    // Our error 3e-5: 3 times the default backend's 1e-5 ... passes; at 5e-5 it takes the
    // native backend's recorded 2e-5 to pass (2.5×), and 9e-5 fails either way.
    const at = (delta: number) => f32(truthValues.map((v, i) => (i === 20 ? v + delta : v)));
    assert(compareWithTruth(at(3e-5), torch, truth, record).ok);
    assert(!compareWithTruth(at(5e-5), torch, truth, record).ok);
    const both = { ...record, alternative: { maxAbs: 2e-5, normwise: 4 * record.normwise } };
    const r = compareWithTruth(at(5e-5), torch, truth, both);
    assert(r.ok, r.message);
    assert(!compareWithTruth(at(9e-5), torch, truth, both).ok);
  });

  await t.step("a corrupted golden cannot loosen its own yardstick", () => {
    // The float32 file perturbed: it no longer differs from the truth by what the case records.
    const perturbed = f32(torchValues.map((v, i) => (i === 9 ? v * (1 + 1e-3) : v)));
    const a = compareWithTruth(torch, perturbed, truth, record);
    assert(!a.ok);
    assertStringIncludes(a.message, "the golden is inconsistent");
    // The record loosened.
    const b = compareWithTruth(torch, torch, truth, { ...record, maxAbs: 1 });
    assert(!b.ok);
    assertStringIncludes(b.message, "maxAbs");
    // The truth perturbed: inconsistent with the float32 file and its record.
    const wrongTruth = f64(truthValues.map((v, i) => (i === 30 ? v * (1 + 1e-3) : v)));
    assert(!compareWithTruth(torch, torch, wrongTruth, record).ok);
  });

  await t.step("zeros, a negation and a wrong shape fail", () => {
    assert(!compareWithTruth(f32(truthValues.map(() => 0)), torch, truth, record).ok);
    assert(!compareWithTruth(f32(truthValues.map((v) => -v)), torch, truth, record).ok);
    const short = compareWithTruth(f32(truthValues.slice(1)), torch, truth, record);
    assert(!short.ok);
    assertStringIncludes(short.message, "element count differs");
  });

  await t.step("NaN in the truth must be NaN in the result", () => {
    const t64 = f64([1, NaN, 3]), p = f32([1, NaN, 3]);
    const rec = float32ErrorOf(p.data as Float32Array, t64.data as Float64Array);
    assert(compareWithTruth(f32([1, NaN, 3]), p, t64, rec).ok);
    const lost = compareWithTruth(f32([1, 2, 3]), p, t64, rec);
    assert(!lost.ok);
    assertEquals(lost.accuracy, Infinity);
  });
});
