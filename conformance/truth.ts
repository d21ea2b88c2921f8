/**
 * The truth regime of the tolerance policy (`conformance/tolerance.ts`): an implementation's
 * result against PyTorch's float64 truth, with PyTorch's own float32 error as the yardstick.
 *
 * Before the yardstick is used it is proven to be the golden's own: PyTorch's float32 file and
 * the truth file must differ by exactly the recorded error (recomputed here), so corrupting either
 * file, or the record, fails the case instead of loosening its bound.
 *
 * @module
 */

import type { Float32Error } from "../onnx/case.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { compareTensors } from "../testing/assert_tensor.ts";
import { TRUTH_FACTOR, truthTolerance, type TruthYardstick } from "./tolerance.ts";

/** The outcome of {@linkcode compareWithTruth}. */
export interface TruthComparison {
  /** Whether the result is within the truth regime's bounds (and the golden is consistent). */
  ok: boolean;
  /** Empty when `ok`; otherwise what failed. */
  message: string;
  /** `max |O − T|` over finite truth elements (NaN if count or shape differ). */
  maxAbsError: number;
  /** `‖O − T‖₂ / ‖T‖₂` (NaN if count or shape differ). */
  normwiseError: number;
  /**
   * The accuracy ratio: our error over PyTorch's float32 error (elementwise and normwise, the
   * larger; each yardstick floored, see the policy). Passes up to `TRUTH_FACTOR`.
   */
  accuracy: number;
  /** `accuracy / TRUTH_FACTOR`: below or at 1 passes; the margin is `1 − worstRatio`. */
  worstRatio: number;
  /** The allowed `max |O − T|`. */
  allowed: number;
  /** `max |T|` over finite elements. */
  scale: number;
}

/** PyTorch's float32 file against the truth, computed the way the generator records it. */
export function float32ErrorOf(float32: ArrayLike<number>, truth: ArrayLike<number>): Float32Error {
  let maxAbs = 0, sumSq = 0, normSq = 0, scale = 0, nonfinite = 0, mismatch = false;
  for (let i = 0; i < truth.length; i++) {
    const p = float32[i], t = truth[i];
    if (!Number.isFinite(t)) {
      nonfinite++;
      if (!(Object.is(p, t) || (Number.isNaN(p) && Number.isNaN(t)))) mismatch = true;
      continue;
    }
    if (!Number.isFinite(p)) mismatch = true;
    const d = Math.abs(p - t);
    if (d > maxAbs) maxAbs = d;
    sumSq += d * d;
    normSq += t * t;
    if (Math.abs(t) > scale) scale = Math.abs(t);
  }
  const err = Math.sqrt(sumSq), norm = Math.sqrt(normSq);
  // A zero truth has no relative error: it is judged elementwise only.
  const normwise = err === 0 || norm === 0 ? 0 : err / norm;
  return { maxAbs: mismatch ? Infinity : maxAbs, normwise, scale, nonfinite };
}

/** A comparison that could not be made (inconsistent golden, shape or count mismatch). */
function failed(message: string): TruthComparison {
  return {
    ok: false,
    message,
    maxAbsError: NaN,
    normwiseError: NaN,
    accuracy: Infinity,
    worstRatio: Infinity,
    allowed: NaN,
    scale: NaN,
  };
}

/** Relative agreement of a recomputed statistic with its record (summation order differs). */
function agrees(recomputed: number, recorded: number): boolean {
  return Math.abs(recomputed - recorded) <= 1e-9 * Math.max(recomputed, recorded) ||
    (recomputed === 0 && recorded === 0);
}

/**
 * Compares an implementation's tensor with the float64 truth under the truth regime.
 *
 * @param actual The implementation's result.
 * @param float32 PyTorch's float32 result (the golden's expected file).
 * @param truth PyTorch's float64 result.
 * @param recorded PyTorch's float32 error as the golden records it.
 * @param pooled `ρ`, the median of PyTorch's normwise errors over the data set
 * (`pooledNormwise`), a floor of the yardsticks; 0 judges the tensor on its own.
 * @returns The comparison; `ok` is false when the golden's files and record disagree.
 *
 * @example An implementation exactly as accurate as PyTorch passes
 * ```ts
 * import { compareWithTruth, float32ErrorOf } from "./truth.ts";
 * import { OnnxTensor } from "../onnx/onnx_tensor.ts";
 * const truth = new OnnxTensor(new Float64Array([1 / 3, 2 / 3]), [2]);
 * const p = new OnnxTensor(new Float32Array([1 / 3, 2 / 3]), [2]);
 * const r = compareWithTruth(p, p, truth, float32ErrorOf(p.data as Float32Array, truth.data as Float64Array));
 * if (!r.ok || r.accuracy > 1) throw new Error(r.message);
 * ```
 */
