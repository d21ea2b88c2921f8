// The worker pool of the multi-threaded fast path. Workers (Deno module workers running
// ./worker.ts) are started lazily, the first time a kernel asks for more than one thread, and
// then live on: a job is handed over through the control block (./control.ts) with Atomics
// store/notify and taken back with Atomics wait, so no call starts a worker or posts a message.
// They share one WebAssembly.Memory({ shared: true }) with the calling thread, which stages the
// inputs into it, lays out a scratch region per thread, runs its own share of the units and
// copies the results out.
//
// A worker takes part in a job only once it has said it is ready, so the first calls (while the
// workers load their modules, some 50-200 ms) simply run on the calling thread; the kernels then
// take their single-thread path. A worker that fails to start (no read permission for its
// module, say) is never used. Workers stop after IDLE_MS without jobs, so a script ends without
// having to stop them (an unref'd timer; Deno workers cannot be unref'd themselves), or at once
// with `shutdownPool()`.

import { sharedContext, type WasmContext } from "../_wasm/engine.ts";
import {
  CONTROL_BYTES,
  DONE,
  ERROR,
  ERROR_CHARS,
  ERROR_TEXT,
  MAX_WORKERS,
  NEXT,
  PARAMS,
  PARAMS_AT,
  PROGRESS,
  QUIT,
  READY,
  RELAXED,
  SEQ,
  SLOT,
  SLOTS_AT,
  TASK,
  THREAD,
  THREADS,
  UNITS,
} from "./control.ts";
import { type Job, type Task, waitAtLeast, waitChange } from "./job.ts";

/** Milliseconds without a job after which the workers are stopped. */
export const IDLE_MS = 1000;

/** Most threads a job may use (the calling thread and MAX_WORKERS workers). */
export const MAX_THREADS = MAX_WORKERS + 1;

interface Entry {
  worker: Worker;
  slot: number;
  failed: boolean;
}

let setting = defaultThreads();
let entries: Entry[] = [];
let control: Int32Array | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let lastUse = 0;
let warned = false;
/** Units the workers ran, by task id (for tests that must see the threads work). */
const workerUnits = new Map<number, number>();

/** How many units of each task (by id) the workers ran since the last call (then reset). */
export function takeWorkerUnits(): Map<number, number> {
  const copy = new Map(workerUnits);
  workerUnits.clear();
  return copy;
}

function defaultThreads(): number {
  const n = typeof navigator === "object" ? navigator.hardwareConcurrency : 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
}

/** The thread count kernels may use (the `threads` option; 1 = the single-thread path). */
export function threadSetting(): number {
  return setting;
}

/** Sets the thread count (already validated: an integer in 1..MAX_THREADS). */
export function setThreadSetting(threads: number): void {
  setting = threads;
}

/** The default thread count: `navigator.hardwareConcurrency` (at most MAX_THREADS). */
export function defaultThreadSetting(): number {
  return defaultThreads();
}

function controlBlock(): Int32Array {
  control ??= new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  return control;
}

function startWorkers(count: number): void {
  const ctl = controlBlock();
  const memory = sharedContext().memory;
  Atomics.store(ctl, QUIT, 0);
  while (entries.length < count) {
    const slot = entries.length;
    let worker: Worker;
    try {
      worker = new Worker(new URL("./worker.ts", import.meta.url).href, { type: "module" });
    } catch (error) {
      warn(error);
      return;
    }
    const entry: Entry = { worker, slot, failed: false };
    worker.onerror = (event) => {
      event.preventDefault();
      entry.failed = true;
      warn(event.message);
    };
    worker.postMessage({ memory, control: ctl.buffer, slot });
    entries.push(entry);
  }
}

function warn(error: unknown): void {
  if (warned) return;
  warned = true;
  const text = error instanceof Error ? error.message : String(error);
  console.warn(`@cnn/conv-layers: worker threads unavailable, running on one thread (${text})`);
}

function isReady(entry: Entry): boolean {
  return !entry.failed && Atomics.load(controlBlock(), SLOTS_AT + entry.slot * SLOT + READY) === 1;
}

/**
 * How many threads a job started now would get: 1 (the calling thread) plus the ready workers,
 * up to the `threads` setting. Starts the workers the setting asks for if they are not running.
 */
export function teamSize(): number {
  const want = Math.min(setting, MAX_THREADS);
  if (want <= 1) return 1;
  if (entries.length < want - 1) startWorkers(want - 1);
  let n = 1;
  for (let i = 0; i < entries.length && n < want; i++) if (isReady(entries[i])) n++;
  return n;
}

/**
 * Starts the workers the setting asks for and resolves, with the team size, once they are all
 * ready (or after `timeoutMs`). For tests and benchmarks, which should measure working threads.
 */
