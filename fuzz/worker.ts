// The fuzz worker: runs one case per message (a layer call or a model mutation) and answers with
// its outcome, so the supervisor (./runner.ts) can put a deadline on every case and replace a
// worker that hangs instead of hanging itself.

import { setMemoryBudget } from "../layers/limits.ts";
import { classifyError, describeError } from "./classify.ts";
import { type CaseResult, type LayerCase, runLayerCase } from "./layer_calls.ts";
import { type ModelMutation, runModelCase } from "./model_mutations.ts";

/** A request to the worker. */
export type WorkerRequest =
  | {
    readonly id: number;
    readonly kind: "setup";
    readonly seeds: string[];
    readonly budget: number;
  }
  | { readonly id: number; readonly kind: "layer"; readonly case: LayerCase }
  | { readonly id: number; readonly kind: "model"; readonly case: ModelMutation };

/** The worker's answer to request `id`. */
export interface WorkerReply {
  readonly id: number;
  readonly result: CaseResult;
}

let seeds: string[] = [];

async function handle(request: WorkerRequest): Promise<CaseResult> {
  switch (request.kind) {
    case "setup":
      seeds = request.seeds;
      setMemoryBudget(request.budget);
      return { outcome: "agreement", detail: "" };
    case "layer":
      return runLayerCase(request.case);
    case "model":
      return await runModelCase(seeds, request.case);
  }
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
};

scope.onmessage = async (event) => {
  const request = event.data;
  let result: CaseResult;
  try {
    result = await handle(request);
  } catch (error) {
    // Anything escaping a case runner (a seed that fails to load, ...) is classified too.
    result = { outcome: classifyError(error), detail: `uncaught: ${describeError(error)}` };
  }
  scope.postMessage({ id: request.id, result });
};
