/**
 * The mutation catalogue: realistic bugs the conformance suite must catch. Each mutant is a
 * one-place change to the package's code (applied to a copy of the source tree) or to a copy of
 * one golden case; `deno task mutate` injects each and runs the suite on it, and the suite kills
 * the mutant when some case fails. A surviving mutant is a hole in the suite.
 *
 * Code mutants name the file, a search text that must occur in it exactly once (so a refactor
 * that moves the code fails loudly instead of silently injecting nothing) and its replacement.
 * `hint` lists case-name substrings run first, so a killed mutant is found in seconds; a mutant
 * that survives them is run against every golden.
 *
 * Golden mutants change the expected values of a case consistently: the float32 file, its
 * float64 truth and PyTorch's recorded error are all rewritten, so only the comparison of our
 * result with the (wrong) expected values can kill them — the golden's self-consistency check
 * cannot.
 *
 * @module
 */

/** A change to the package's code. */
export interface CodeMutant {
  readonly kind: "code";
  /** Short unique name. */
  readonly id: string;
  /** Report family (the table row). */
  readonly family: string;
  /** The bug, as a reviewer would describe it. */
  readonly description: string;
  /** File relative to the repository root. */
  readonly file: string;
  /** Text that must occur exactly once in `file`. */
  readonly search: string;
  /** What replaces it. */
  readonly replace: string;
  /** Case-name substrings (below golden/) tried first. */
  readonly hint: readonly string[];
  /** Part of the quick slice `deno task test` runs. */
  readonly quick?: boolean;
}

/** How a golden mutant rewrites an expected tensor. */
export type GoldenEdit =
  | { readonly op: "zero" }
  | { readonly op: "negate" }
  /**
   * Multiply one element by `1 + relative`: the one of median magnitude among the nonzero ones,
   * or the largest.
   */
  | {
    readonly op: "scale-element";
    readonly which: "median" | "largest";
    readonly relative: number;
  };

/** A change to a copy of one golden case. */
export interface GoldenMutant {
  readonly kind: "golden";
  readonly id: string;
  readonly family: string;
  readonly description: string;
  /** The case directory relative to golden/. */
  readonly case: string;
  /**
   * The expected tensor's file stem in `test_data_set_0/`, e.g. `output_0`; or the gradient of
   * the first or last 2-D convolution weight among the initializers (`conv-weight-grad:first`,
   * `conv-weight-grad:last`), resolved from the model.
   */
  readonly tensor: string;
  readonly edit: GoldenEdit;
  readonly quick?: boolean;
}

/** One mutant. */
export type Mutant = CodeMutant | GoldenMutant;

const ZOO = [
  "resnet18",
  "mobilenet_v2",
  "mobilenet_v3_small",
  "squeezenet1_1",
  "shufflenet_v2_x0_5",
  "densenet121",
  "googlenet",
  "mnasnet0_5",
  "regnet_y_400mf",
  "efficientnet_b0",
];

/**
 * The whole-model goldens below golden/ that every whole-model perturbation is applied to: the
 * two toy networks and the twenty torchvision zoo cases (eval and training mode).
 */
export const WHOLE_MODELS: readonly string[] = Object.freeze([
  "torch-models/lenet5",
  "torch-models/seed_notebook_cnn",
  ...ZOO.flatMap((a) => [`zoo/${a}_eval`, `zoo/${a}_train`]),
]);

/** Whole models whose perturbations are part of the quick slice. */
const QUICK_MODELS = new Set([
  "torch-models/lenet5",
  "torch-models/seed_notebook_cnn",
  "zoo/resnet18_train",
  "zoo/mobilenet_v2_eval",
]);

/**
 * The four perturbations of a whole-model golden that must each fail: zeroed output, negated
 * output, the first convolution's weight gradient negated, and one element of the last 2-D
 * convolution's weight gradient off by 1e-3 relative, the element of median magnitude — except
 * on the zoo's training-mode networks: there the last stages' batch norms normalise 8 values per
 * channel, PyTorch's own float32 error on those weight gradients reaches 2e-4 normwise, and a
 * 1e-3 change of an element is rounding to any yardstick made of PyTorch's error; they get 1e-2
 * on the largest element (the README gives the measured detection threshold of every model).
 */
