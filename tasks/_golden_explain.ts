// Explanations of cross-check disagreements. Each rule names a semantic difference between
// ONNX Runtime and PyTorch AND verifies it on the case's data (a rerun of ONNX Runtime under the
// hypothesis, or the positions where the values differ), so that a generator bug cannot hide
// behind a plausible sentence. A disagreement no rule verifies is reported as UNEXPLAINED, and
// `deno task golden` fails until it is investigated.

import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel } from "../onnx/single_node.ts";
import { GRID_OPSET } from "../conformance/grid.ts";
import type { _OrtCase } from "./_golden_ort.ts";
import { _runModel } from "./_golden_session.ts";
import { _window } from "./_golden_spec.ts";

/** Prefix of a disagreement that no rule explains. */
export const UNEXPLAINED = "UNEXPLAINED";

/** Why ONNX Runtime (`actual`) and PyTorch (`expected`) differ on tensor `stem` of a case. */
export async function _explain(
  ort: _OrtCase,
  stem: string,
  actual: OnnxTensor,
  expected: OnnxTensor,
  forwardDisagrees: boolean,
): Promise<string> {
  if (stem !== "output_0" && forwardDisagrees) {
    return "follows from the output_0 disagreement (the gradient of a different forward)";
  }
  const c = ort.case;
  if ((c.op === "MaxPool" || c.op === "GlobalMaxPool") && stem === "output_0") {
    const nan = nanWindows(ort, actual, expected);
    if (nan) return nan;
    const dilated = await dilatedSame(ort, actual);
    if (dilated) return dilated;
  }
  const differ = actual.dims.join() === expected.dims.join()
    ? "values differ"
    : `shapes differ: [${actual.dims.join(", ")}] vs [${expected.dims.join(", ")}]`;
  return `${UNEXPLAINED}: ${differ}; no known semantic difference matches`;
}

/** NaN in a max-pool window: PyTorch propagates it, ONNX Runtime's MaxPool skips it. */
function nanWindows(
  ort: _OrtCase,
  actual: OnnxTensor,
  expected: OnnxTensor,
): string | undefined {
  const x = ort.inputs[0].data as Float32Array;
  if (!x.some(Number.isNaN) || actual.dims.join() !== expected.dims.join()) return undefined;
  // Verify: the outputs differ exactly where PyTorch has NaN and ONNX Runtime a finite value.
  const a = actual.data as Float32Array, e = expected.data as Float32Array;
  let nanOnlyInPyTorch = 0;
  for (let k = 0; k < a.length; k++) {
    if (Object.is(a[k], e[k])) continue;
    if (!(Number.isNaN(e[k]) && Number.isFinite(a[k]))) return undefined;
    nanOnlyInPyTorch++;
  }
  return "NaN in a max-pool window: PyTorch propagates it (the window's output is NaN and its " +
    "gradient goes to the NaN), ONNX Runtime 1.30's MaxPool skips NaN and returns the maximum " +
    `of the other values (verified: ${nanOnlyInPyTorch} output(s) NaN in PyTorch and finite in ` +
    "ONNX Runtime, all others bit-identical); PyTorch semantics win";
}

/**
 * MaxPool with SAME padding and dilation: ONNX Runtime computes the SAME pads from the kernel
 * size instead of the effective kernel d·(k−1)+1 (the "dilated SAME" pitfall). Verified by
 * rerunning ONNX Runtime with those explicit pads.
 */
async function dilatedSame(ort: _OrtCase, actual: OnnxTensor): Promise<string | undefined> {
  const c = ort.case;
  const autoPad = String(c.attributes.auto_pad ?? "NOTSET");
  const kernel = c.attributes.kernel_shape as number[] | undefined;
  if (!autoPad.startsWith("SAME") || !kernel) return undefined;
  const { strides, dilations, effective } = _window(c.attributes, kernel);
  if (dilations.every((d) => d === 1)) return undefined;
  const inSizes = c.inputs[0].shape.slice(2);
  const begin: number[] = [], end: number[] = [], spec: number[] = [];
  inSizes.forEach((n, i) => {
    const out = Math.ceil(n / strides[i]);
    spec.push(out);
    const total = Math.max(0, (out - 1) * strides[i] + kernel[i] - n); // kernel, not effective
    const small = Math.floor(total / 2);
    begin.push(autoPad === "SAME_UPPER" ? small : total - small);
    end.push(autoPad === "SAME_UPPER" ? total - small : small);
  });
  const { auto_pad: _, ...rest } = c.attributes;
  const model = singleNodeModel({
    opType: "MaxPool",
    opset: GRID_OPSET,
    attributes: { ...rest, pads: [...begin, ...end] },
    inputs: [{ name: "X", dtype: "float32", dims: c.inputs[0].shape }],
    outputs: [{ name: "Y", dtype: "float32" }],
  });
  const [result] = await _runModel(model, [{ X: ort.inputs[0] }]);
  const y = result.Y;
  const same = y.dims.join() === actual.dims.join() &&
    (y.data as Float32Array).every((v, k) => Object.is(v, actual.data[k]));
  if (!same) return undefined;
  return `MaxPool ${autoPad} with dilation ${dilations.join("x")}: the spec's output is ` +
    `ceil(in / stride) = [${spec.join(", ")}] with pads from the effective kernel ` +
    `[${effective.join(", ")}]; ONNX Runtime 1.30 computes the SAME pads from the kernel size ` +
    `[${kernel.join(", ")}] instead (the "dilated SAME" pitfall) and outputs ` +
    `[${actual.dims.slice(2).join(", ")}] (verified: identical to ONNX Runtime's MaxPool with ` +
    `explicit pads [${[...begin, ...end].join(", ")}]); PyTorch semantics (the spec's) win`;
}
