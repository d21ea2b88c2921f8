// Boundary checks shared by the pooling ops: input rank, required kernel, the padding limit,
// boolean flags and gradOutput shapes. Kernels downstream are check-free.

import { formatShape, formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import { type Geometry, type Padding, windowGeometry } from "./_geometry.ts";
import { checkResult } from "./_limits_check.ts";
import { liftWindow, type PoolWindow } from "./_pool_window.ts";
import { Tensor } from "./tensor.ts";

const LAYOUTS = ["[N, C, L]", "[N, C, H, W]", "[N, C, D, H, W]"];

/** Window options common to max and average pooling. */
export interface PoolWindowOptions {
  kernelSize: number | readonly number[];
  stride?: number | readonly number[];
  padding?: Padding;
  dilation?: number | readonly number[];
  ceilMode?: boolean;
}

/** Everything a pooling op needs after validation. */
export interface PoolSetup {
  /** Operation name for messages, e.g. `"maxPool2d"`. */
  readonly op: string;
  readonly input: Tensor;
  readonly geometry: Geometry;
  readonly window: PoolWindow;
  /** Output shape `[N, C, ...outSize]`. */
  readonly outShape: readonly number[];
}

/** `"maxPool"` + input rank → `"maxPool2d"`; the bare family name when the rank is wrong. */
export function poolOpName(family: string, input: unknown): string {
  const rank = input instanceof Tensor ? input.rank : 0;
  return rank >= 3 && rank <= 5 ? `${family}${rank - 2}d` : family;
}

/**
 * Checks that `input` is a tensor `[N, C, *spatial]` with 1 to 3 spatial axes (exactly
 * `spatialRank` when given).
 */
export function checkPoolInput(
  op: string,
  input: unknown,
  spatialRank?: number,
): asserts input is Tensor {
  if (!(input instanceof Tensor)) {
    typeError(op, `input must be a Tensor, got ${describe(input)}`);
  }
  if (spatialRank !== undefined) {
    if (input.rank !== spatialRank + 2) {
      typeError(
        op,
        `input must have rank ${spatialRank + 2} (${LAYOUTS[spatialRank - 1]}), got shape ` +
          formatShape(input.shape),
      );
    }
  } else if (input.rank < 3 || input.rank > 5) {
    typeError(
      op,
      `input must have rank 3, 4 or 5 (${LAYOUTS.join(", ")}), got shape ${
        formatShape(input.shape)
      }`,
    );
  }
}

/**
 * Checks that only the batch axis of a pooling input may be empty: PyTorch refuses zero channels
 * and zero spatial sizes ("Expected ... tensor with optional 0 dim batch size").
 */
function checkNonEmpty(op: string, input: Tensor): void {
  if (input.shape.slice(1).some((d) => d === 0)) {
    rangeError(
      op,
      `input channels and spatial sizes must be positive (only the batch may be empty), got ` +
        `shape ${formatShape(input.shape)}`,
    );
  }
}

/** Checks that an optional flag is a boolean. */
export function checkBoolean(op: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    typeError(op, `${name} must be a boolean, got ${formatValue(value)}`);
  }
}

/**
 * Validates a pooling call and derives its geometry: the kernel is required, the stride defaults
 * to the kernel, and every pad (begin and end) must be smaller than the effective kernel on its
 * axis — ONNX Runtime's rule, looser than PyTorch's `pad ≤ kernel / 2`, so that ONNX's own test
 * data (e.g. kernel 3 with pads 2) runs.
 */
export function poolSetup(
  family: string,
  input: unknown,
  options: PoolWindowOptions,
  spatialRank?: number,
): PoolSetup {
  const op = spatialRank === undefined ? poolOpName(family, input) : `${family}${spatialRank}d`;
  checkPoolInput(op, input, spatialRank);
  checkNonEmpty(op, input);
  if (options === null || typeof options !== "object") {
    typeError(op, `options must be an object with a kernelSize, got ${describe(options)}`);
  }
  if (options.kernelSize === undefined) {
    typeError(op, `kernelSize is required (a positive integer or one per spatial axis)`);
  }
  checkBoolean(op, "ceilMode", options.ceilMode);
  const rank = input.rank - 2;
  const kernel = perAxis(op, "kernelSize", options.kernelSize, rank, 1);
  const geometry = windowGeometry(op, input.shape.slice(2), kernel, {
    stride: options.stride,
    dilation: options.dilation,
    padding: options.padding,
    ceilMode: options.ceilMode ?? false,
    defaultStride: kernel,
  });
  const { padBegin, padEnd, effectiveKernel } = geometry;
  for (let i = 0; i < rank; i++) {
    if (padBegin[i] >= effectiveKernel[i] || padEnd[i] >= effectiveKernel[i]) {
      rangeError(
        op,
        `padding must be smaller than the effective kernel dilation × (kernel − 1) + 1 on every ` +
          `axis: pads ${formatShape(padBegin)} (begin) / ${formatShape(padEnd)} (end), ` +
          `effective kernel ${formatShape(effectiveKernel)}`,
      );
    }
  }
  const [n, c] = input.shape;
  const outShape = [n, c, ...geometry.outSize];
  checkResult(op, "output", outShape, input.dtype);
  return { op, input, geometry, window: liftWindow(geometry, n * c), outShape };
}

/** Checks that `gradOutput` is a tensor of the forward output's shape. */
export function checkGradOutput(
  op: string,
  gradOutput: unknown,
  outShape: readonly number[],
): asserts gradOutput is Tensor {
  if (!(gradOutput instanceof Tensor)) {
    typeError(op, `gradOutput must be a Tensor, got ${describe(gradOutput)}`);
  }
  const shape = gradOutput.shape;
  if (shape.length !== outShape.length || shape.some((d, i) => d !== outShape[i])) {
    typeError(
      op,
      `gradOutput shape must equal the forward output shape ${formatShape(outShape)}, got ` +
        formatShape(shape),
    );
  }
}

/** Reads `saved.input` of a backward call, or throws naming it. */
export function savedInput(op: string, saved: unknown): Tensor {
  const input = (saved as { input?: unknown } | null | undefined)?.input;
  if (!(input instanceof Tensor)) {
    typeError(op, `saved.input must be the forward input Tensor, got ${describe(input)}`);
  }
  return input;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return `${typeof value} ${formatValue(value)}`;
}

/** Throws for `backward` before any `forward` — a call-order error, not bad input. */
export function noForward(op: string): never {
  throw new Error(`Cannot compute ${op}: call forward first`);
}