export function compareWithTruth(
  actual: OnnxTensor,
  float32: OnnxTensor,
  truth: OnnxTensor,
  recorded: Float32Error,
  pooled = 0,
): TruthComparison {
  const t = truth.data as Float64Array;
  const own = float32ErrorOf(float32.data as ArrayLike<number>, t);
  const stale = (["maxAbs", "normwise", "scale", "nonfinite"] as const).find((key) =>
    !agrees(own[key], recorded[key])
  );
  if (stale !== undefined || float32.size !== truth.size) {
    return failed(
      `the golden is inconsistent: its float32 file against its float64 truth gives ` +
        `${stale ?? "size"} ${stale ? own[stale] : float32.size}, the case records ` +
        `${stale ? recorded[stale] : truth.size}`,
    );
  }
  return judgeAgainstTruth(actual, truth, { ...recorded, scale: own.scale, pooled });
}

/**
 * The truth regime's judgement of one tensor against a float64 truth and a yardstick already
 * proven to be the golden's (see {@linkcode compareWithTruth}, which checks that first); also
 * used against a truth the harness computed itself (`conformance/kink_pinned.ts`).
 *
 * @param actual The implementation's result.
 * @param truth The float64 truth.
 * @param yardstick PyTorch's float32 error, the truth's scale and `ρ`.
 * @returns The comparison.
 */
export function judgeAgainstTruth(
  actual: OnnxTensor,
  truth: OnnxTensor,
  yardstick: TruthYardstick,
): TruthComparison {
  const t = truth.data as Float64Array;
  const shapeCheck = compareTensors(actual, { shape: truth.dims, data: t }, {
    rtol: 0,
    atol: Infinity,
  });
  if (shapeCheck.count === 0 && truth.size > 0) return failed(shapeCheck.message);
  const o = actual.data as ArrayLike<number>;
  let maxAbs = 0, sumSq = 0, normSq = 0, badNonfinite = -1;
  for (let i = 0; i < t.length; i++) {
    const a = o[i], e = t[i];
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) && badNonfinite < 0) {
        badNonfinite = i;
      }
      continue;
    }
    const d = Math.abs(a - e);
    if (d > maxAbs) maxAbs = d;
    sumSq += d * d;
    normSq += e * e;
  }
  const err = Math.sqrt(sumSq), norm = Math.sqrt(normSq);
  const normwise = err === 0 || norm === 0 ? 0 : err / norm;
  const tol = truthTolerance(yardstick);
  const ratio = (e: number, yardstick: number) =>
    e === 0 ? 0 : yardstick > 0 ? e / yardstick : Infinity;
  const accuracy = badNonfinite >= 0
    ? Infinity
    : Math.max(ratio(maxAbs, tol.maxAbsYardstick), ratio(normwise, tol.normwiseYardstick));
  const result: TruthComparison = {
    ok: accuracy <= TRUTH_FACTOR,
    message: "",
    maxAbsError: maxAbs,
    normwiseError: normwise,
    accuracy,
    worstRatio: accuracy / TRUTH_FACTOR,
    allowed: tol.maxAbs,
    scale: yardstick.scale,
  };
  if (result.ok) return result;
  if (badNonfinite >= 0 || maxAbs > tol.maxAbs) {
    const c = compareTensors(actual, { shape: truth.dims, data: t }, { rtol: 0, atol: tol.maxAbs });
    result.message = `${c.message.replace("expected", "truth")}; PyTorch's float32 max error ` +
      `${yardstick.maxAbs}, accuracy ratio ${accuracy.toPrecision(3)} > ${TRUTH_FACTOR}`;
  } else {
    result.message = `normwise error ${normwise} exceeds ${tol.normwise} (${TRUTH_FACTOR} × ` +
      `max(PyTorch's ${yardstick.normwise}, floor ${tol.normwiseYardstick})); accuracy ratio ` +
      `${accuracy.toPrecision(3)}`;
  }
  return result;
}