export function wholeModelMutants(dir: string): GoldenMutant[] {
  const name = dir.slice(dir.lastIndexOf("/") + 1);
  const family = dir.startsWith("zoo/") ? "torchvision zoo" : "whole model";
  const base = { kind: "golden", family, case: dir, quick: QUICK_MODELS.has(dir) } as const;
  const training = dir.startsWith("zoo/") && dir.endsWith("_train");
  const which = training ? "largest" : "median", relative = training ? 1e-2 : 1e-3;
  return [
    {
      ...base,
      id: `${name}-output-zeros`,
      description: `${name}: expected output replaced by zeros`,
      tensor: "output_0",
      edit: { op: "zero" },
    },
    {
      ...base,
      id: `${name}-output-negated`,
      description: `${name}: expected output negated`,
      tensor: "output_0",
      edit: { op: "negate" },
    },
    {
      ...base,
      id: `${name}-first-conv-dw-negated`,
      description: `${name}: the first convolution's weight gradient negated`,
      tensor: "conv-weight-grad:first",
      edit: { op: "negate" },
    },
    {
      ...base,
      id: `${name}-last-conv-dw-${which}-element`,
      description: `${name}: one element (the ${which} in magnitude) of the last ` +
        `convolution's weight gradient off by ${relative} relative`,
      tensor: "conv-weight-grad:last",
      edit: { op: "scale-element", which, relative },
    },
  ];
}

