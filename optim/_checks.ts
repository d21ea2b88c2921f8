// Hyper-parameter and parameter-list checks shared by the optimizers and schedulers. Messages
// name the class, the argument, the rule and the value, as PyTorch's ValueErrors do.

import { Parameter } from "../layers/module.ts";
import { formatValue } from "../layers/_errors.ts";

/** Throws unless `value` is a number; returns it. */
export function checkNumber(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot create ${owner}: ${name} must be a number, got ${formatValue(value)}`,
    );
  }
  return value;
}

/** Throws unless `value` is a finite number ≥ 0 (learning rate, weight decay, eps, momentum). */
export function checkNonNegative(owner: string, name: string, value: unknown): number {
  const v = checkNumber(owner, name, value);
  if (!(Number.isFinite(v) && v >= 0)) {
    throw new RangeError(`Cannot create ${owner}: ${name} must be finite and >= 0, got ${v}`);
  }
  return v;
}

/** Throws unless `value` is a finite number in [0, 1) (Adam's betas). */
export function checkUnitInterval(owner: string, name: string, value: unknown): number {
  const v = checkNumber(owner, name, value);
  if (!(v >= 0 && v < 1)) {
    throw new RangeError(`Cannot create ${owner}: ${name} must be in [0, 1), got ${v}`);
  }
  return v;
}

/** Throws unless `value` is a boolean. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") {
    throw new TypeError(
      `Cannot create ${owner}: ${name} must be a boolean, got ${formatValue(value)}`,
    );
  }
  return value;
}

/** Throws unless `params` is an array of Parameters whose grad matches the value's size. */
export function checkParameters(owner: string, params: unknown): Parameter[] {
  if (!Array.isArray(params)) {
    throw new TypeError(
      `Cannot create ${owner}: params must be an array of Parameter, got ${typeof params}`,
    );
  }
  params.forEach((p, i) => {
    if (!(p instanceof Parameter)) {
      throw new TypeError(`Cannot create ${owner}: params[${i}] must be a Parameter`);
    }
    if (p.grad.size !== p.value.size || p.grad.dtype !== p.value.dtype) {
      throw new TypeError(
        `Cannot create ${owner}: params[${i}] (${p.name}) has a gradient of ${p.grad} for a ` +
          `value of ${p.value}`,
      );
    }
  });
  if (new Set(params).size !== params.length) {
    throw new TypeError(`Cannot create ${owner}: params must not list a Parameter twice`);
  }
  return [...params];
}
