// ONNX Runtime (npm:onnxruntime-node) sessions for the golden generator: feeds and results as
// OnnxTensor, one thread, so that a regeneration on the same machine reproduces the same bits.

import * as ort from "onnxruntime-node";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";

/** The onnxruntime-node version the goldens were generated with. */
export const ORT_VERSION: string = ort.env.versions.node ?? "unknown";

ort.env.logLevel = "fatal";

const OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: "sequential",
  logSeverityLevel: 4,
};

/** A loaded model: run it on several feeds, then release it. */
export class _Session {
  #session: ort.InferenceSession;

  private constructor(session: ort.InferenceSession) {
    this.#session = session;
  }

  /** Loads a model from its bytes. */
  static async create(model: Uint8Array): Promise<_Session> {
    return new _Session(await ort.InferenceSession.create(model, OPTIONS));
  }

  /** Runs the model; returns every graph output by name. */
  async run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>> {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      if (t.dtype === "float32") {
        inputs[name] = new ort.Tensor("float32", t.data as Float32Array, [...t.dims]);
      } else if (t.dtype === "int64") {
        inputs[name] = new ort.Tensor("int64", t.data as BigInt64Array, [...t.dims]);
      } else throw new TypeError(`golden: cannot feed ${t.dtype} input ${name}`);
    }
    const results = await this.#session.run(inputs, { logSeverityLevel: 4 });
    const out: Record<string, OnnxTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      const dims = value.dims.map(Number);
      if (value.type === "float32") {
        out[name] = new OnnxTensor(new Float32Array(value.data as Float32Array), dims);
      } else if (value.type === "int64") {
        out[name] = new OnnxTensor(new BigInt64Array(value.data as BigInt64Array), dims);
      } else throw new TypeError(`golden: unexpected ${value.type} output ${name}`);
    }
    return out;
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.#session.release();
  }
}

/** Loads `model`, runs it on each feed set in order, releases it. */
export async function _runModel(
  model: Uint8Array,
  feedSets: readonly Record<string, OnnxTensor>[],
): Promise<Record<string, OnnxTensor>[]> {
  const session = await _Session.create(model);
  try {
    const results = [];
    for (const feeds of feedSets) results.push(await session.run(feeds));
    return results;
  } finally {
    await session.release();
  }
}