/** The catalogue, in report order. */
export const MUTANTS: readonly Mutant[] = Object.freeze([
  {
    kind: "code",
    id: "pad-begin-off-by-one-stride-2",
    family: "padding",
    description: "along axes with stride 2 one row of the begin padding moves to the end " +
      "(output size unchanged, every window shifted)",
    file: "layers/_geometry.ts",
    search: "    outSize.push(out);\n  }\n  return {",
    replace: "    outSize.push(out);\n  }\n" +
      "  for (let i = 0; i < rank; i++) {\n" +
      "    if (stride[i] === 2 && padBegin[i] > 0) {\n" +
      "      padBegin[i]--;\n" +
      "      padEnd[i]++;\n" +
      "    }\n" +
      "  }\n" +
      "  return {",
    hint: ["conv2d_k3x3_s2x2_p1", "conv1d_k3_s2_p1"],
    quick: true,
  },
  {
    kind: "code",
    id: "gemm-wasm-last-column-tile",
    family: "gemm",
    description: "the WebAssembly GEMM drops the last, partial column panel (n not a multiple " +
      "of the register block)",
    file: "layers/_wasm/gemm_wasm.ts",
    search: "    const nPanels = Math.ceil(nc / NR);\n    for (let r0 = 0;",
    replace: "    const nPanels = Math.floor(nc / NR);\n    for (let r0 = 0;",
    hint: ["linear_", "gemm_"],
    quick: true,
  },
  {
    kind: "code",
    id: "gemm-ts-last-column-tile",
    family: "gemm",
    description: "the TypeScript GEMM's macro-kernel skips the last, partial column panel",
    file: "layers/_gemm_ts.ts",
    search: "  for (let jp = 0; jp < nc; jp += NR) {\n    for (let ip = 0; ip < mc; ip += MR) {",
    replace:
      "  for (let jp = 0; jp + NR <= nc; jp += NR) {\n    for (let ip = 0; ip < mc; ip += MR) {",
    hint: ["linear_", "gemm_"],
  },
  {
    kind: "code",
    id: "maxpool-reference-last-maximum",
    family: "max pool",
    description: "the reference max pool sends the gradient to the last maximum of a window " +
      "(>= instead of >), as several libraries do",
    file: "layers/_pool_reference.ts",
    search: "if (at < 0 || v > best || v !== v) {",
    replace: "if (at < 0 || v >= best || v !== v) {",
    hint: ["pitfall_maxpool_ties"],
    quick: true,
  },
  {
    kind: "code",
    id: "maxpool-fast-last-maximum",
    family: "max pool",
    description: "the TypeScript fast max pool takes the last maximum along contiguous rows",
    file: "layers/_pool_fast.ts",
    search: "                  const v = x[c];\n                  if (v > best || v !== v) {\n" +
      "                    best = v;\n                    at = c - base;\n                  }\n" +
      "                }\n              } else {",
    replace: "                  const v = x[c];\n                  if (v >= best || v !== v) {\n" +
      "                    best = v;\n                    at = c - base;\n                  }\n" +
      "                }\n              } else {",
    hint: ["pitfall_maxpool_ties"],
  },
  {
    kind: "code",
    id: "relu-wasm-backward-masks-by-gradient",
    family: "activation",
    description: "the SIMD ReLU gradient takes its mask from the incoming gradient's sign " +
      "instead of the forward input's",
    file: "layers/_wasm/elementwise_wasm.ts",
    search: "load.x();\n    zero(f).f32x4Le();",
    replace: "load.g();\n    zero(f).f32x4Le();",
    hint: ["lenet5"],
  },
  {
    kind: "code",
    id: "maxpool-wasm-ignores-nan",
    family: "max pool",
    description: "the SIMD max-pool kernel skips NaN (as ONNX Runtime 1.30 and tfjs do) " +
      "instead of propagating it",
    file: "layers/_wasm/pool_kernel.ts",
    search: "f.get(v).get(best).f32x4Gt().get(v).get(v).f32x4Ne().v128Or().set(mask);",
    replace: "f.get(v).get(best).f32x4Gt().set(mask);",
    hint: ["pitfall_maxpool_nan"],
    quick: true,
  },
  {
    kind: "code",
    id: "avgpool-reference-ceil-overhang",
    family: "average pool",
    description: "the reference average pool counts the ceil-mode overhang in the " +
      "count_include_pad divisor (onnxruntime #16203)",
    file: "layers/_pool_reference.ts",
    search: "if (id < D + eD && ih < H + eH && iw < W + eW) padded++;",
    replace: "padded++;",
    hint: ["pitfall_avg_ceil_include_pad", "ceil_incpad"],
    quick: true,
  },
  {
    kind: "code",
    id: "avgpool-fast-ceil-overhang",
    family: "average pool",
    description: "the fast average pool's per-axis tap count includes the ceil overhang",
    file: "layers/_pool_window.ts",
    search: "padded[o] = Math.max(0, Math.min(k, Math.floor((n + padEnd - 1 - start) / d) + 1));",
    replace: "padded[o] = k;",
    hint: ["pitfall_avg_ceil_include_pad", "ceil_incpad"],
  },
  {
    kind: "code",
    id: "conv-reference-last-tap",
    family: "convolution",
    description: "the reference convolution forward skips the last tap of every window",
    file: "layers/_conv_reference.ts",
    search: "                    if (iw < 0 || iw >= inW) continue;\n" +
      "                    sum += x[xRow + iw] * w[wRow + kw];",
    replace: "                    if (iw < 0 || iw >= inW) continue;\n" +
      "                    if (kd === kD - 1 && kh === kH - 1 && kw === kW - 1 && kVol > 1) " +
      "continue;\n" +
      "                    sum += x[xRow + iw] * w[wRow + kw];",
    hint: ["conv2d_k3x3", "conv1d_k3"],
  },
  {
    kind: "code",
    id: "im2col-last-input-channel",
    family: "convolution",
    description: "the TypeScript im2col reads the second-last input channel in place of the " +
      "last one (a channel dropped)",
    file: "layers/_im2col.ts",
    search: "  for (let c = 0; c < cinG; c++) {\n    const xChannel = xOffset + c * inPlane;\n" +
      "    for (let kd = 0; kd < kD; kd++) {\n      const dOff = kd * p.dD - p.pD;",
    replace: "  for (let c = 0; c < cinG; c++) {\n" +
      "    const xChannel = xOffset + (cinG > 1 && c === cinG - 1 ? c - 1 : c) * inPlane;\n" +
      "    for (let kd = 0; kd < kD; kd++) {\n      const dOff = kd * p.dD - p.pD;",
    hint: ["conv2d_k3x3_s1x1_p1_d1x1_g1", "conv2d_k3x2"],
  },
  {
    kind: "code",
    id: "batchnorm-eps-1e-3",
    family: "batch norm",
    description: "batch normalization adds 1e-3 to the variance instead of the eps attribute",
    file: "layers/batch_norm.ts",
    search: "      invStd[c] = 1 / Math.sqrt(runningVar[c] + eps);",
    replace: "      invStd[c] = 1 / Math.sqrt(runningVar[c] + 1e-3);",
    hint: ["batchnorm"],
  },
  {
    kind: "golden",
    id: "ort-conv-output-zeros",
    family: "single node",
    description: "an ONNX Runtime convolution golden's expected output replaced by zeros " +
      "(accumulation regime)",
    case: "ort/conv2d_k3x3_s2x2_p1_d1x1_g2_b_n1_x4x4",
    tensor: "output_0",
    edit: { op: "zero" },
  },
  {
    kind: "golden",
    id: "torch-conv-dw-one-element",
    family: "single node",
    description: "one element of a PyTorch convolution golden's weight gradient off by 1e-3 " +
      "relative",
    case: "torch/conv2d_k3x3_s2x2_p1_d1x1_g2_b_n1_x4x4",
    tensor: "grad_input_1",
    edit: { op: "scale-element", which: "median", relative: 1e-3 },
  },
  ...WHOLE_MODELS.flatMap(wholeModelMutants),
] as Mutant[]);