export async function warmPool(timeoutMs = 30000): Promise<number> {
  const want = Math.min(setting, MAX_THREADS);
  const start = performance.now();
  while (teamSize() < want && !entries.every((e) => e.failed)) {
    if (performance.now() - start > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return teamSize();
}

/** Stops the workers now (they start again on the next job that wants them). */
export function shutdownPool(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  if (entries.length === 0) return;
  const ctl = controlBlock();
  Atomics.store(ctl, QUIT, 1);
  for (const entry of entries) {
    const seq = SLOTS_AT + entry.slot * SLOT + SEQ;
    Atomics.add(ctl, seq, 1);
    Atomics.notify(ctl, seq);
    entry.worker.terminate();
  }
  for (const entry of entries) Atomics.store(ctl, SLOTS_AT + entry.slot * SLOT + READY, 0);
  entries = [];
}

/** Workers currently started (ready or not). */
export function poolWorkers(): number {
  return entries.length;
}

function armIdleTimer(): void {
  lastUse = performance.now();
  if (timer !== undefined) return;
  const fire = () => {
    const left = IDLE_MS - (performance.now() - lastUse);
    if (left > 0) {
      timer = setTimeout(fire, left);
      unref(timer);
      return;
    }
    timer = undefined;
    shutdownPool();
  };
  timer = setTimeout(fire, IDLE_MS);
  unref(timer);
}

function unref(id: ReturnType<typeof setTimeout>): void {
  if (typeof Deno === "object" && typeof Deno.unrefTimer === "function") {
    Deno.unrefTimer(id as unknown as number);
  }
}

/**
 * Runs `task` as thread `thread` of a job whose header is in `ctl`; returns how many units it
 * claimed that existed (claims but the last, which found none left).
 */
export function runTask(
  task: Task,
  ctx: WasmContext,
  ctl: Int32Array,
  thread: number,
  params: Int32Array,
): number {
  let claims = 0;
  const job: Job = {
    ctx,
    thread,
    threads: Atomics.load(ctl, THREADS),
    relaxed: Atomics.load(ctl, RELAXED) === 1,
    params,
    claim: () => {
      claims++;
      return Atomics.add(ctl, NEXT, 1);
    },
    ready: (items) => waitAtLeast(ctl, PROGRESS, items),
  };
  task.run(job);
  return Math.max(0, claims - 1);
}

/** Records a failing task's message for the calling thread. */
export function recordError(ctl: Int32Array, error: unknown): void {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (Atomics.compareExchange(ctl, ERROR, 0, 1) !== 0) return;
  const n = Math.min(text.length, ERROR_CHARS - 1);
  for (let i = 0; i < n; i++) ctl[ERROR_TEXT + i] = text.charCodeAt(i);
  ctl[ERROR_TEXT + n] = 0;
}

/** Stages a job's input on the calling thread; call `publish(items)` as items become ready. */
export type Stager = (publish: (items: number) => void) => void;

/**
 * Runs a job on `threads` threads (at most `teamSize()`, checked when the caller laid out the
 * scratch): writes the parameters, wakes the workers, runs `stage` (if given) and then its own
 * share of the units on the calling thread, and waits for the workers.
 * @throws {Error} If a thread's task threw (naming the task and the message).
 */
export function runParallel(
  task: Task,
  threads: number,
  params: ArrayLike<number>,
  relaxed: boolean,
  stage?: Stager,
): void {
  const ctl = controlBlock();
  if (params.length > PARAMS) throw new RangeError(`${task.name}: too many job parameters`);
  ctl.set(params as ArrayLike<number>, PARAMS_AT);
  Atomics.store(ctl, TASK, task.id);
  Atomics.store(ctl, NEXT, 0);
  Atomics.store(ctl, ERROR, 0);
  Atomics.store(ctl, RELAXED, relaxed ? 1 : 0);
  Atomics.store(ctl, PROGRESS, stage ? 0 : 0x7fffffff);
  const team: { index: number; seq: number }[] = [];
  for (let i = 0; i < entries.length && team.length < threads - 1; i++) {
    if (isReady(entries[i])) team.push({ index: SLOTS_AT + entries[i].slot * SLOT, seq: 0 });
  }
  Atomics.store(ctl, THREADS, team.length + 1);
  for (let t = 0; t < team.length; t++) {
    const { index } = team[t];
    Atomics.store(ctl, index + THREAD, t + 1);
    team[t].seq = Atomics.add(ctl, index + SEQ, 1) + 1;
    Atomics.notify(ctl, index + SEQ);
  }
  try {
    if (stage) {
      stage((items) => {
        Atomics.store(ctl, PROGRESS, items);
        Atomics.notify(ctl, PROGRESS);
      });
      Atomics.store(ctl, PROGRESS, 0x7fffffff);
      Atomics.notify(ctl, PROGRESS);
    }
    runTask(task, sharedContext(), ctl, 0, ctl.subarray(PARAMS_AT, PARAMS_AT + params.length));
  } catch (error) {
    recordError(ctl, error);
    // Let the workers run out of units and past any wait for staged input.
    Atomics.store(ctl, NEXT, 0x3fffffff);
    Atomics.store(ctl, PROGRESS, 0x7fffffff);
    Atomics.notify(ctl, PROGRESS);
  } finally {
    let units = 0;
    for (const { index, seq } of team) {
      let done = Atomics.load(ctl, index + DONE);
      while (done !== seq) done = waitChange(ctl, index + DONE, done);
      units += Atomics.load(ctl, index + UNITS);
    }
    if (team.length > 0) workerUnits.set(task.id, (workerUnits.get(task.id) ?? 0) + units);
    armIdleTimer();
  }
  if (Atomics.load(ctl, ERROR) !== 0) {
    let text = "";
    for (let i = ERROR_TEXT; i < ERROR_TEXT + ERROR_CHARS && ctl[i] !== 0; i++) {
      text += String.fromCharCode(ctl[i]);
    }
    throw new Error(`Cannot compute ${task.name}: a thread failed: ${text}`);
  }
}
