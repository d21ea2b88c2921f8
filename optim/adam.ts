/**
 * Adam and AdamW, following PyTorch 1.13's single-tensor `torch.optim.Adam` / `torch.optim.AdamW`
 * step for step, including AMSGrad and `maximize`.
 *
 * @module
 */

import type { Parameter } from "../layers/module.ts";
import type { FloatArray } from "../layers/tensor.ts";
import { Optimizer } from "./optimizer.ts";
import { checkBoolean, checkNonNegative, checkUnitInterval } from "./_checks.ts";

/** Options of {@linkcode Adam} and {@linkcode AdamW}; names follow PyTorch's in camelCase. */
export interface AdamOptions {
  /** Learning rate, finite and ≥ 0. @default 1e-3 */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment averages, each in [0, 1). @default [0.9, 0.999] */
  betas?: readonly [number, number];
  /** Term added to the denominator, ≥ 0. @default 1e-8 */
  eps?: number;
  /**
   * Weight decay λ ≥ 0: an L2 penalty added to the gradient for Adam, a decoupled
   * `p ← p·(1 − lr·λ)` for AdamW. @default 0 for Adam, 1e-2 for AdamW
   */
  weightDecay?: number;
  /** Use the AMSGrad variant (the running maximum of the second moment). @default false */
  amsgrad?: boolean;
  /** Ascend instead of descend (the gradient is negated first). @default false */
  maximize?: boolean;
}

/**
 * Adam, exactly as PyTorch 1.13's single-tensor `torch.optim.Adam`, per element at step t:
 *
 * ```text
 * g = maximize ? −grad : grad;   if λ ≠ 0: g = g + λ·p
 * m = β1·m + (1 − β1)·g;         v = β2·v + (1 − β2)·g²
 * step_size = lr / (1 − β1^t);   denom = √v / √(1 − β2^t) + eps    (√max(v) with amsgrad)
 * p = p − step_size·m / denom
 * ```
 *
 * The scalars (bias corrections, step size) are computed in float64 as Python does; for float32
 * parameters each tensor operation is rounded to float32 in PyTorch's order, so replayed runs match
 * PyTorch to float32 rounding. State (m, v, step) is created on the first `step()`.
 *
 * @example The first step moves each parameter by about lr against the sign of its gradient
 * ```ts
 * import { Adam } from "./adam.ts";
 * import { Parameter } from "../layers/module.ts";
 * import { Tensor } from "../layers/tensor.ts";
 *
 * const w = new Parameter("weight", Tensor.full([2], 1, "float64"));
 * w.grad.data.set([3, -0.25]);
 * new Adam([w], { lr: 0.1 }).step();
 * if (Math.abs(w.value.data[0] - 0.9) > 1e-8 || Math.abs(w.value.data[1] - 1.1) > 1e-8) {
 *   throw new Error("wrong update");
 * }
 * ```
 */
export class Adam extends Optimizer {
  /** Decay rates (β1, β2). */
  readonly betas: readonly [number, number];
  /** Denominator term. */
  readonly eps: number;
  /** Weight decay λ (an L2 penalty in the gradient). */
  readonly weightDecay: number;
  /** Whether AMSGrad is used. */
  readonly amsgrad: boolean;
  /** Whether the objective is maximised. */
  readonly maximize: boolean;
  #state: AdamState[];

  /**
   * Creates the optimizer; its state is created on the first step.
   *
   * @param params The parameters to update.
   * @param options Hyper-parameters; every one has a default.
   * @throws {TypeError} If `params` is not an array of distinct Parameters or an option has the
   * wrong type.
   * @throws {RangeError} If `lr`, `eps` or `weightDecay` is negative or not finite, or a beta is
   * outside [0, 1).
   */
  constructor(params: Parameter[], options: AdamOptions = {}) {
    super("Adam", params, options.lr ?? 1e-3);
    const h = checkAdamOptions("Adam", options, 0);
    this.betas = h.betas;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.amsgrad = h.amsgrad;
    this.maximize = h.maximize;
    this.#state = this.params.map(() => newState());
  }

  /**
   * Applies one update to every parameter from its current gradient.
   *
   * @throws {TypeError} If a parameter's size changed since the optimizer was created.
   */
  step(): void {
    adamStep("Adam", this.params, this.#state, this, this.lr, false);
  }
}

/**
 * AdamW, exactly as PyTorch 1.13's single-tensor `torch.optim.AdamW`: Adam without the L2 term in
 * the gradient, and instead a decoupled decay `p ← p·(1 − lr·λ)` before the moment updates.
 *
 * @example Decoupled decay with a zero gradient
 * ```ts
 * import { AdamW } from "./adam.ts";
 * import { Parameter } from "../layers/module.ts";
 * import { Tensor } from "../layers/tensor.ts";
 *
 * const w = new Parameter("weight", Tensor.full([1], 2, "float64"));
 * new AdamW([w], { lr: 0.5, weightDecay: 0.5 }).step(); // zero gradient: only the decay acts
 * if (w.value.data[0] !== 1.5) throw new Error("wrong decay");
 * ```
 */
export class AdamW extends Optimizer {
  /** Decay rates (β1, β2). */
  readonly betas: readonly [number, number];
  /** Denominator term. */
  readonly eps: number;
  /** Decoupled weight decay λ. */
  readonly weightDecay: number;
  /** Whether AMSGrad is used. */
  readonly amsgrad: boolean;
  /** Whether the objective is maximised. */
  readonly maximize: boolean;
  #state: AdamState[];

