/**
 * Padding of any rank with ONNX `Pad` semantics ("constant", "reflect", "edge"), its gradient and
 * a module.
 *
 * `pads` are in ONNX order: all begins, then all ends, one pair per input axis
 * (`[x1_begin, x2_begin, …, x1_end, x2_end, …]`). Negative pads crop. Output index `o` on an axis
 * reads input index `i = o − begin`, brought into range by the mode: constant leaves it outside
 * (the value), edge clamps it, reflect mirrors it about the first/last element. Cropping and
 * padding on the same axis therefore compose like PyTorch's `F.pad` (pad, then crop), and reflect
 * requires each positive pad to be smaller than the axis, as PyTorch does.
 *
 * @module
 */

import { checkShape, checkTensor, keptByForward } from "./_checks.ts";
import { formatShape, formatValue, rangeError, typeError } from "./_errors.ts";
import { Module } from "./module.ts";
import { allocate, type FloatArray, shapeSize, Tensor } from "./tensor.ts";

/** How {@linkcode pad} fills new elements. */
export type PadMode = "constant" | "reflect" | "edge";

/** Options of {@linkcode pad}, {@linkcode padBackward} and {@linkcode Pad}. */
export interface PadOptions {
  /** All begins then all ends, one pair per input axis (ONNX order); negative entries crop. */
  pads: readonly number[];
  /**
   * "constant" fills with `value`, "edge" repeats the border element, "reflect" mirrors the
   * input without repeating the border (`[1, 2, 3]` padded 2 → `[3, 2, 1, 2, 3, 2, 1]`).
   * @default "constant"
   */
  mode?: PadMode;
  /** Fill value of "constant" mode. @default 0 */
  value?: number;
}

const MODES: readonly PadMode[] = ["constant", "reflect", "edge"];

/**
 * Pads (or crops) every axis of `input`: output size per axis is `size + begin + end`.
 *
 * @param input A tensor of any rank, float32 or float64.
 * @param options `pads`, `mode` and `value`.
 * @returns A new tensor in the input's dtype.
 * @throws {TypeError} If `input` is not a Tensor, `pads` is not a list of 2·rank integers, `mode`
 * is unknown, or `value` is not a number.
 * @throws {RangeError} If an axis would shrink below 0, a reflect pad is not smaller than its
 * axis, or an empty axis is edge- or reflect-padded.
 *
 * @example Reflect a row by 2 on each side
 * ```ts
 * import { pad } from "./pad.ts";
 * import { Tensor } from "./tensor.ts";
 * const y = pad(new Tensor([1, 2, 3], [1, 3]), { pads: [0, 2, 0, 2], mode: "reflect" });
 * if (y.data.join() !== "3,2,1,2,3,2,1") throw new Error("reflect");
 * ```
 */
export function pad(input: Tensor, options: PadOptions): Tensor {
  const op = "pad";
  checkTensor(op, "input", input);
  const plan = _plan(op, input.shape, options);
  const y = allocate(plan.outSize, input.dtype);
  y.fill(plan.value);
  const x = input.data;
  if (input.rank === 0) {
    y[0] = x[0];
  } else {
    const inner = plan.maps[plan.maps.length - 1];
    _forEachRow(plan, (outOffset, inBase) => {
      for (let o = 0; o < inner.length; o++) {
        if (inner[o] >= 0) y[outOffset + o] = x[inBase + inner[o]];
      }
    });
  }
  return new Tensor(y, plan.outShape);
}

/**
 * Gradient of {@linkcode pad}: each output gradient goes back to the input element it was read
 * from (accumulated in float64 where reflect or edge read an element several times); padded
 * constants receive nothing and cropped elements get 0.
 *
 * @param gradOutput Gradient with respect to the padded output.
 * @param saved The forward's `input` (only its shape and dtype are read).
 * @param options The forward's `pads`, `mode` and `value`.
 * @returns `{ input }`: the gradient in the input's shape and dtype.
 * @throws {TypeError} If an argument is not a Tensor, `gradOutput` does not have the forward's
 * output shape, or an option is invalid (as in {@linkcode pad}).
 * @throws {RangeError} As in {@linkcode pad}.
 *
 * @example Edge padding sums into the border
 * ```ts
 * import { padBackward } from "./pad.ts";
 * import { Tensor } from "./tensor.ts";
 * const input = Tensor.zeros([2]);
 * const g = padBackward(Tensor.full([5], 1), { input }, { pads: [1, 2], mode: "edge" });
 * if (g.input.data.join() !== "2,3") throw new Error("edge gradient");
 * ```
 */
export function padBackward(
  gradOutput: Tensor,
  saved: { input: Tensor },
  options: PadOptions,
): { input: Tensor } {
  const op = "padBackward";
  checkTensor(op, "saved.input", saved?.input);
  checkTensor(op, "gradOutput", gradOutput);
  const input = saved.input;
  const plan = _plan(op, input.shape, options);
  checkShape(op, "gradOutput", gradOutput.shape, "output", plan.outShape);
  const g = gradOutput.data;
  const sums = new Float64Array(input.size);
  if (input.rank === 0) {
    sums[0] = g[0];
  } else {
    const inner = plan.maps[plan.maps.length - 1];
    _forEachRow(plan, (outOffset, inBase) => {
      for (let o = 0; o < inner.length; o++) {
        if (inner[o] >= 0) sums[inBase + inner[o]] += g[outOffset + o];
      }
    });
  }
  const dx: FloatArray = allocate(input.size, input.dtype);
  dx.set(sums);
  return { input: new Tensor(dx, input.shape) };
}

