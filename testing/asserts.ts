/**
 * A subset of `@std/assert` with the same signatures, built on `node:assert`, because JSR is not
 * reachable from this project's machines. `deno.json` maps `@std/assert` here, so switching to the
 * real package is a one-line change.
 *
 * @module
 */

import nodeAssert, { AssertionError } from "node:assert";

/**
 * @param condition Must be truthy.
 * @param message Failure message.
 * @throws {AssertionError} If `condition` is falsy.
 */
export function assert(
  condition: unknown,
  message = "Expected condition to be truthy",
): asserts condition {
  if (!condition) throw new AssertionError({ message });
}

/**
 * The string `actual` contains `expected`.
 *
 * @param actual The string computed.
 * @param expected The substring it must contain.
 * @param message Failure message.
 * @throws {AssertionError} If `expected` does not occur in `actual`.
 */
export function assertStringIncludes(actual: string, expected: string, message?: string): void {
  if (!actual.includes(expected)) {
    throw new AssertionError({
      message: message ?? `Expected actual: "${actual}" to contain: "${expected}".`,
    });
  }
}

/**
 * Deep, strict equality (`node:assert` `deepStrictEqual`).
 *
 * @param actual The value computed.
 * @param expected The value expected.
 * @param message Failure message prefix.
 * @throws {AssertionError} If the values differ.
 */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

/**
 * `Object.is` equality.
 *
 * @param actual The value computed.
 * @param expected The value expected.
 * @param message Failure message prefix.
 * @throws {AssertionError} If the values differ.
 */
export function assertStrictEquals<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError({
      message: `${message ? message + ": " : ""}expected ${String(expected)}, got ${
        String(actual)
      }`,
    });
  }
}

/**
 * |actual − expected| ≤ tolerance.
 *
 * @param actual The number computed.
 * @param expected The number expected.
 * @param tolerance Allowed absolute difference. @default 1e-7
 * @param message Failure message prefix.
 * @throws {AssertionError} If the difference exceeds the tolerance.
 */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  message?: string,
): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(actual - expected);
  if (!(delta <= tolerance)) {
    throw new AssertionError({
      message: `${message ? message + ": " : ""}actual ${actual}, expected ${expected}, ` +
        `delta ${delta}, tolerance ${tolerance}`,
    });
  }
}

/** Constructor of an error class. */
// deno-lint-ignore no-explicit-any
export type ErrorClass<E extends Error> = new (...args: any[]) => E;

/**
 * Asserts that `fn` throws an instance of `ErrorClass` whose message contains `msgIncludes`.
 *
 * @param fn The code expected to throw.
 * @param ErrorClass The expected class.
 * @param msgIncludes A substring of the expected message.
 * @returns The error thrown.
 * @throws {AssertionError} If nothing is thrown, or the class or message differ.
 */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
): E {
  try {
    fn();
  } catch (error) {
    checkError(error, ErrorClass, msgIncludes);
    return error as E;
  }
  throw new AssertionError({ message: "Expected function to throw" });
}

/**
 * Asserts that `fn` rejects with an instance of `ErrorClass` whose message contains `msgIncludes`.
 *
 * @param fn The async code expected to reject.
 * @param ErrorClass The expected class.
 * @param msgIncludes A substring of the expected message.
 * @returns The error thrown.
 * @throws {AssertionError} If nothing is thrown, or the class or message differ.
 */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    checkError(error, ErrorClass, msgIncludes);
    return error as E;
  }
  throw new AssertionError({ message: "Expected function to reject" });
}

function checkError<E extends Error>(
  error: unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
): void {
  if (ErrorClass && !(error instanceof ErrorClass)) {
    throw new AssertionError({
      message: `Expected error to be instance of "${ErrorClass.name}", but was "${
        (error as Error)?.constructor?.name
      }": ${(error as Error)?.message}`,
    });
  }
  if (msgIncludes !== undefined && !String((error as Error)?.message).includes(msgIncludes)) {
    throw new AssertionError({
      message: `Expected error message to include ${JSON.stringify(msgIncludes)}, but got ${
        JSON.stringify((error as Error)?.message)
      }`,
    });
  }
}
