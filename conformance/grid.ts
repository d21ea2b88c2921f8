/**
 * The conformance grid, defined once as data: every golden case the generators produce.
 *
 * Each case is a single ONNX node (opset {@linkcode GRID_OPSET}) with its attributes, the shapes
 * and fills of its inputs and a seed derived from its name, so a case reads as its configuration
 * and regenerates identically whatever else changes in the grid.
 *
 * Covering rule (documented in the README): for convolution and transposed convolution the
 * *primary* factors — kernel, stride, padding and whether the strides divide the input — form a
 * full product per rank; the *secondary* factors — dilation, groups, bias, batch (and output
 * padding for the transposed op) — are assigned row by row greedily so that every pair of values
 * of any two factors appears together in at least one case (pairwise covering). Pooling does the
 * same with kernel × stride × padding × ceil mode × divisibility as primaries and dilation
 * (max) or count_include_pad (average) and batch as secondaries. `grid_test.ts` checks the
 * covering property.
 *
 * @module
 */

/** ONNX opset of every grid model. */
export const GRID_OPSET = 17;

/** How a tensor of a case is filled (from the case seed; see `conformance/fill.ts`). */
export type Fill =
  /** Standard normal values. */
  | { kind: "normal" }
  /** Uniform values in [low, high). */
  | { kind: "uniform"; low: number; high: number }
  /** A seeded shuffle of 0, 1, ..., n−1 (no ties: max-pool gradients are well defined). */
  | { kind: "permutation" }
  /** Literal values, row-major. */
  | { kind: "values"; values: number[] }
  /** Integer class labels in [0, classes), some replaced by `ignore` if given. */
  | { kind: "labels"; classes: number; ignore?: number };

/** One graph input of a case. */
export interface TensorSpec {
  /** Graph input name (ONNX op input name, e.g. "X", "W", "B"). */
  name: string;
  /** Shape. */
  shape: number[];
  /** Element type. @default "float32" */
  dtype?: "float32" | "int64";
  /** How to fill it. */
  fill: Fill;
}

/** An ONNX attribute value. */
export type AttributeValue = number | number[] | string;

