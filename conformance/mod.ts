/**
 * The conformance harness: run golden cases (ONNX backend-test layout with gradient files, as in
 * the repository's `golden/`, from ONNX Runtime and PyTorch) through an implementation under test
 * and compare every output and gradient with the tolerance policy, as a structured report.
 *
 * An implementation is an {@linkcode Implementation} adapter: a `name` and the operations it has,
 * each optional — a whole-graph runner, layer functions in our layouts (`conv`, `convBackward`,
 * `convTranspose`, `maxPool`, `avgPool`, ... with the ONNX attributes resolved into explicit
 * per-axis numbers), or an ONNX node forward. What it lacks is skipped with the reason. The
 * package's own paths are adapters too (`builtinImplementation("reference" | "fast" | "fast-ts")`).
 *
 * @example Check a hand-written 1-D convolution against the PyTorch goldens
 * ```ts
 * import { checkImplementation, type Implementation, NotSupportedError } from "./mod.ts";
 * const mine: Implementation = {
 *   name: "my-conv1d",
 *   conv(x, w, b, p) {
 *     if (p.kernel.length !== 1 || p.groups !== 1) throw new NotSupportedError("1-D, groups 1");
 *     const [n, c, len] = x.shape, [m, , k] = w.shape, out = p.outSize[0];
 *     const y = new Float32Array(n * m * out);
 *     for (let i = 0; i < n * m * out; i++) {
 *       const o = Math.floor(i / out) % m, j = i % out, batch = Math.floor(i / (m * out));
 *       let sum = b ? b.data[o] : 0;
 *       for (let ci = 0; ci < c; ci++) {
 *         for (let t = 0; t < k; t++) {
 *           const at = j * p.stride[0] + t * p.dilation[0] - p.padBegin[0];
 *           if (at >= 0 && at < len) sum += x.data[(batch * c + ci) * len + at] * w.data[(o * c + ci) * k + t];
 *         }
 *       }
 *       y[i] = sum;
 *     }
 *     return { data: y, shape: [n, m, out] };
 *   },
 * };
 * // The goldens live in the repository (golden/), not in the published package.
 * const goldens = new URL("../golden/torch", import.meta.url);
 * const report = await checkImplementation(mine, goldens, { filter: "torch/conv1d_" });
 * console.log(report.summary); // { passed: 56, failed: 0, skipped: 112, ... }: groups > 1 skip
 * if (report.summary.failed !== 0 || report.summary.passed === 0) throw new Error("disagrees");
 * ```
 *
 * @module
 */

export * from "./adapter.ts";
export { ALL_IMPLS, builtinImplementation, type ConformanceImpl } from "./builtin.ts";
export * from "./check.ts";
export { checkCase, runCase } from "./runner.ts";
export type { CaseResult, ImplResult, Regime, RunCaseOptions, TensorCheck } from "./runner.ts";
export * from "./report.ts";
export * from "./tolerance.ts";
export { findCases, loadCase } from "../onnx/case.ts";
export type { DataSet, Float32Error, GoldenCase, Truth } from "../onnx/case.ts";
// The ONNX types an adapter meets (also exported by `./onnx`).
export { OnnxTensor } from "../onnx/onnx_tensor.ts";
export type { OnnxModel, OnnxNode } from "../onnx/model.ts";
export type { GraphGradients } from "../onnx/executor.ts";
