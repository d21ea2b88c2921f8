// The supervisor side of ./worker.ts: sends one case at a time with a deadline; a case that
// misses it is a timeout, and its worker is terminated and replaced.

import type { CaseResult, LayerCase } from "./layer_calls.ts";
import type { ModelMutation } from "./model_mutations.ts";
import type { WorkerReply, WorkerRequest } from "./worker.ts";

/** What the worker is set up with. */
export interface RunnerSetup {
  /** Seed model directories (see `listSeeds`). */
  readonly seeds: string[];
  /** Memory budget inside the worker, bytes (see `setMemoryBudget`). */
  readonly budget: number;
  /** Deadline of one case, milliseconds. */
  readonly timeoutMs: number;
}

/** Runs fuzz cases in a worker, one at a time, each with a deadline. */
export class CaseRunner {
  readonly #setup: RunnerSetup;
  #worker: Worker | undefined;
  #next = 0;

  constructor(setup: RunnerSetup) {
    this.#setup = setup;
  }

  /** Runs a layer call. */
  layer(c: LayerCase): Promise<CaseResult> {
    return this.#send({ id: this.#next++, kind: "layer", case: c });
  }

  /** Runs a model mutation. */
  model(m: ModelMutation): Promise<CaseResult> {
    return this.#send({ id: this.#next++, kind: "model", case: m });
  }

  /** Terminates the worker. */
  close(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  async #ready(): Promise<Worker> {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.#worker = worker;
    const { seeds, budget } = this.#setup;
    await this.#exchange(worker, { id: this.#next++, kind: "setup", seeds, budget }, 60_000);
    return worker;
  }

  async #send(request: WorkerRequest): Promise<CaseResult> {
    const worker = await this.#ready();
    return await this.#exchange(worker, request, this.#setup.timeoutMs);
  }

  #exchange(worker: Worker, request: WorkerRequest, timeoutMs: number): Promise<CaseResult> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.onmessage = null;
        worker.onerror = null;
        this.close();
        resolve({ outcome: "timeout", detail: `no answer within ${timeoutMs} ms` });
      }, timeoutMs);
      worker.onmessage = (event: MessageEvent<WorkerReply>) => {
        if (event.data.id !== request.id) return;
        clearTimeout(timer);
        resolve(event.data.result);
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        clearTimeout(timer);
        this.close();
        resolve({ outcome: "internal-error", detail: `worker died: ${event.message}` });
      };
      worker.postMessage(request);
    });
  }
}
