// The ONNX Runtime source of the goldens: per grid case, the single-node model, the seeded
// inputs (conformance/fill.ts), ONNX Runtime's forward output, and gradients from the adjoint
// graphs of _golden_adjoint.ts; plus, for every tensor, the tolerance policy's reduction length n
// and magnitude A (the same computation on absolute values), which the cross-check and
// `--check` use for both sources.

import type { AttributeInput } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { singleNodeModel } from "../onnx/single_node.ts";
import { fillTensor, gradOutputValues } from "../conformance/fill.ts";
import { GRID_OPSET, type GridCase } from "../conformance/grid.ts";
import { _adjointPlan } from "./_golden_adjoint.ts";
import { _Session } from "./_golden_session.ts";

/** n and A of the tolerance policy for one tensor. */
export interface _TensorTolerance {
  /** Terms summed per element (0: elementwise). */
  n: number;
  /** The same computation on absolute values (absent when n is 0). */
  magnitude?: Float32Array;
}

/** What the ONNX Runtime source produced for one grid case. */
export interface _OrtCase {
  /** The grid entry. */
  case: GridCase;
  /** The seeded inputs, named as the graph inputs (shared with the PyTorch source). */
  inputs: OnnxTensor[];
  /** model.onnx: the single-node model, output shapes as ONNX Runtime produced them. */
  model?: Uint8Array;
  /** ONNX Runtime's forward outputs (absent when the forward failed: see `error`). */
  outputs?: OnnxTensor[];
  /** The upstream gradients (conformance/fill.ts gradOutputValues). */
  gradOutputs?: OnnxTensor[];
  /** Gradients by input index. */
  gradInputs: Map<number, OnnxTensor>;
  /** Tolerances by file stem: "output_0", "grad_input_1". */
  tolerances: Map<string, _TensorTolerance>;
  /** The manifest's backward text: the adjoint method or "none: <reason>". */
  backward: string;
  /** Why ONNX Runtime could not run the forward. */
  error?: string;
  /** Observations worth keeping in the manifest. */
  notes: string[];
}

/** The seeded inputs of a case: input i from the stream (seed + i) of conformance/fill.ts. */
export function _caseInputs(c: GridCase): OnnxTensor[] {
  return c.inputs.map((spec, i) => {
    const filled = fillTensor(spec, (c.seed + i) >>> 0);
    return new OnnxTensor(filled.data, spec.shape, { name: spec.name });
  });
}

/** Output names of a case, as both sources write them: Y, Y1, Y2, ... */
export function _outputNames(c: GridCase): string[] {
  return Array.from({ length: c.outputs ?? 1 }, (_, j) => (j === 0 ? "Y" : `Y${j}`));
}

/** The grid's attributes in the ONNX encoder's form (FLOAT where `floatAttributes` says). */
export function _attributes(c: GridCase): Record<string, AttributeInput> {
  const floats = new Set(c.floatAttributes ?? []);
  const out: Record<string, AttributeInput> = {};
  for (const [name, value] of Object.entries(c.attributes)) {
    if (floats.has(name)) {
      out[name] = Array.isArray(value)
        ? { type: "floats", value }
        : { type: "float", value: Number(value) };
    } else out[name] = value;
  }
  return out;
}

/** The single-node model of a case; output shapes when known. */
export function _caseModel(c: GridCase, outShapes?: readonly (readonly number[])[]): Uint8Array {
  return singleNodeModel({
    opType: c.op,
    name: c.name,
    opset: GRID_OPSET,
    attributes: _attributes(c),
    inputs: c.inputs.map((s) => ({ name: s.name, dtype: s.dtype ?? "float32", dims: s.shape })),
    outputs: _outputNames(c).map((name, j) => ({
      name,
      dtype: "float32",
      ...(outShapes ? { dims: outShapes[j] } : {}),
    })),
  });
}

const absolute = (t: OnnxTensor): OnnxTensor =>
  t.dtype === "float32"
    ? new OnnxTensor((t.data as Float32Array).map(Math.abs), t.dims, { name: t.name })
    : t;

const feedsOf = (tensors: readonly OnnxTensor[]): Record<string, OnnxTensor> =>
  Object.fromEntries(tensors.map((t) => [t.name!, t]));

