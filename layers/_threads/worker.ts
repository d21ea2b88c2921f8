// A worker of the pool (./pool.ts): adopts the calling thread's shared wasm memory, says it is
// ready, and then runs jobs until told to quit — blocking in Atomics.wait between jobs, so it
// costs nothing while idle and needs no message per job.

import { adoptSharedMemory, sharedContext } from "../_wasm/engine.ts";
import {
  DONE,
  PARAMS,
  PARAMS_AT,
  QUIT,
  READY,
  SEQ,
  SLOT,
  SLOTS_AT,
  TASK,
  THREAD,
  UNITS,
} from "./control.ts";
import { waitChange } from "./job.ts";
import { recordError, runTask } from "./pool.ts";
import { TASKS } from "./tasks.ts";

interface Init {
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
}

globalThis.addEventListener("message", (event) => {
  const { memory, control, slot } = (event as MessageEvent<Init>).data;
  adoptSharedMemory(memory);
  const ctx = sharedContext();
  const ctl = new Int32Array(control);
  const at = SLOTS_AT + slot * SLOT;
  let seen = Atomics.load(ctl, at + SEQ);
  Atomics.store(ctl, at + READY, 1);
  for (;;) {
    seen = waitChange(ctl, at + SEQ, seen);
    if (Atomics.load(ctl, QUIT) === 1) break;
    let units = 0;
    try {
      const task = TASKS[Atomics.load(ctl, TASK)];
      // A private copy: the parameters are read often and never change during a job.
      units = runTask(
        task,
        ctx,
        ctl,
        Atomics.load(ctl, at + THREAD),
        ctl.slice(PARAMS_AT, PARAMS_AT + PARAMS),
      );
    } catch (error) {
      recordError(ctl, error);
    }
    Atomics.store(ctl, at + UNITS, units);
    Atomics.store(ctl, at + DONE, seen);
    Atomics.notify(ctl, at + DONE);
  }
  globalThis.close();
}, { once: true });
