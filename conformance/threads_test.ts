// Goldens on two threads: a representative set of the committed golden cases (every 8th
// convolution, transposed convolution, max pool and linear case of both sources, every pitfall
// case, both whole models) runs forward and backward through the fast path on one thread and on
// two threads with the size thresholds off, so that every kernel with a threaded path takes it,
// and every output and gradient must be the same bits. The one-thread results are what the golden
// test (./golden_test.ts) checks against the goldens, so the two-thread ones pass them too.

import { assert, assertEquals } from "@std/assert";
import { findCases, loadCase } from "../onnx/case.ts";
import { GraphExecutor } from "../onnx/executor.ts";
import type { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { takeWorkerUnits } from "../layers/_threads/pool.ts";
import { forceThreads } from "../layers/_threads/tuning.ts";
import { getThreads, setThreads, startThreads, stopThreads } from "../layers/threads.ts";

const GOLDEN = decodeURIComponent(new URL("../golden", import.meta.url).pathname);
const THREADED = /^(conv|convtranspose|maxpool)[123]d_|^linear|^pitfall/;

const isFloat = (t: OnnxTensor | undefined) =>
  t !== undefined && (t.dtype === "float32" || t.dtype === "float64");

/** Bits of a float tensor (NaN payloads included) as a string, for comparison. */
function bits(t: OnnxTensor | undefined): string {
  if (t === undefined) return "none";
  const data = t.data as Float32Array | Float64Array;
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return `${t.dtype} [${t.dims.join(",")}] ${Array.from(view).join(",")}`;
}

function runBoth(
  executor: GraphExecutor,
  inputs: readonly OnnxTensor[],
  seeds: (OnnxTensor | undefined)[],
) {
  const outputs = executor.run(inputs).map(bits);
  const grads = executor.backward(seeds);
  return { outputs, inputs: grads.inputs.map(bits), initializers: grads.initializers.map(bits) };
}

Deno.test("goldens: the same bits on one and on two threads", async () => {
  const before = getThreads();
  const dirs = (await findCases([GOLDEN])).filter((dir) => {
    const [group, name] = dir.slice(GOLDEN.length + 1).split("/");
    return group === "torch-models" || THREADED.test(name);
  });
  const chosen = dirs.filter((dir, i) =>
    dir.includes("torch-models") || dir.includes("pitfall") || i % 8 === 0
  );
  assert(chosen.length > 250, `only ${chosen.length} cases chosen`);
  forceThreads(true);
  try {
    setThreads(2);
    assertEquals(await startThreads(), 2, "the worker starts");
    takeWorkerUnits();
    let compared = 0;
    for (const dir of chosen) {
      const golden = await loadCase(dir);
      for (const set of golden.dataSets) {
        const seeds = (set.gradOutputs ?? []).map((g, j) =>
          isFloat(set.outputs[j]) && isFloat(g) ? g : undefined
        );
        const one = runBoth(new GraphExecutor(golden.model, { threads: 1 }), set.inputs, seeds);
        const two = runBoth(new GraphExecutor(golden.model, { threads: 2 }), set.inputs, seeds);
        assertEquals(two, one, `${dir}: results differ between 1 and 2 threads`);
        compared++;
      }
    }
    assert(compared >= chosen.length);
    const units = [...takeWorkerUnits().values()].reduce((a, b) => a + b, 0);
    assert(units > 100, `the worker ran only ${units} units`);
  } finally {
    forceThreads(false);
    setThreads(before);
    stopThreads();
  }
});