  /**
   * Creates the optimizer; its state is created on the first step.
   *
   * @param params The parameters to update.
   * @param options Hyper-parameters; every one has a default (`weightDecay` 1e-2).
   * @throws {TypeError} If `params` is not an array of distinct Parameters or an option has the
   * wrong type.
   * @throws {RangeError} If `lr`, `eps` or `weightDecay` is negative or not finite, or a beta is
   * outside [0, 1).
   */
  constructor(params: Parameter[], options: AdamOptions = {}) {
    super("AdamW", params, options.lr ?? 1e-3);
    const h = checkAdamOptions("AdamW", options, 1e-2);
    this.betas = h.betas;
    this.eps = h.eps;
    this.weightDecay = h.weightDecay;
    this.amsgrad = h.amsgrad;
    this.maximize = h.maximize;
    this.#state = this.params.map(() => newState());
  }

  /**
   * Applies one update to every parameter from its current gradient.
   *
   * @throws {TypeError} If a parameter's size changed since the optimizer was created.
   */
  step(): void {
    adamStep("AdamW", this.params, this.#state, this, this.lr, true);
  }
}

interface AdamState {
  step: number;
  expAvg: FloatArray | null;
  expAvgSq: FloatArray | null;
  maxExpAvgSq: FloatArray | null;
}

interface AdamHyper {
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

function newState(): AdamState {
  return { step: 0, expAvg: null, expAvgSq: null, maxExpAvgSq: null };
}

function checkAdamOptions(owner: string, options: AdamOptions, defaultDecay: number): AdamHyper {
  const {
    betas = [0.9, 0.999],
    eps = 1e-8,
    weightDecay = defaultDecay,
    amsgrad = false,
    maximize = false,
  } = options;
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new TypeError(`Cannot create ${owner}: betas must be an array of two numbers`);
  }
  return {
    betas: Object.freeze([
      checkUnitInterval(owner, "betas[0]", betas[0]),
      checkUnitInterval(owner, "betas[1]", betas[1]),
    ]) as readonly [number, number],
    eps: checkNonNegative(owner, "eps", eps),
    weightDecay: checkNonNegative(owner, "weightDecay", weightDecay),
    amsgrad: checkBoolean(owner, "amsgrad", amsgrad),
    maximize: checkBoolean(owner, "maximize", maximize),
  };
}

// One step of PyTorch 1.13's `_single_tensor_adam` / `_single_tensor_adamw` (capturable = false).
function adamStep(
  owner: string,
  params: readonly Parameter[],
  states: AdamState[],
  h: AdamHyper,
  lr: number,
  decoupled: boolean,
): void {
  const [beta1, beta2] = h.betas;
  params.forEach((param, index) => {
    const p = param.value.data, grad = param.grad.data, n = p.length;
    const s = states[index];
    if (s.expAvg === null) {
      s.expAvg = p.slice().fill(0);
      s.expAvgSq = p.slice().fill(0);
      if (h.amsgrad) s.maxExpAvgSq = p.slice().fill(0);
    }
    if (s.expAvg.length !== n) {
      throw new TypeError(`Cannot step ${owner}: parameter ${param.name} changed size to ${n}`);
    }
    const m = s.expAvg, v = s.expAvgSq as FloatArray, vMax = s.maxExpAvgSq;
    s.step += 1;
    // Python-float scalars, as in PyTorch: computed in float64, then cast to the tensor's type
    // when they meet a tensor.
    const biasCorrection1 = 1 - beta1 ** s.step;
    const biasCorrection2 = 1 - beta2 ** s.step;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
    const r = p instanceof Float32Array ? Math.fround : identity;
    const b1 = r(beta1), oneMinusB1 = r(1 - beta1), b2 = r(beta2), oneMinusB2 = r(1 - beta2);
    const wd = r(h.weightDecay), decay = r(1 - lr * h.weightDecay);
    const bc2Sqrt = r(biasCorrection2Sqrt), eps = r(h.eps), negStepSize = r(-stepSize);
    const coupled = !decoupled && h.weightDecay !== 0;
    for (let i = 0; i < n; i++) {
      let g = h.maximize ? -grad[i] : grad[i];
      if (coupled) g = r(g + wd * p[i]); // grad.add(param, alpha=wd): one fused multiply-add
      if (decoupled) p[i] = r(p[i] * decay); // param.mul_(1 - lr*wd)
      const mi = r(r(m[i] * b1) + oneMinusB1 * g); // exp_avg.mul_(β1).add_(g, alpha=1-β1)
      // .mul_(β2).addcmul_(g, g, 1-β2): PyTorch's CPU build contracts the last multiply-add.
      const vi = r(r(v[i] * b2) + r(oneMinusB2 * g) * g);
      m[i] = mi;
      v[i] = vi;
      let vHat = vi;
      if (vMax !== null) {
        // torch.maximum propagates NaN.
        vHat = vi !== vi || vMax[i] !== vMax[i] ? NaN : Math.max(vMax[i], vi);
        vMax[i] = vHat;
      }
      const denom = r(r(r(Math.sqrt(vHat)) / bc2Sqrt) + eps); // (√v / √bc2).add_(eps)
      p[i] = r(p[i] + r(r(negStepSize * mi) / denom)); // param.addcdiv_(m, denom, -step_size)
    }
  });
}

function identity(x: number): number {
  return x;
}