/** Runs one case through ONNX Runtime: forward, magnitudes, adjoint, self-checks. */
export async function _runOrtCase(c: GridCase): Promise<_OrtCase> {
  const inputs = _caseInputs(c);
  const result: _OrtCase = {
    case: c,
    inputs,
    gradInputs: new Map(),
    tolerances: new Map(),
    backward: "none: the forward did not run",
    notes: [],
  };
  const names = _outputNames(c);
  let forward: _Session;
  try {
    forward = await _Session.create(_caseModel(c));
  } catch (error) {
    result.error = `ONNX Runtime rejects the model: ${firstLine(error)}`;
    return result;
  }
  try {
    let outputs: OnnxTensor[];
    try {
      const ys = await forward.run(feedsOf(inputs));
      outputs = names.map((name) => ys[name].withName(name));
    } catch (error) {
      result.error = `ONNX Runtime fails to run the node: ${firstLine(error)}`;
      return result;
    }
    result.outputs = outputs;
    result.model = _caseModel(c, outputs.map((y) => y.dims));
    result.gradOutputs = outputs.map((y, j) =>
      new OnnxTensor(gradOutputValues(y.dims, c.seed, j), y.dims, { name: `${y.name}_grad` })
    );
    const plan = _adjointPlan(c, outputs.map((y) => y.dims));
    result.tolerances.set("output_0", { n: plan.forwardN });
    if (plan.forwardN > 0 && (plan.kind === "none" || plan.forwardMagnitude === "abs-inputs")) {
      const ys = await forward.run(feedsOf(inputs.map(absolute)));
      result.tolerances.set("output_0", { n: plan.forwardN, magnitude: ys.Y.data as Float32Array });
    }
    if (plan.kind === "none" && plan.offSpec) {
      result.error = plan.reason;
      return result;
    }
    if (plan.kind === "none") {
      result.backward = `none: ${plan.reason}`;
      return result;
    }
    let adjoint: Record<string, OnnxTensor>;
    try {
      const session = await _Session.create(plan.model);
      try {
        const more = result.gradOutputs.slice(1).map((g, j) => [`dY${j + 1}`, g]);
        adjoint = await session.run({
          ...feedsOf(inputs),
          dY: result.gradOutputs[0],
          ...Object.fromEntries(more),
        });
      } finally {
        await session.release();
      }
    } catch (error) {
      result.backward = `none: ONNX Runtime fails on the adjoint graph: ${firstLine(error)}`;
      return result;
    }
    if (plan.forwardMagnitude === "graph") {
      result.tolerances.set("output_0", {
        n: plan.forwardN,
        magnitude: adjoint.mY.data as Float32Array,
      });
    }
    const problem = selfCheck(c, inputs, outputs[0], result.gradOutputs[0], adjoint, plan);
    if (problem) {
      result.backward = `none: the adjoint graph fails its self-check (${problem})`;
      return result;
    }
    for (const i of plan.grads) {
      const grad = adjoint[`dI${i}`];
      result.gradInputs.set(
        i,
        new OnnxTensor(grad.data, grad.dims, { name: `${c.inputs[i].name}_grad` }),
      );
      const n = plan.gradN[i] ?? 0;
      const magnitude = adjoint[`mI${i}`]?.data as Float32Array | undefined;
      result.tolerances.set(`grad_input_${i}`, n > 0 && magnitude ? { n, magnitude } : { n: 0 });
    }
    result.backward = plan.method;
    return result;
  } finally {
    await forward.release();
  }
}

function firstLine(error: unknown): string {
  let text = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  // Native exceptions carry a long C++ signature "... [with ...] <rule>": keep the rule.
  const rule = /\[with [^\]]*\] (.*)$/.exec(text);
  if (rule) text = `${text.slice(0, text.indexOf(":"))}: ${rule[1]}`;
  return text.slice(0, 300);
}

type Plan = Extract<ReturnType<typeof _adjointPlan>, { kind: "graph" }>;

/**
 * Identities every correct adjoint of ONNX Runtime's forward satisfies, checked in float64:
 * shapes equal the inputs'; MaxPool's Indices-variant values equal the forward's; Euler
 * (Σ dY·Y = Σ dI·I over a group of degree-1 inputs); shift invariance along softmax axes.
 * Tolerance 1e-3 of the summed magnitudes: a misplaced pad or group moves O(1) of it.
 */
function selfCheck(
  c: GridCase,
  inputs: readonly OnnxTensor[],
  y: OnnxTensor,
  dy: OnnxTensor,
  adjoint: Record<string, OnnxTensor>,
  plan: Plan,
): string | undefined {
  for (const i of plan.grads) {
    const grad = adjoint[`dI${i}`];
    if (!grad) return `no gradient for input ${i}`;
    if (grad.dims.join() !== inputs[i].dims.join()) {
      return `gradient ${i} has shape [${grad.dims}], input [${inputs[i].dims}]`;
    }
  }
  const finite = (t: OnnxTensor) => (t.data as Float32Array).every(Number.isFinite);
  if (![y, ...inputs.filter((t) => t.dtype === "float32")].every(finite)) return undefined;
  if (adjoint.Yi) {
    const a = adjoint.Yi.data as Float32Array, b = y.data as Float32Array;
    if (a.length !== b.length || a.some((v, k) => v !== b[k])) {
      return "MaxPool with Indices gives other values than MaxPool";
    }
  }
  const yf = y.data as Float32Array, g = dy.data as Float32Array;
  for (const group of plan.euler) {
    let left = 0, right = 0, scale = 0;
    for (let k = 0; k < yf.length; k++) {
      left += g[k] * yf[k];
      scale += Math.abs(g[k] * yf[k]);
    }
    for (const i of group) {
      const x = inputs[i].data as Float32Array, d = adjoint[`dI${i}`].data as Float32Array;
      for (let k = 0; k < x.length; k++) {
        right += d[k] * x[k];
        scale += Math.abs(d[k] * x[k]);
      }
    }
    if (!(Math.abs(left - right) <= 1e-3 * scale + 1e-6)) {
      const names = group.map((i) => c.inputs[i].name).join(", ");
      return `Σ dY·Y = ${left} but Σ dI·I over (${names}) = ${right}`;
    }
  }
  if (plan.shiftInvariantAxis !== undefined) {
    const d = adjoint.dI0, m = adjoint.mI0;
    const axis = plan.shiftInvariantAxis;
    const size = d.dims[axis], inner = d.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = d.data.length / (size * inner);
    for (let o = 0; o < outer; o++) {
      for (let q = 0; q < inner; q++) {
        let sum = 0, scale = 0;
        for (let k = 0; k < size; k++) {
          const at = (o * size + k) * inner + q;
          sum += Number(d.data[at]);
          scale += Math.abs(Number(m ? m.data[at] : d.data[at]));
        }
        if (!(Math.abs(sum) <= 1e-3 * scale + 1e-7)) {
          return `Σ over axis ${axis} of dX is ${sum}, not 0 (shift invariance)`;
        }
      }
    }
  }
  return undefined;
}
