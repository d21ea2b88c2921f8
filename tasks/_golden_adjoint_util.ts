// Shared pieces of the adjoint plans (_golden_adjoint*.ts): one ONNX graph per case holding the
// gradients and their magnitudes.

import type { GridCase } from "../conformance/grid.ts";
import { _Graph } from "./_golden_graph.ts";

/** Shapes of a case's tensors. */
export type _Shapes = readonly (readonly number[])[];

/** Product of the entries. */
export const _prod = (v: readonly number[]): number => v.reduce((a, b) => a * b, 1);

/** [a, a + 1, ..., b − 1]. */
export const _range = (a: number, b: number): number[] =>
  Array.from({ length: b - a }, (_, i) => a + i);

/** Reduction lengths by input index; `optional` is the third input's, if it has one. */
export function _lengths(first: number[], optional: number | undefined): Record<number, number> {
  return Object.fromEntries([...first, ...(optional === undefined ? [] : [optional])].entries());
}

/** What one pass of a plan's body adds to the graph: gradient names by input index, extras. */
export interface _Body {
  grads: Record<number, string>;
  extra?: Record<string, string>;
}

/**
 * Builds the case's adjoint graph: inputs = the case's inputs + "dY" (+ "dY1", "dY2", ... for
 * the further outputs of a multi-output node, shaped `moreOutShapes`); `body(g, false)` gives
 * the gradients (outputs dI<i>), `body(g, true)` the magnitudes (outputs mI<i>) when
 * `magnitudes`.
 */
export function _adjointGraph(
  c: GridCase,
  outShape: readonly number[],
  body: (g: _Graph, magnitude: boolean) => _Body,
  magnitudes: boolean,
  moreOutShapes: _Shapes = [],
): Uint8Array {
  const g = new _Graph();
  for (const spec of c.inputs) g.input(spec.name, spec.shape, spec.dtype ?? "float32");
  // dY's dims are symbolic: ONNX shape inference inside the runtime may disagree with the
  // runtime's own kernels (ceil-mode pooling), and the graph must follow the kernels.
  g.input("dY", outShape.map((_, k) => `dY_${k}`));
  moreOutShapes.forEach((shape, j) =>
    g.input(`dY${j + 1}`, shape.map((_, k) => `dY${j + 1}_${k}`))
  );
  const outputs: Record<string, string> = {};
  for (const magnitude of magnitudes ? [false, true] : [false]) {
    const { grads, extra } = body(g, magnitude);
    for (const [i, name] of Object.entries(grads)) outputs[`${magnitude ? "m" : "d"}I${i}`] = name;
    Object.assign(outputs, extra ?? {});
  }
  return g.build(outputs);
}

/** `name`, or `Abs(name)` in the magnitude pass. */
export const _absIf = (g: _Graph, magnitude: boolean, name: string): string =>
  magnitude ? g.op("Abs", [name]) : name;

export function _shapeMismatch(
  op: string,
  spec: readonly number[],
  ort: readonly number[],
): string {
  return `${op}: ONNX spec output size [${spec.join(", ")}] differs from ONNX Runtime's ` +
    `[${ort.join(", ")}]; no adjoint consistent with both`;
}
