/**
 * The package's own implementations as {@linkcode Implementation} adapters: each runs a whole
 * ONNX graph with the `GraphExecutor`, forward and backward.
 *
 * - `"reference"`: the definitional loop nests (`impl: "reference"`);
 * - `"fast"`: the fast path with float32 products forced onto the WebAssembly SIMD GEMM
 *   (`setGemmBackend("wasm")`, so even tiny products exercise it; `"auto"` where the engine has
 *   no SIMD);
 * - `"fast-ts"`: the fast path with the TypeScript GEMM fallback (`setGemmBackend("ts")`).
 *
 * @module
 */

import { gemmBackend, setGemmBackend } from "../layers/_gemm.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import type { OnnxModel } from "../onnx/model.ts";
import type { GraphRunner, Implementation } from "./adapter.ts";

/** The package's own implementations. */
export type ConformanceImpl = "reference" | "fast" | "fast-ts";

/** Every built-in implementation, in run order: what `--impl all` means. */
export const ALL_IMPLS: readonly ConformanceImpl[] = Object.freeze([
  "reference",
  "fast",
  "fast-ts",
]);

/**
 * One of the package's implementations as an adapter.
 *
 * @param name `"reference"`, `"fast"` or `"fast-ts"`.
 * @returns The adapter (its `graph` wraps a `GraphExecutor`).
 * @throws {TypeError} If `name` is not a built-in implementation.
 *
 * @example Run a Relu graph on the reference path
 * ```ts
 * import { builtinImplementation } from "./builtin.ts";
 * import { decodeModel } from "../onnx/model.ts";
 * import { singleNodeModel } from "../onnx/single_node.ts";
 * import { OnnxTensor } from "../onnx/onnx_tensor.ts";
 * const model = decodeModel(singleNodeModel({
 *   opType: "Relu",
 *   inputs: [{ name: "x", dtype: "float32", dims: [2] }],
 *   outputs: [{ name: "y", dtype: "float32", dims: [2] }],
 * }));
 * const runner = await builtinImplementation("reference").graph!(model);
 * const [y] = await runner.run([new OnnxTensor(new Float32Array([-1, 2]), [2])]);
 * if (y?.data.join() !== "0,2") throw new Error(`got ${y?.data}`);
 * ```
 */
export function builtinImplementation(name: ConformanceImpl): Implementation {
  if (!ALL_IMPLS.includes(name)) {
    throw new TypeError(
      `Cannot create implementation: name must be one of ${ALL_IMPLS.join(", ")}, got ${
        JSON.stringify(name)
      }`,
    );
  }
  const implementation: Implementation = {
    name,
    graph(model: OnnxModel): GraphRunner {
      const executor = new GraphExecutor(model, {
        impl: name === "reference" ? "reference" : "fast",
      });
      return {
        run: (inputs) => withBuiltinBackend(name, () => executor.run(inputs)),
        backward: (seeds) => withBuiltinBackend(name, () => executor.backward(seeds)),
      };
    },
  };
  BUILTIN.set(implementation, name);
  return implementation;
}

/** The adapters made by {@linkcode builtinImplementation}, with their names. */
const BUILTIN = new WeakMap<Implementation, ConformanceImpl>();

/**
 * The built-in path an adapter runs, if it is one of {@linkcode builtinImplementation}'s (the
 * runner re-runs those on pinned kink branches, see `kink_pinned.ts`).
 *
 * @param impl An adapter.
 * @returns Its built-in name, or undefined for any other adapter.
 */
export function builtinNameOf(impl: Implementation): ConformanceImpl | undefined {
  return BUILTIN.get(impl);
}

/**
 * Runs `fn` with the GEMM backend an implementation needs, then restores `"auto"` (the default):
 * a case never leaks its backend into the next one.
 *
 * @param impl The built-in implementation.
 * @param fn What to run.
 * @returns `fn`'s result.
 */
export function withBuiltinBackend<T>(impl: ConformanceImpl, fn: () => T): T {
  if (impl === "reference") return fn();
  try {
    setGemmBackend(impl === "fast-ts" ? "ts" : simdAvailable() ? "wasm" : "auto");
    return fn();
  } finally {
    setGemmBackend("auto");
  }
}

let simd: boolean | undefined;
/** Whether the engine runs the WebAssembly SIMD GEMM (what `"auto"` picks when it can). */
function simdAvailable(): boolean {
  if (simd === undefined) {
    setGemmBackend("auto");
    simd = gemmBackend() === "wasm";
  }
  return simd;
}
