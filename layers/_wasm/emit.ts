// Small structured helpers over the raw writer, shared by the convolution and pooling kernel
// emitters: counted loops, min/max and pointer bumps. Each emits plain instructions; nothing here
// adds a runtime cost.

import { type FunctionBuilder, I32, type Local } from "./writer.ts";

/** `local += value` (a constant or another local). */
export function addTo(f: FunctionBuilder, local: Local, value: number | Local): void {
  f.get(local);
  if (typeof value === "number") f.i32Const(value);
  else f.get(value);
  f.i32Add().set(local);
}

/** Pushes `value` (a constant or a local). */
export function push(f: FunctionBuilder, value: number | Local): void {
  if (typeof value === "number") f.i32Const(value);
  else f.get(value);
}

/** `target = min(a, b)` (signed). */
export function setMin(f: FunctionBuilder, target: Local, a: Local, b: number | Local): void {
  f.get(a);
  push(f, b);
  f.get(a);
  push(f, b);
  f.i32LtS().select().set(target);
}

/** `target = max(a, b)` (signed). */
export function setMax(f: FunctionBuilder, target: Local, a: Local, b: number | Local): void {
  f.get(a);
  push(f, b);
  f.get(a);
  push(f, b);
  f.i32GtS().select().set(target);
}

/**
 * `for (i = from; i < to; i += step) body()`, with `to` read each iteration (a local or a
 * constant). The body may not branch out of the loop.
 */
export function forRange(
  f: FunctionBuilder,
  i: Local,
  from: number | Local,
  to: number | Local,
  step: number | Local,
  body: () => void,
): void {
  push(f, from);
  f.set(i);
  f.block().loop();
  f.get(i);
  push(f, to);
  f.i32GeS().brIf(1);
  body();
  addTo(f, i, step);
  f.br(0).end().end();
}

/** `while (cond()) body()`, where `cond` pushes an i32. */
export function whileLoop(f: FunctionBuilder, cond: () => void, body: () => void): void {
  f.block().loop();
  cond();
  f.i32Eqz().brIf(1);
  body();
  f.br(0).end().end();
}

/** Declares `count` i32 locals. */
export function i32Locals(f: FunctionBuilder, count: number): Local[] {
  return Array.from({ length: count }, () => f.local(I32));
}
