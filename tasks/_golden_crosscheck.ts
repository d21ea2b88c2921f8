// Cross-check of the two golden sources: where a grid case exists in both, ONNX Runtime's output
// and gradients must agree with PyTorch's under the tolerance policy. A disagreement is recorded
// with an explanation, and since PyTorch's semantics win, the ONNX Runtime file is not written
// (the whole ONNX Runtime case when the forward differs).

import type { Disagreement } from "../conformance/manifest.ts";
import { tolerance } from "../conformance/tolerance.ts";
import { compareTensors, type Tolerance } from "../testing/assert_tensor.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { readTensorFile } from "../onnx/tensor_proto.ts";
import type { _OrtCase, _TensorTolerance } from "./_golden_ort.ts";
import { _explain } from "./_golden_explain.ts";

/** What the cross-check decided for one case. */
export interface _CrossCheck {
  /** Tensors compared and found in agreement, with their worst error/tolerance ratio. */
  agreed: { stem: string; worstRatio: number }[];
  /** Disagreements (explained). */
  disagreements: Disagreement[];
  /** The forward disagrees: the ONNX Runtime case is not written. */
  dropCase: boolean;
  /** Gradient stems (grad_input_<i>) the ONNX Runtime case must not write. */
  dropTensors: Set<string>;
}

/** The tolerance policy for one tensor, from its n and magnitude A. */
export function _toleranceOf(t: _TensorTolerance | undefined): Tolerance {
  return t && t.n > 0 && t.magnitude ? tolerance(t.n, t.magnitude) : tolerance(0);
}

/** Compares ONNX Runtime's tensors of a case with the PyTorch case directory `torchDir`. */
export async function _crossCheck(
  ort: _OrtCase,
  torchDir: string,
  torchGradInputs: readonly number[],
): Promise<_CrossCheck> {
  const result: _CrossCheck = {
    agreed: [],
    disagreements: [],
    dropCase: false,
    dropTensors: new Set(),
  };
  if (!ort.outputs) return result;
  const pairs: [string, OnnxTensor][] = ort.outputs.map((y, j) => [`output_${j}`, y]);
  for (const [i, grad] of ort.gradInputs) {
    if (torchGradInputs.includes(i)) pairs.push([`grad_input_${i}`, grad]);
  }
  for (const [stem, actual] of pairs) {
    const expected = await readTensorFile(`${torchDir}/test_data_set_0/${stem}.pb`);
    const tol = _toleranceOf(ort.tolerances.get(stem));
    const r = compareTensors(actual, expected, tol);
    if (r.ok) {
      result.agreed.push({ stem, worstRatio: r.worstRatio });
      continue;
    }
    const forward = stem.startsWith("output_");
    const worst = worstElement(actual, expected, tol);
    result.disagreements.push({
      case: ort.case.name,
      tensor: stem,
      maxAbsError: r.count ? r.maxAbsError : null,
      bound: r.count ? worst.allowed : null,
      worstRatio: r.count ? (Number.isFinite(r.worstRatio) ? r.worstRatio : null) : null,
      failed: r.count
        ? `${r.failed} of ${r.count}`
        : `shape: ONNX Runtime [${actual.dims.join(", ")}], PyTorch [${expected.dims.join(", ")}]`,
      dropped: forward ? "case" : "tensor",
      explanation: await _explain(ort, stem, actual, expected, result.dropCase),
    });
    if (forward) result.dropCase = true;
    else result.dropTensors.add(stem);
  }
  // A dropped forward takes the gradients with it.
  if (result.dropCase) {
    for (const [i] of ort.gradInputs) {
      result.dropTensors.add(`grad_input_${i}`);
    }
  }
  return result;
}

function worstElement(
  actual: OnnxTensor,
  expected: OnnxTensor,
  tol: Tolerance,
): { allowed: number } {
  let worst = -1, allowedAtWorst = 0;
  for (let k = 0; k < actual.data.length; k++) {
    const a = Number(actual.data[k]), e = Number(expected.data[k]);
    const allowed = (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(e) + (tol.bound?.[k] ?? 0);
    const ratio = Number.isFinite(a) && Number.isFinite(e)
      ? Math.abs(a - e) / allowed
      : Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))
      ? 0
      : Infinity;
    if (ratio > worst) {
      worst = ratio;
      allowedAtWorst = allowed;
    }
  }
  return { allowed: allowedAtWorst };
}
