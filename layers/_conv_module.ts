// What the convolution and transposed-convolution modules (Conv1d ... ConvTranspose3d) share:
// constructor checks, so both families reject bad options with the same messages, and
// `ConvModuleCore`, their parameters and forward/backward passes.

import { keptByForward } from "./_checks.ts";
import { formatShape, formatValue, perAxis, rangeError, typeError } from "./_errors.ts";
import type { ConvGradients } from "./conv.ts";
import type { ConvTransposeModuleOptions } from "./conv_transpose.ts";
import { defaultInit } from "./init.ts";
import { Parameter } from "./module.ts";
import { Tensor } from "./tensor.ts";

// Every module's options: the transposed ones are the convolution ones plus `outputPadding`.
type ModuleOptions = ConvTransposeModuleOptions;

/** What sets a convolution module apart: its weight layout, window options and passes. */
interface ConvModuleSpec<O> {
  weightShape: readonly number[];
  window: O;
  forward(input: Tensor, weight: Tensor, options: O): Tensor;
  backward(gradOutput: Tensor, saved: { input: Tensor; weight: Tensor }, options: O): ConvGradients;
  /** The weight and bias gradients alone; without it `backward` runs and its dX is dropped. */
  backwardParameters?(
    gradOutput: Tensor,
    saved: { input: Tensor; weight: Tensor },
    options: O,
  ): Omit<ConvGradients, "input">;
}

/**
 * Validates a module's channel counts, groups, kernel size, stride, dilation and output padding
 * (padding is checked by the geometry at the first forward).
 *
 * @returns The kernel size per axis and `groups`.
 */
export function checkModuleOptions(
  name: string,
  rank: number,
  options: ModuleOptions,
): { kernel: number[]; groups: number } {
  if (options === null || typeof options !== "object") {
    typeError(name, `options must be an object, got ${formatValue(options)}`);
  }
  const groups = options.groups ?? 1;
  const counts = { inChannels: options.inChannels, outChannels: options.outChannels, groups };
  for (const [key, value] of Object.entries(counts)) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      typeError(name, `${key} must be an integer, got ${formatValue(value)}`);
    }
    if (value < 1) rangeError(name, `${key} must be positive, got ${value}`);
  }
  for (const key of ["inChannels", "outChannels"] as const) {
    if (options[key] % groups !== 0) {
      rangeError(name, `${key} (${options[key]}) must be divisible by groups (${groups})`);
    }
  }
  if (options.kernelSize === undefined) typeError(name, "kernelSize is required");
  const kernel = perAxis(name, "kernelSize", options.kernelSize, rank, 1);
  perAxis(name, "stride", options.stride, rank, 1);
  perAxis(name, "dilation", options.dilation, rank, 1);
  perAxis(name, "outputPadding", options.outputPadding, rank, 0, 0);
  return { kernel, groups };
}

/** Throws unless `input` is a tensor of rank `rank + 2`. */
function checkModuleInput(name: string, rank: number, input: unknown, layout: string): void {
  if (!(input instanceof Tensor) || input.rank !== rank + 2) {
    typeError(
      name,
      `input must be a Tensor of rank ${rank + 2} (${layout}), got ${
        input instanceof Tensor ? `shape ${formatShape(input.shape)}` : typeof input
      }`,
    );
  }
}

/** Layout strings for messages and docs, by spatial rank. */
const SPATIAL = ["", "L", "H, W", "D, H, W"] as const;

/**
 * The parameters and passes of a convolution module, held by `ConvNd` and `ConvTransposeNd`
 * rather than inherited: a public class may not extend a private one (`deno doc --lint`,
 * private-type-ref), and a public base would add to the API.
 */
export class ConvModuleCore<O extends { bias?: Tensor }> {
  /** The kernel, PyTorch's default initialisation. */
  readonly weight: Parameter;
  /** The bias `[Cout]`, or undefined when built with `bias: false`. */
  readonly bias: Parameter | undefined;
  /** The frozen window options of every pass (the bias is added per call). */
  readonly options: Readonly<O>;
  readonly #name: string;
  readonly #rank: number;
  readonly #spec: ConvModuleSpec<O>;
  #input: Tensor | undefined = undefined;

  /** Draws the weight then the bias from `options.seed`; `name` is the class name for messages. */
  constructor(name: string, rank: number, options: ModuleOptions, spec: ConvModuleSpec<O>) {
    const init = defaultInit(spec.weightShape, {
      seed: options.seed ?? 0,
      biasSize: options.bias === false ? undefined : options.outChannels,
      dtype: options.dtype,
    });
    this.weight = new Parameter("weight", init.weight);
    this.bias = init.bias === undefined ? undefined : new Parameter("bias", init.bias);
    this.options = Object.freeze(spec.window);
    this.#name = name;
    this.#rank = rank;
    this.#spec = spec;
  }

  /** Checks the input's rank, runs the forward pass and keeps the input for `backward`. */
  forward(input: Tensor): Tensor {
    checkModuleInput(this.#name, this.#rank, input, `[N, C, ${SPATIAL[this.#rank]}]`);
    const y = this.#spec.forward(input, this.weight.value, this.#callOptions());
    this.#input = input;
    return y;
  }

  /** Runs the backward pass of the last forward, accumulating the parameter gradients. */
  backward(gradOutput: Tensor): Tensor {
    const saved = { input: keptByForward(this.#name, this.#input), weight: this.weight.value };
    const grads = this.#spec.backward(gradOutput, saved, this.#callOptions());
    this.#accumulate(grads);
    return grads.input;
  }

  /** As `backward`, without the input gradient where the spec can skip it. */
  backwardParameters(gradOutput: Tensor): void {
    const saved = { input: keptByForward(this.#name, this.#input), weight: this.weight.value };
    const pass = this.#spec.backwardParameters ?? this.#spec.backward;
    this.#accumulate(pass(gradOutput, saved, this.#callOptions()));
  }

  #accumulate(grads: Omit<ConvGradients, "input">): void {
    this.weight.accumulate(grads.weight);
    if (this.bias !== undefined && grads.bias !== undefined) this.bias.accumulate(grads.bias);
  }

  /** `[weight, bias]`, or `[weight]` without a bias. */
  parameters(): Parameter[] {
    return this.bias === undefined ? [this.weight] : [this.weight, this.bias];
  }

  #callOptions(): O {
    return { ...this.options, bias: this.bias?.value };
  }
}