/**
 * Padding as a module, like PyTorch's `nn.ConstantPad*d` / `nn.ReflectionPad*d` /
 * `nn.ReplicationPad*d`, but with ONNX-ordered `pads` covering every axis of the input.
 *
 * @example Zero-pad H and W of an [N, C, H, W] tensor by 1
 * ```ts
 * import { Pad } from "./pad.ts";
 * import { Tensor } from "./tensor.ts";
 * const layer = new Pad({ pads: [0, 0, 1, 1, 0, 0, 1, 1] });
 * const y = layer.forward(Tensor.full([1, 1, 2, 2], 1));
 * const dx = layer.backward(Tensor.full([1, 1, 4, 4], 1));
 * if (y.shape.join() !== "1,1,4,4" || dx.data.join() !== "1,1,1,1") throw new Error("Pad");
 * ```
 */
export class Pad extends Module {
  /** The pads, mode and value used by every call. */
  readonly options: Readonly<Required<PadOptions>>;
  #input: Tensor | undefined;

  /**
   * Builds the layer from its options.
   *
   * @param options `pads`, `mode` and `value`.
   * @throws {TypeError} If `pads` is not a list of integers, `mode` is unknown or `value` is not a
   * number.
   */
  constructor(options: PadOptions) {
    super();
    const { pads, mode, value } = _checkOptions("Pad", options);
    this.options = Object.freeze({ pads: Object.freeze([...pads]), mode, value });
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input A tensor whose rank is half the length of `pads`.
   * @returns The padded input; the input's shape is kept for `backward`.
   */
  forward(input: Tensor): Tensor {
    const output = pad(input, this.options);
    this.#input = input;
    return output;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input.
   * @throws {Error} If `forward` has not been called.
   */
  backward(gradOutput: Tensor): Tensor {
    const saved = { input: keptByForward("Pad", this.#input) };
    return padBackward(gradOutput, saved, this.options).input;
  }
}

// Per axis, maps[axis][o] is the input index read by output index o, or −1 for the fill value.
interface _Plan {
  outShape: number[];
  outSize: number;
  maps: Int32Array[];
  inStrides: number[];
  outStrides: number[];
  value: number;
}

function _checkOptions(op: string, options: PadOptions): Required<PadOptions> {
  if (typeof options !== "object" || options === null) {
    typeError(op, `options must be an object with pads, got ${formatValue(options)}`);
  }
  const { pads, mode = "constant", value = 0 } = options;
  if (!Array.isArray(pads) || pads.some((p) => typeof p !== "number" || !Number.isInteger(p))) {
    typeError(op, `pads must be an array of integers, got ${formatValue(pads)}`);
  }
  if (!MODES.includes(mode)) {
    typeError(op, `mode must be one of "constant", "reflect", "edge", got ${formatValue(mode)}`);
  }
  if (typeof value !== "number") typeError(op, `value must be a number, got ${typeof value}`);
  return { pads, mode, value };
}

function _plan(op: string, shape: readonly number[], options: PadOptions): _Plan {
  const { pads, mode, value } = _checkOptions(op, options);
  const rank = shape.length;
  if (pads.length !== 2 * rank) {
    typeError(
      op,
      `pads must have 2 entries per input axis (${2 * rank} for input shape ` +
        `${formatShape(shape)}), got ${formatShape(pads)}`,
    );
  }
  const outShape: number[] = [];
  const maps: Int32Array[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const n = shape[axis], begin = pads[axis], end = pads[axis + rank];
    const size = n + begin + end;
    if (size < 0) {
      rangeError(
        op,
        `pads ${formatShape(pads)} crop axis ${axis} (size ${n}) below zero: ` +
          `${n} + ${begin} + ${end} = ${size}`,
      );
    }
    if (mode === "reflect" && (begin >= n || end >= n) && size > 0) {
      rangeError(
        op,
        `reflect pads must be smaller than the axis they pad: axis ${axis} has size ${n}, ` +
          `pads are ${formatShape(pads)}`,
      );
    }
    if (mode === "edge" && n === 0 && size > 0) {
      rangeError(op, `edge padding needs a non-empty axis: axis ${axis} has size 0`);
    }
    outShape.push(size);
    maps.push(_axisMap(mode, n, begin, size));
  }
  const outSize = shapeSize(outShape, op);
  return {
    outShape,
    outSize,
    maps,
    inStrides: _strides(shape),
    outStrides: _strides(outShape),
    value,
  };
}

function _axisMap(mode: PadMode, n: number, begin: number, size: number): Int32Array {
  const map = new Int32Array(size);
  for (let o = 0; o < size; o++) {
    let i = o - begin;
    if (mode === "edge") {
      i = Math.min(Math.max(i, 0), n - 1);
    } else if (mode === "reflect") {
      if (i < 0) i = -i;
      else if (i >= n) i = 2 * (n - 1) - i;
    } else if (i < 0 || i >= n) {
      i = -1;
    }
    map[o] = i;
  }
  return map;
}

function _strides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = s;
    s *= shape[axis];
  }
  return strides;
}

// Calls `row(outOffset, inBase)` for every innermost output row that reads the input, i.e. whose
// outer indices all map inside the input; rows lying wholly in a constant border are skipped.
function _forEachRow(plan: _Plan, row: (outOffset: number, inBase: number) => void): void {
  const { maps, inStrides, outStrides } = plan;
  const last = maps.length - 1;
  const visit = (axis: number, outOffset: number, inBase: number): void => {
    if (axis === last) {
      row(outOffset, inBase);
      return;
    }
    const map = maps[axis];
    for (let o = 0; o < map.length; o++) {
      if (map[o] < 0) continue;
      visit(axis + 1, outOffset + o * outStrides[axis], inBase + map[o] * inStrides[axis]);
    }
  };
  visit(0, 0, 0);
}