/** One golden case: a single ONNX node with seeded inputs. */
export interface GridCase {
  /** Unique name that reads as the configuration, e.g. `conv2d_k3x2_s2x1_p1_d1_g1_b_n1_x7x8`. */
  name: string;
  /** Row of the report table: e.g. `conv2d`, `maxpool1d`, `softmax`. */
  family: string;
  /** ONNX operator type. */
  op: string;
  /** ONNX attributes (names and conventions of the ONNX spec; floats marked in `floatAttributes`). */
  attributes: Record<string, AttributeValue>;
  /** Names of attributes whose numbers are floats (ONNX distinguishes INT and FLOAT). */
  floatAttributes?: string[];
  /** Graph inputs in order; float inputs are differentiable. */
  inputs: TensorSpec[];
  /** Number of node outputs written as goldens. @default 1 */
  outputs?: number;
  /** Seed for the fills, derived from the name. */
  seed: number;
  /** The line of shared/PITFALLS.md this case pins, if any. */
  pitfall?: string;
  /** Parameters for the report's op × parameter table, e.g. `{ stride: "2x1" }`. */
  params: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** FNV-1a hash of the name: a seed that depends on the case alone. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const dims = (v: number[]): string => v.join("x");
const fill = (rank: number, v: number): number[] => new Array(rank).fill(v);

/** A padding choice of the grid, with how it reads in names and how ONNX spells it. */
interface PadChoice {
  label: string;
  autoPad?: "SAME_UPPER" | "SAME_LOWER" | "VALID";
  pads?: (rank: number) => number[];
}

const PADS: PadChoice[] = [
  { label: "p0", pads: (r) => fill(2 * r, 0) },
  { label: "p1", pads: (r) => fill(2 * r, 1) },
  { label: "p2", pads: (r) => fill(2 * r, 2) },
  // Asymmetric explicit pads, ONNX order: begins then ends.
  { label: "pasym", pads: (r) => [...[1, 0, 2].slice(0, r), ...[0, 2, 1].slice(0, r)] },
  { label: "psame", autoPad: "SAME_UPPER" },
  { label: "psamelower", autoPad: "SAME_LOWER" },
  { label: "pvalid", autoPad: "VALID" },
];

/**
 * Greedy pairwise covering: for each primary row, picks the secondary combination that covers
 * the most value pairs not yet covered. Ties go first to the combination with the fewest
 * "heavy" factors (those not in `rotate`, e.g. batch 3) away from their first value, then to the
 * least-used combination of the rotating factors — so once every pair is covered, dilation,
 * groups and bias keep rotating while the size-multiplying batch stays at 1. Deterministic.
 *
 * @param primaryRows The full product of the primary factors, as value indices.
 * @param secondarySizes Number of values of each secondary factor.
 * @param rotate Per secondary factor: whether its values should rotate once pairs are covered.
 * @returns One secondary combination (value indices) per primary row.
 */
export function coverPairs(
  primaryRows: number[][],
  secondarySizes: number[],
  rotate: boolean[] = secondarySizes.map(() => true),
): number[][] {
  const primaryCount = primaryRows[0]?.length ?? 0;
  const covered = new Set<string>();
  const combos: number[][] = [[]];
  for (const size of secondarySizes) {
    const next: number[][] = [];
    for (const c of combos) for (let v = 0; v < size; v++) next.push([...c, v]);
    combos.splice(0, combos.length, ...next);
  }
  const pairsOf = (row: number[]): string[] => {
    const out: string[] = [];
    for (let a = 0; a < row.length; a++) {
      for (let b = Math.max(a + 1, primaryCount); b < row.length; b++) {
        out.push(`${a}:${row[a]}|${b}:${row[b]}`);
      }
    }
    return out;
  };
  const heavy = combos.map((c) => c.filter((v, i) => !rotate[i] && v > 0).length);
  const rotating = combos.map((c) => c.map((v, i) => (rotate[i] ? v : "")).join(","));
  const used = new Map<string, number>();
  const result: number[][] = [];
  for (const primary of primaryRows) {
    let best = 0, bestGain = -1;
    for (let c = 0; c < combos.length; c++) {
      const gain = pairsOf([...primary, ...combos[c]]).filter((p) => !covered.has(p)).length;
      const better = gain > bestGain ||
        (gain === bestGain && (heavy[c] < heavy[best] ||
          (heavy[c] === heavy[best] &&
            (used.get(rotating[c]) ?? 0) < (used.get(rotating[best]) ?? 0))));
      if (better) {
        best = c;
        bestGain = gain;
      }
    }
    for (const p of pairsOf([...primary, ...combos[best]])) covered.add(p);
    used.set(rotating[best], (used.get(rotating[best]) ?? 0) + 1);
    result.push(combos[best]);
  }
  return result;
}

/** Cartesian product of index ranges. */
function product(sizes: number[]): number[][] {
  let rows: number[][] = [[]];
  for (const size of sizes) {
    const next: number[][] = [];
    for (const r of rows) for (let v = 0; v < size; v++) next.push([...r, v]);
    rows = next;
  }
  return rows;
}

/**
 * Input extent per axis: the smallest multiple of the stride that holds `minimum` ("divides"), or
 * one more than that when the stride is > 1 ("does not divide"; with stride 1 every size divides,
 * so that choice just gives a different size).
 */
function inputSize(minimum: number, stride: number, divides: boolean): number {
  const n = stride * Math.ceil(Math.max(minimum, 3) / stride);
  return divides ? n : n + 1;
}

// ---------------------------------------------------------------------------------------------
// Convolution and transposed convolution

const CONV_KERNELS: Record<number, number[][]> = {
  1: [[1], [2], [3], [5]],
  2: [[1, 1], [2, 2], [3, 3], [5, 5], [3, 2], [1, 4]],
  3: [[1, 1, 1], [2, 2, 2], [3, 3, 3], [3, 2, 1]],
};
const CONV_STRIDES: Record<number, number[][]> = {
  1: [[1], [2], [3]],
  2: [[1, 1], [2, 2], [3, 3], [2, 1]],
  3: [[1, 1, 1], [2, 2, 2], [2, 1, 3]],
};
const CONV_DILATIONS: Record<number, number[][]> = {
  1: [[1], [2]],
  2: [[1, 1], [2, 2], [1, 2]],
  3: [[1, 1, 1], [2, 2, 2], [1, 2, 1]],
};
/**
 * Channel layouts: groups 1, groups 2, depthwise (groups = Cin = 3, channel multiplier 2). 3-D
 * cases use fewer channels for groups 1 and 2 so the goldens stay small.
 */
const CONV_GROUPS = [
  { label: "g1", cin: 3, cout: 4, groups: 1 },
  { label: "g2", cin: 4, cout: 6, groups: 2 },
  { label: "dw", cin: 3, cout: 6, groups: 3 },
];
const CONV_GROUPS_3D = [
  { label: "g1", cin: 2, cout: 3, groups: 1 },
  { label: "g2", cin: 2, cout: 4, groups: 2 },
  { label: "dw", cin: 3, cout: 6, groups: 3 },
];

function convCases(transposed: boolean): GridCase[] {
  const cases: GridCase[] = [];
  for (const rank of [1, 2, 3]) {
    const kernels = CONV_KERNELS[rank], strides = CONV_STRIDES[rank];
    const dilations = CONV_DILATIONS[rank];
    const primary = product([kernels.length, strides.length, PADS.length, 2]);
    // Secondary: dilation, groups, bias, batch (+ output padding for the transposed op).
    const secondarySizes = [dilations.length, CONV_GROUPS.length, 2, 2];
    if (transposed) secondarySizes.push(2);
    // Batch (index 3) is heavy: 3 only where a pair needs it.
    const secondary = coverPairs(primary, secondarySizes, secondarySizes.map((_, i) => i !== 3));
    primary.forEach(([ki, si, pi, divi], row) => {
      const [di, gi, bi, ni, opi] = secondary[row];
      const kernel = kernels[ki], stride = strides[si], dilation = dilations[di];
      const pad = PADS[pi],
        g = (rank === 3 ? CONV_GROUPS_3D : CONV_GROUPS)[gi],
        bias = bi === 0,
        batch = ni === 0 ? 1 : 3;
      const divides = divi === 0;
      const effective = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
      // Transposed: output padding 1 where ONNX/PyTorch allow it (< stride or dilation).
      const outputPadding = transposed
        ? stride.map((s, i) => (opi === 1 && Math.max(s, dilation[i]) > 1 ? 1 : 0))
        : [];
      // Transposed: the input must be long enough that the output survives the pads:
      // stride·(in − 1) + effective − padBegin − padEnd ≥ 1.
      const totalPad = (i: number): number => {
        const p = pad.pads?.(rank);
        return p ? p[i] + p[i + rank] : 0;
      };
      const spatial = transposed
        ? stride.map((s, i) =>
          inputSize(Math.max(3, Math.ceil((totalPad(i) + 1 - effective[i]) / s) + 1), s, divides)
        )
        : stride.map((s, i) => inputSize(effective[i] + 1, s, divides));
      const family = `${transposed ? "convtranspose" : "conv"}${rank}d`;
      const opLabel = transposed && outputPadding.some((v) => v > 0)
        ? `_op${dims(outputPadding)}`
        : "";
      const name = `${family}_k${dims(kernel)}_s${dims(stride)}_${pad.label}_d${dims(dilation)}` +
        `_${g.label}_${bias ? "b" : "nb"}${opLabel}_n${batch}_x${dims(spatial)}`;
      const attributes: Record<string, AttributeValue> = {
        kernel_shape: kernel,
        strides: stride,
        dilations: dilation,
        group: g.groups,
      };
      if (pad.autoPad) attributes.auto_pad = pad.autoPad;
      else attributes.pads = pad.pads!(rank);
      if (transposed && outputPadding.some((v) => v > 0)) {
        attributes.output_padding = outputPadding;
      }
      const weightShape = transposed
        ? [g.cin, g.cout / g.groups, ...kernel]
        : [g.cout, g.cin / g.groups, ...kernel];
      const inputs: TensorSpec[] = [
        { name: "X", shape: [batch, g.cin, ...spatial], fill: { kind: "normal" } },
        { name: "W", shape: weightShape, fill: { kind: "normal" } },
      ];
      if (bias) inputs.push({ name: "B", shape: [g.cout], fill: { kind: "normal" } });
      cases.push({
        name,
        family,
        op: transposed ? "ConvTranspose" : "Conv",
        attributes,
        inputs,
        seed: seedOf(name),
        params: {
          kernel: dims(kernel),
          stride: dims(stride),
          padding: pad.label.slice(1),
          dilation: dims(dilation),
          groups: g.label,
          bias: bias ? "yes" : "no",
          batch: String(batch),
          input: divides ? "divisible" : "not divisible",
        },
      });
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Pooling

const POOL_KERNELS: Record<number, number[][]> = {
  1: [[1], [2], [3], [4]],
  2: [[2, 2], [3, 3], [3, 2], [1, 2]],
  3: [[2, 2, 2], [3, 3, 3], [1, 2, 3]],
};
const POOL_STRIDES: Record<number, (kernel: number[]) => number[][]> = {
  // Stride = kernel (the default), 1 (overlapping), 2, and a mixed one.
  1: (k) => [k, [1], [2], [3]],
  2: (k) => [k, [1, 1], [2, 2], [2, 1]],
  3: (k) => [k, [1, 1, 1], [2, 1, 2]],
};
const POOL_PADS = PADS.filter((p) => p.label !== "p2");

function poolCases(op: "MaxPool" | "AveragePool"): GridCase[] {
  const cases: GridCase[] = [];
  const short = op === "MaxPool" ? "maxpool" : "avgpool";
  for (const rank of [1, 2, 3]) {
    const kernels = POOL_KERNELS[rank];
    const strideCount = POOL_STRIDES[rank]([]).length;
    const primary = product([kernels.length, strideCount, POOL_PADS.length, 2, 2]);
    // Secondary: dilation (max) or count_include_pad (average), and batch.
    const secondary = coverPairs(primary, [2, 2], [true, false]);
    primary.forEach(([ki, si, pi, ci, divi], row) => {
      const [xi, ni] = secondary[row];
      const kernel = kernels[ki], stride = POOL_STRIDES[rank](kernel)[si];
      const pad = POOL_PADS[pi], ceil = ci === 1, divides = divi === 0;
      const batch = ni === 0 ? 1 : 3;
      const dilation = op === "MaxPool" && xi === 1 ? fill(rank, 2) : fill(rank, 1);
      const countIncludePad = op === "AveragePool" && xi === 1 ? 1 : 0;
      const effective = kernel.map((k, i) => dilation[i] * (k - 1) + 1);
      let pads = pad.pads?.(rank);
      // Pooling pads must stay below the effective kernel (our rule; ONNX Runtime's is stricter,
      // below the undilated kernel, and refuses the rest): clamp each pad so the grid point stays
      // valid, and name what is used.
      if (pads) pads = pads.map((p, i) => Math.min(p, effective[i % rank] - 1));
      // SAME pads are computed by the runtime; ceil mode only changes explicit-padding cases.
      if (pad.autoPad && ceil) return;
      const spatial = stride.map((s, i) => inputSize(effective[i] + 1, s, divides));
      const padLabel = pads
        ? (pads.every((p) => p === pads![0]) ? `p${pads[0]}` : `p${pads.join("-")}`)
        : pad.label;
      const family = `${short}${rank}d`;
      const extra = op === "MaxPool" ? `_d${dims(dilation)}` : countIncludePad ? "_incpad" : "";
      const name = `${family}_k${dims(kernel)}_s${dims(stride)}_${padLabel}${ceil ? "_ceil" : ""}` +
        `${extra}_n${batch}_x${dims(spatial)}`;
      if (cases.some((c) => c.name === name)) return; // clamped pads can collide
      const attributes: Record<string, AttributeValue> = { kernel_shape: kernel, strides: stride };
      if (pad.autoPad) attributes.auto_pad = pad.autoPad;
      else attributes.pads = pads!;
      if (ceil) attributes.ceil_mode = 1;
      if (op === "MaxPool") attributes.dilations = dilation;
      else attributes.count_include_pad = countIncludePad;
      cases.push({
        name,
        family,
        op,
        attributes,
        inputs: [{
          name: "X",
          shape: [batch, 2, ...spatial],
          fill: op === "MaxPool" ? { kind: "permutation" } : { kind: "normal" },
        }],
        seed: seedOf(name),
        params: {
          kernel: dims(kernel),
          stride: dims(stride),
          padding: padLabel.slice(1),
          ceil: ceil ? "yes" : "no",
          ...(op === "MaxPool"
            ? { dilation: dims(dilation) }
            : { countIncludePad: String(countIncludePad) }),
          batch: String(batch),
          input: divides ? "divisible" : "not divisible",
        },
      });
    });
  }
  return cases;
}

function globalPoolCases(): GridCase[] {
  const cases: GridCase[] = [];
  for (const op of ["GlobalAveragePool", "GlobalMaxPool"]) {
    for (const spatial of [[5], [3, 4], [2, 3, 2]]) {
      const family = `${
        op === "GlobalMaxPool" ? "globalmaxpool" : "globalavgpool"
      }${spatial.length}d`;
      const name = `${family}_n2_x${dims(spatial)}`;
      cases.push({
        name,
        family,
        op,
        attributes: {},
        inputs: [{
          name: "X",
          shape: [2, 3, ...spatial],
          fill: op === "GlobalMaxPool" ? { kind: "permutation" } : { kind: "normal" },
        }],
        seed: seedOf(name),
        params: { input: dims(spatial) },
      });
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Dense layers, activations, softmax, losses, batch norm

function denseCases(): GridCase[] {
  const cases: GridCase[] = [];
  const add = (c: Omit<GridCase, "seed">): void => {
    cases.push({ ...c, seed: seedOf(c.name) });
  };
  // Linear = Gemm(X, W, B) with transB = 1 (W is [out, in] like PyTorch).
  for (
    const [n, i, o, bias] of [[1, 5, 3, true], [4, 7, 2, true], [3, 16, 10, false], [
      2,
      256,
      120,
      true,
    ]] as const
  ) {
    add({
      name: `linear_n${n}_in${i}_out${o}_${bias ? "b" : "nb"}`,
      family: "linear",
      op: "Gemm",
      attributes: { transB: 1 },
      inputs: [
        { name: "A", shape: [n, i], fill: { kind: "normal" } },
        { name: "B", shape: [o, i], fill: { kind: "normal" } },
        ...(bias ? [{ name: "C", shape: [o], fill: { kind: "normal" } } as TensorSpec] : []),
      ],
      params: { shape: `${n}x${i}->${o}`, bias: bias ? "yes" : "no" },
    });
  }
  // Elementwise activations on [2, 3, 4, 5] normal values scaled to reach the tails.
  const activations: [string, string, Record<string, AttributeValue>, string[]][] = [
    ["relu", "Relu", {}, []],
    ["leakyrelu", "LeakyRelu", { alpha: 0.01 }, ["alpha"]],
    ["leakyrelu_a0.2", "LeakyRelu", { alpha: 0.2 }, ["alpha"]],
    ["sigmoid", "Sigmoid", {}, []],
    ["tanh", "Tanh", {}, []],
  ];
  for (const [label, op, attributes, floats] of activations) {
    for (const shape of [[7], [2, 3, 4, 5]]) {
      add({
        name: `${label}_x${dims(shape)}`,
        family: label.split("_")[0],
        op,
        attributes,
        floatAttributes: floats,
        inputs: [{ name: "X", shape, fill: { kind: "uniform", low: -4, high: 4 } }],
        params: { shape: dims(shape) },
      });
    }
  }
  // Softmax / LogSoftmax along each axis, and a stability case with |x| ~ 1e3.
  for (const op of ["Softmax", "LogSoftmax"]) {
    const family = op.toLowerCase();
    for (const axis of [-1, 0, 1, 2]) {
      add({
        name: `${family}_axis${axis}_x2x3x4`,
        family,
        op,
        attributes: { axis },
        inputs: [{ name: "X", shape: [2, 3, 4], fill: { kind: "normal" } }],
        params: { axis: String(axis) },
      });
    }
    add({
      name: `${family}_large_values_x2x3`,
      family,
      op,
      attributes: { axis: -1 },
      inputs: [{
        name: "X",
        shape: [2, 3],
        fill: { kind: "values", values: [1000, 1001, 1002, -1000, -1001, -1002] },
      }],
      params: { axis: "-1 (|x|~1e3)" },
    });
  }
  // Losses: SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss over reductions, class weights,
  // ignore_index and spatial dims.
  for (const op of ["SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"]) {
    const family = op === "SoftmaxCrossEntropyLoss" ? "crossentropy" : "nllloss";
    for (const reduction of ["mean", "sum", "none"]) {
      for (const weighted of [false, true]) {
        for (
          const [shape, ignore] of [[[4, 5], undefined], [[3, 4, 2, 3], -1], [[5, 3], 1]] as const
        ) {
          const n = shape[0], c = shape[1], rest = shape.slice(2);
          const name = `${family}_${reduction}${weighted ? "_weighted" : ""}` +
            `${ignore !== undefined ? `_ignore${ignore}` : ""}_x${dims([...shape])}`;
          const attributes: Record<string, AttributeValue> = { reduction };
          if (ignore !== undefined) attributes.ignore_index = ignore;
          add({
            name,
            family,
            op,
            attributes,
            inputs: [
              {
                name: "X",
                shape: [...shape],
                fill: family === "nllloss"
                  ? { kind: "uniform", low: -3, high: 0 }
                  : { kind: "normal" },
              },
              {
                name: "T",
                shape: [n, ...rest],
                dtype: "int64",
                fill: { kind: "labels", classes: c, ...(ignore !== undefined ? { ignore } : {}) },
              },
              ...(weighted
                ? [
                  {
                    name: "W",
                    shape: [c],
                    fill: { kind: "uniform", low: 0.5, high: 2 },
                  } as TensorSpec,
                ]
                : []),
            ],
            params: {
              reduction,
              weights: weighted ? "yes" : "no",
              ignore: ignore === undefined ? "none" : String(ignore),
            },
          });
        }
      }
    }
  }
  // Batch normalization, inference form (training-mode batch statistics are checked against
  // PyTorch only, in the training golden).
  for (const shape of [[2, 3], [2, 3, 5], [3, 4, 3, 3], [2, 2, 2, 3, 2]]) {
    const c = shape[1];
    add({
      name: `batchnorm_eval_x${dims(shape)}`,
      family: "batchnorm",
      op: "BatchNormalization",
      attributes: { epsilon: 1e-5 },
      floatAttributes: ["epsilon"],
      inputs: [
        { name: "X", shape, fill: { kind: "normal" } },
        { name: "scale", shape: [c], fill: { kind: "normal" } },
        { name: "B", shape: [c], fill: { kind: "normal" } },
        { name: "input_mean", shape: [c], fill: { kind: "normal" } },
        { name: "input_var", shape: [c], fill: { kind: "uniform", low: 0.5, high: 1.5 } },
      ],
      params: { rank: String(shape.length) },
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// The operators torchvision's CNNs export besides convolution and pooling: Clip (ReLU6), the
// hard activations, reductions (the classifier's mean over H and W), Gather (channel shuffle),
// Split and Expand. All at GRID_OPSET: Clip's bounds, ReduceSum's axes and Split's sizes are
// inputs (ReduceMean-13 still takes its axes as an attribute); the other opset forms are unit
// tests of onnx/_ops.

function cnnOpCases(): GridCase[] {
  const cases: GridCase[] = [];
  const add = (c: Omit<GridCase, "seed">): void => {
    cases.push({ ...c, seed: seedOf(c.name) });
  };
  const scalar = (name: string, v: number): TensorSpec => ({
    name,
    shape: [],
    fill: { kind: "values", values: [v] },
  });
  const ints = (name: string, values: number[], shape = [values.length]): TensorSpec => ({
    name,
    shape,
    dtype: "int64",
    fill: { kind: "values", values },
  });
  const spread: Fill = { kind: "uniform", low: -8, high: 8 };
  // Exact kinks and bounds, then values on both sides: the gradient rules at the kinks.
  const kinks = [-8, -6, -3, -1, -0.5, 0, 0.5, 1, 2.5, 3, 5.5, 6, 6.5, 9, -2.75, 2.75];
  // Clip: ReLU6, hardtanh's default [-1, 1], a lower bound only, crossed bounds (all = max).
  const clips: [string, number | undefined, number | undefined, Fill, number[]][] = [
    ["min0_max6", 0, 6, spread, [2, 3, 4, 5]],
    ["min0_max6_at_bounds", 0, 6, { kind: "values", values: kinks }, [16]],
    ["min-1_max1", -1, 1, spread, [7]],
    ["min0", 0, undefined, spread, [3, 5]],
    ["min3_max1_crossed", 3, 1, spread, [2, 5]],
  ];
  for (const [label, lo, hi, fill, shape] of clips) {
    add({
      name: `clip_${label}_x${dims(shape)}`,
      family: "clip",
      op: "Clip",
      attributes: {},
      inputs: [
        { name: "X", shape, fill },
        ...(lo !== undefined ? [scalar("min", lo)] : []),
        ...(hi !== undefined ? [scalar("max", hi)] : []),
      ],
      params: {
        bounds: `${lo ?? "-inf"}..${hi ?? "inf"}`,
        input: label.endsWith("bounds") ? "at bounds" : "uniform",
      },
    });
  }
  // HardSigmoid: ONNX's defaults, PyTorch's export (alpha = 1/6), another slope; HardSwish.
  const hard: [string, string, Record<string, AttributeValue>, Fill, number[]][] = [
    ["hardsigmoid_a0.2_b0.5", "HardSigmoid", { alpha: 0.2, beta: 0.5 }, spread, [2, 3, 4, 5]],
    ["hardsigmoid_torch", "HardSigmoid", { alpha: 1 / 6, beta: 0.5 }, spread, [2, 3, 4, 5]],
    ["hardsigmoid_torch_at_kinks", "HardSigmoid", { alpha: 1 / 6, beta: 0.5 }, {
      kind: "values",
      values: kinks,
    }, [16]],
    ["hardsigmoid_a0.5_b0.3", "HardSigmoid", { alpha: 0.5, beta: 0.3 }, spread, [7]],
    ["hardswish", "HardSwish", {}, spread, [2, 3, 4, 5]],
    ["hardswish_at_kinks", "HardSwish", {}, { kind: "values", values: kinks }, [16]],
  ];
  for (const [label, op, attributes, fill, shape] of hard) {
    add({
      name: `${label}_x${dims(shape)}`,
      family: op.toLowerCase(),
      op,
      attributes,
      floatAttributes: Object.keys(attributes),
      inputs: [{ name: "X", shape, fill }],
      params: { variant: label.split("_").slice(1).join("_") || "default" },
    });
  }
  // Reductions over [2, 3, 4, 5]: one axis kept, two dropped, a negative axis, every axis,
  // and ReduceSum's noop_with_empty_axes.
  const x4 = [2, 3, 4, 5];
  const reductions: [string, number[] | undefined, number, number][] = [
    ["axes1_keep", [1], 1, 0],
    ["axes2_3_nokeep", [2, 3], 0, 0],
    ["axes-1_keep", [-1], 1, 0],
    ["axes0_-2_nokeep", [0, -2], 0, 0],
    ["all_keep", undefined, 1, 0],
  ];
  for (const op of ["ReduceSum", "ReduceMean"]) {
    const family = op.toLowerCase();
    for (const [label, axes, keepdims] of reductions) {
      const asInput = op === "ReduceSum";
      add({
        name: `${family}_${label}_x${dims(x4)}`,
        family,
        op,
        attributes: { keepdims, ...(!asInput && axes ? { axes } : {}) },
        inputs: [
          { name: "X", shape: x4, fill: { kind: "normal" } },
          ...(asInput && axes ? [ints("axes", axes)] : []),
        ],
        params: { axes: axes ? `[${axes}]` : "all", keepdims: String(keepdims) },
      });
    }
  }
  add({
    name: `reducesum_noop_empty_axes_x${dims(x4)}`,
    family: "reducesum",
    op: "ReduceSum",
    attributes: { keepdims: 1, noop_with_empty_axes: 1 },
    inputs: [{ name: "X", shape: x4, fill: { kind: "normal" } }],
    params: { axes: "none (noop)", keepdims: "1" },
  });
  // Gather: each axis, negative and repeated indices, a scalar index, the channel-shuffle form.
  const gathers: [string, number, number[], number[]][] = [
    ["axis0_i2", 0, [2, 0], [2]],
    ["axis1_i2x2_neg_repeat", 1, [-1, 0, 1, 1], [2, 2]],
    ["axis2_scalar", 2, [3], []],
    ["axis-1_i3", -1, [4, -5, 2], [3]],
  ];
  for (const [label, axis, values, shape] of gathers) {
    add({
      name: `gather_${label}_x3x4x5`,
      family: "gather",
      op: "Gather",
      attributes: { axis },
      inputs: [
        { name: "X", shape: [3, 4, 5], fill: { kind: "normal" } },
        ints("indices", values, shape),
      ],
      params: { axis: String(axis), indices: `[${shape}]` },
    });
  }
  // Split: equal parts, given sizes along a negative axis, a zero-size part.
  const splits: [string, number, number[] | undefined, number, number[]][] = [
    ["equal3_axis1", 1, undefined, 3, [2, 6, 3]],
    ["sizes1_3_2_axis-1", -1, [1, 3, 2], 3, [2, 3, 6]],
    ["sizes2_0_2_axis0", 0, [2, 0, 2], 3, [4, 3]],
  ];
  for (const [label, axis, sizes, outputs, shape] of splits) {
    add({
      name: `split_${label}_x${dims(shape)}`,
      family: "split",
      op: "Split",
      attributes: { axis },
      inputs: [
        { name: "X", shape, fill: { kind: "normal" } },
        ...(sizes ? [ints("split", sizes)] : []),
      ],
      outputs,
      params: { axis: String(axis), split: sizes ? `[${sizes}]` : "equal" },
    });
  }
  // Expand: new leading axes, size-1 axes broadcast, a 1 in the shape that keeps the input size.
  const expands: [number[], number[]][] = [[[3, 1], [2, 1, 4]], [[2, 1, 3], [2, 2, 4, 3]], [[4], [
    3,
    1,
  ]]];
  for (const [shape, target] of expands) {
    add({
      name: `expand_x${dims(shape)}_to${dims(target)}`,
      family: "expand",
      op: "Expand",
      attributes: {},
      inputs: [{ name: "X", shape, fill: { kind: "normal" } }, ints("shape", target)],
      params: { shape: `${dims(shape)}->${dims(target)}` },
    });
  }
  // BatchNormalization in training mode with its three outputs (ONNX Runtime requires them): Y and
  // running_mean are PyTorch's; running_var is the ONNX spec's, from the biased batch variance
  // (PyTorch's buffer uses the unbiased one, see onnx/_ops/batch_norm.ts).
  const bnTrain: [string, number[], string | undefined][] = [
    ["batchnorm_train_x2x3x4x5", [2, 3, 4, 5], undefined],
    ["batchnorm_train_x6x4", [6, 4], undefined],
    [
      "pitfall_batchnorm_train_few_per_channel_x2x4x2x2",
      [2, 4, 2, 2],
      "BatchNormalization in training mode over few elements per channel",
    ],
  ];
  for (const [name, shape, pitfall] of bnTrain) {
    const c = shape[1];
    add({
      name,
      family: "batchnorm",
      op: "BatchNormalization",
      attributes: { epsilon: 1e-5, momentum: 0.9, training_mode: 1 },
      floatAttributes: ["epsilon", "momentum"],
      inputs: [
        { name: "X", shape, fill: { kind: "normal" } },
        { name: "scale", shape: [c], fill: { kind: "uniform", low: 0.5, high: 1.5 } },
        { name: "B", shape: [c], fill: { kind: "normal" } },
        { name: "input_mean", shape: [c], fill: { kind: "normal" } },
        { name: "input_var", shape: [c], fill: { kind: "uniform", low: 0.5, high: 1.5 } },
      ],
      outputs: 3,
      ...(pitfall ? { pitfall } : {}),
      params: { rank: String(shape.length), mode: "training" },
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Named cases from shared/PITFALLS.md

function pitfallCases(): GridCase[] {
  const cases: GridCase[] = [];
  const add = (c: Omit<GridCase, "seed">): void => {
    cases.push({ ...c, seed: seedOf(c.name) });
  };
  const convX = (
    name: string,
    pitfall: string,
    attributes: Record<string, AttributeValue>,
    x: number[],
    w: number[],
    bias = false,
    op = "Conv",
  ): void => {
    add({
      name: `pitfall_${name}`,
      family: op === "Conv" ? `conv${x.length - 2}d` : `convtranspose${x.length - 2}d`,
      op,
      attributes,
      inputs: [
        { name: "X", shape: x, fill: { kind: "normal" } },
        { name: "W", shape: w, fill: { kind: "normal" } },
        ...(bias
          ? [
            {
              name: "B",
              shape: [op === "Conv" ? w[0] : w[1] * ((attributes.group as number) ?? 1)],
              fill: { kind: "normal" },
            } as TensorSpec,
          ]
          : []),
      ],
      pitfall,
      params: { pitfall: name },
    });
  };
  const poolX = (
    name: string,
    pitfall: string,
    op: string,
    attributes: Record<string, AttributeValue>,
    shape: number[],
    values?: number[],
  ): void => {
    add({
      name: `pitfall_${name}`,
      family: `${op === "MaxPool" ? "maxpool" : "avgpool"}${shape.length - 2}d`,
      op,
      attributes,
      inputs: [{
        name: "X",
        shape,
        fill: values
          ? { kind: "values", values }
          : op === "MaxPool"
          ? { kind: "permutation" }
          : { kind: "normal" },
      }],
      pitfall,
      params: { pitfall: name },
    });
  };
  // SAME with odd total padding: even kernel, stride 2, odd and even inputs, both modes.
  for (const mode of ["SAME_UPPER", "SAME_LOWER"]) {
    for (const n of [7, 8]) {
      convX(
        `same_odd_total_${mode.toLowerCase()}_k2_s2_x${n}`,
        "SAME padding with an odd total",
        { kernel_shape: [2, 2], strides: [2, 2], auto_pad: mode },
        [1, 2, n, n],
        [3, 2, 2, 2],
      );
    }
  }
  // SAME with stride larger than the kernel: total pad clamps at 0.
  for (const s of [2, 3]) {
    for (const n of [4, 19, 20]) {
      convX(
        `same_stride_gt_kernel_k1_s${s}_x${n}`,
        "SAME with stride larger than kernel",
        { kernel_shape: [1], strides: [s], auto_pad: "SAME_UPPER" },
        [1, 2, n],
        [2, 2, 1],
      );
    }
  }
  // Stride larger than the input with SAME.
  convX(
    "same_stride_gt_input_k3_s5_x3",
    "Stride larger than the input with SAME",
    { kernel_shape: [3, 3], strides: [5, 5], auto_pad: "SAME_UPPER" },
    [1, 2, 3, 3],
    [2, 2, 3, 3],
    true,
  );
  // Dilated SAME: the effective kernel enters the pad computation.
  convX(
    "same_dilated_k3_d2_x7",
    "Dilated SAME",
    { kernel_shape: [3, 3], dilations: [2, 2], auto_pad: "SAME_UPPER" },
    [1, 2, 7, 7],
    [2, 2, 3, 3],
  );
  convX(
    "same_dilated_explicit_k3_d2_x7",
    "Dilated SAME (explicit pads)",
    { kernel_shape: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] },
    [1, 2, 7, 7],
    [2, 2, 3, 3],
  );
  // Strides that do not divide the input; rectangular kernels.
  for (const s of [2, 3]) {
    convX(
      `stride_not_dividing_k3_s${s}_x7`,
      "Strides that do not divide the input",
      { kernel_shape: [3, 3], strides: [s, s] },
      [2, 2, 7, 7],
      [3, 2, 3, 3],
      true,
    );
    convX(
      `stride_not_dividing_k3x2_s${s}_x7`,
      "Strides that do not divide the input",
      { kernel_shape: [3, 2], strides: [s, s] },
      [1, 2, 7, 7],
      [3, 2, 3, 2],
    );
  }
  // Full convolution and beyond.
  convX(
    "full_padding_k3_p2_x4",
    "Padding as large as the kernel minus one",
    { kernel_shape: [3, 3], pads: [2, 2, 2, 2] },
    [1, 2, 4, 4],
    [2, 2, 3, 3],
    true,
  );
  convX(
    "beyond_full_padding_k3_p4_x4",
    "Padding beyond the kernel",
    { kernel_shape: [3, 3], pads: [4, 4, 4, 4] },
    [1, 2, 4, 4],
    [2, 2, 3, 3],
  );
  // Grouped and depthwise weight gradients with stride > 1, C not a power of two.
  convX(
    "grouped_stride2_pad1_g2_c6",
    "Grouped weight gradients with stride > 1",
    { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], group: 2 },
    [2, 6, 9, 9],
    [6, 3, 3, 3],
    true,
  );
  convX(
    "depthwise_stride2_pad1_g6_c6",
    "Depthwise weight gradients with stride > 1",
    { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], group: 6 },
    [2, 6, 9, 9],
    [6, 1, 3, 3],
    true,
  );
  convX(
    "depthwise_stride2_pad1_g24_c24",
    "pytorch #50042: groups=24, stride 2, pad 1",
    { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], group: 24 },
    [1, 24, 7, 7],
    [24, 1, 3, 3],
  );
  // Transposed output size: output_padding and dilation together; explicit output shape.
  convX(
    "convtranspose_s2_p1_op1_d2",
    "Transposed output size: output_padding and dilation",
    {
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
      output_padding: [1, 1],
      dilations: [2, 2],
    },
    [1, 2, 4, 4],
    [2, 3, 3, 3],
    true,
    "ConvTranspose",
  );
  convX(
    "convtranspose_output_shape_odd_total_s2_k3_x3_out6",
    "Transposed output size: explicit output shape",
    { kernel_shape: [3, 3], strides: [2, 2], output_shape: [6, 6] },
    [1, 2, 3, 3],
    [2, 3, 3, 3],
    true,
    "ConvTranspose",
  );
  convX(
    "convtranspose_output_shape_s2_k3_x3_out8",
    "Transposed output size: explicit output shape",
    { kernel_shape: [3, 3], strides: [2, 2], output_shape: [8, 8] },
    [1, 2, 3, 3],
    [2, 3, 3, 3],
    false,
    "ConvTranspose",
  );
  // float32 error growth: a kernel as large as the input; large Cin.
  convX(
    "kernel_as_large_as_input_k9_x9",
    "float32 error grows with the reduction length",
    { kernel_shape: [9, 9] },
    [1, 8, 9, 9],
    [4, 8, 9, 9],
  );
  convX(
    "large_cin_256_k3",
    "float32 error grows with the reduction length",
    { kernel_shape: [3, 3], pads: [1, 1, 1, 1] },
    [1, 256, 4, 4],
    [2, 256, 3, 3],
  );
  // Pooling: ceil mode shrink.
  poolX("ceil_last_window_x5_k2_s2_p1", "ceil_mode: last window must start inside", "MaxPool", {
    kernel_shape: [2],
    strides: [2],
    pads: [1, 1],
    ceil_mode: 1,
  }, [1, 1, 5]);
  poolX("ceil_last_window_x9_k4_s4_p2", "ceil_mode: last window must start inside", "MaxPool", {
    kernel_shape: [4],
    strides: [4],
    pads: [2, 2],
    ceil_mode: 1,
  }, [1, 1, 9]);
  poolX("ceil_kernel_lt_stride_x5_k1_s3", "ceil_mode with kernel < stride", "MaxPool", {
    kernel_shape: [1],
    strides: [3],
    ceil_mode: 1,
  }, [1, 1, 5]);
  poolX(
    "avg_ceil_include_pad_1to5_k2_s2",
    "count_include_pad with ceil_mode",
    "AveragePool",
    { kernel_shape: [2], strides: [2], ceil_mode: 1, count_include_pad: 1 },
    [1, 1, 5],
    [1, 2, 3, 4, 5],
  );
  poolX(
    "avg_ceil_include_pad_6x6_k3_s2_p1",
    "count_include_pad with ceil_mode",
    "AveragePool",
    {
      kernel_shape: [3, 3],
      strides: [2, 2],
      pads: [1, 1, 1, 1],
      ceil_mode: 1,
      count_include_pad: 1,
    },
    [1, 1, 6, 6],
    Array.from({ length: 36 }, () => 1),
  );
  // Dilated max pool.
  poolX(
    "dilated_maxpool_1d_k2_p1_d2",
    "Dilated max pool",
    "MaxPool",
    { kernel_shape: [2], pads: [1, 1], dilations: [2], strides: [1] },
    [1, 1, 9],
    [1, 9, 2, 8, 3, 7, 4, 6, 5],
  );
  poolX("dilated_maxpool_2d_d2x1", "Dilated max pool, non-square dilation", "MaxPool", {
    kernel_shape: [2, 2],
    dilations: [2, 1],
    strides: [1, 1],
  }, [1, 2, 6, 6]);
  poolX("dilated_maxpool_2d_d1x2", "Dilated max pool, non-square dilation", "MaxPool", {
    kernel_shape: [2, 2],
    dilations: [1, 2],
    strides: [1, 1],
  }, [1, 2, 6, 6]);
  // Ties and NaN: separate, named cases.
  poolX(
    "maxpool_ties_crossed_2x2",
    "Max-pool gradient with ties",
    "MaxPool",
    { kernel_shape: [2, 2], strides: [2, 2] },
    [1, 1, 2, 2],
    [1, 5, 5, 1],
  );
  poolX(
    "maxpool_ties_all_equal",
    "Max-pool gradient with ties",
    "MaxPool",
    { kernel_shape: [2, 2], strides: [2, 2] },
    [1, 1, 4, 4],
    Array.from({ length: 16 }, () => 3),
  );
  poolX(
    "maxpool_ties_overlapping_k3_s1",
    "Max-pool gradient with ties",
    "MaxPool",
    { kernel_shape: [3, 3], strides: [1, 1] },
    [1, 1, 4, 4],
    [0, 1, 1, 0, 1, 2, 2, 1, 1, 2, 2, 1, 0, 1, 1, 0],
  );
  poolX(
    "maxpool3d_k1x2x3_gradient_position",
    "tfjs maxPool3d sends the gradient one cell off",
    "MaxPool",
    { kernel_shape: [1, 2, 3], strides: [1, 2, 3] },
    [1, 1, 2, 4, 6],
  );
  poolX(
    "maxpool_nan_window",
    "NaN in a max-pool window",
    "MaxPool",
    { kernel_shape: [2], strides: [2] },
    [1, 1, 4],
    [1, NaN, 3, 4],
  );
  // NaN inside planes wide enough for the SIMD kernel's vector paths (stride 1 and 2, with and
  // without padding): distinct values (37·i mod 128), NaN at every 13th element.
  const nanPlanes = Array.from({ length: 128 }, (_, i) => (i % 13 === 5 ? NaN : (37 * i) % 128));
  for (const [s, p] of [[1, 1], [2, 0]]) {
    poolX(
      `maxpool_nan_2d_k3_s${s}_p${p}`,
      "NaN in a max-pool window",
      "MaxPool",
      { kernel_shape: [3, 3], strides: [s, s], pads: [p, p, p, p] },
      [1, 2, 8, 8],
      nanPlanes,
    );
  }
  // Overlapping windows accumulate.
  for (const s of [1, 2]) {
    poolX(
      `overlapping_maxpool_k3_s${s}_p1`,
      "Overlapping windows must accumulate gradients",
      "MaxPool",
      { kernel_shape: [3, 3], strides: [s, s], pads: [1, 1, 1, 1] },
      [1, 2, 6, 6],
    );
    poolX(
      `overlapping_avgpool_k3_s${s}_p1`,
      "Overlapping windows must accumulate gradients",
      "AveragePool",
      { kernel_shape: [3, 3], strides: [s, s], pads: [1, 1, 1, 1] },
      [1, 2, 6, 6],
    );
  }
  return cases;
}

/**
 * Every golden case, in a fixed order.
 *
 * @returns The grid: convolution, transposed convolution, pooling, dense layers, activations,
 * softmax, losses, batch norm, the other CNN operators (Clip, hard activations, reductions,
 * Gather, Split, Expand) and the named PITFALLS cases.
 */
export function gridCases(): GridCase[] {
  return [
    ...convCases(false),
    ...convCases(true),
    ...poolCases("MaxPool"),
    ...poolCases("AveragePool"),
    ...globalPoolCases(),
    ...denseCases(),
    ...cnnOpCases(),
    ...pitfallCases(),
  ];
}
