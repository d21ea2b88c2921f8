// ONNX Runtime (npm:onnxruntime-node 1.30, CPU, one thread, all graph optimisations) as a
// conformance adapter at the whole-graph level: the case's model runs as it is, forward only
// (ONNX Runtime's inference package has no gradients, so every gradient file is reported as
// skipped). Against the ONNX Runtime goldens this is a self-check of the generator; against the
// PyTorch goldens it is a real comparison.

import * as ort from "onnxruntime-node";
import {
  type GraphRunner,
  type Implementation,
  NotSupportedError,
  type OnnxModel,
  OnnxTensor,
} from "../conformance/mod.ts";
import { encodeModel } from "../onnx/model.ts";

ort.env.logLevel = "fatal";

/** The onnxruntime-node version. */
export const ORT_VERSION: string = ort.env.versions?.node ?? "1.30.0";

/** Element types the adapter feeds and reads, by ONNX Runtime's name. */
const TYPES = new Set(["float32", "float64", "int64", "int32", "bool", "uint8", "int8"]);

/**
 * ONNX Runtime as a conformance implementation.
 *
 * @returns The adapter (`graph`: forward only).
 */
export function ortImplementation(): Implementation {
  // One case at a time: the previous case's session is released when the next one loads.
  let current: ort.InferenceSession | undefined;
  return {
    name: "onnxruntime",
    async graph(model: OnnxModel): Promise<GraphRunner> {
      await current?.release();
      current = undefined;
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(encodeModel(model), {
          intraOpNumThreads: 1,
          interOpNumThreads: 1,
          executionMode: "sequential",
          graphOptimizationLevel: "all",
          logSeverityLevel: 4,
        });
      } catch (error) {
        // A model ONNX Runtime refuses to load (an op or type it lacks) cannot be compared.
        throw new NotSupportedError(`refuses the model: ${firstLine(error)}`);
      }
      current = session;
      const initializers = new Set(model.graph.initializers.map((t) => t.name));
      const inputs = model.graph.inputs.filter((v) => !initializers.has(v.name));
      return {
        async run(values) {
          const feeds: Record<string, ort.Tensor> = {};
          inputs.forEach((info, i) => {
            const t = values[i];
            if (!TYPES.has(t.dtype)) throw new NotSupportedError(`input type ${t.dtype}`);
            const data = t.dtype === "bool" ? Uint8Array.from(t.data as Uint8Array) : t.data;
            feeds[info.name] = new ort.Tensor(
              t.dtype as "float32",
              data as Float32Array,
              [...t.dims],
            );
          });
          let out: ort.InferenceSession.ReturnType;
          try {
            out = await session.run(feeds);
          } catch (error) {
            // ONNX Runtime refusing a configuration in so many words ("Dilation not supported
            // for AutoPadType::SAME_UPPER") cannot be compared; any other error is a failure.
            const message = firstLine(error);
            if (/ not supported/i.test(message)) throw new NotSupportedError(message);
            throw error;
          }
          return model.graph.outputs.map((o) => {
            const t = out[o.name];
            if (t === undefined) return undefined;
            const data = t.type === "bool" ? Uint8Array.from(t.data as Uint8Array) : t.data;
            return new OnnxTensor(
              data as Float32Array,
              t.dims as number[],
              t.type === "bool" ? { dtype: "bool" } : {},
            );
          });
        },
      };
    },
    async dispose() {
      await current?.release();
      current = undefined;
    },
  };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].slice(0, 300);
}
