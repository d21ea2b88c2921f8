// Every task a worker can run, indexed by its id (the workers look a job's task up here). Each
// task lives beside the driver that hands it out.

import type { Task } from "./job.ts";
import { GEMM_TASK } from "../_wasm/gemm_threads.ts";
import {
  BACKWARD_INPUT_TASK,
  FORWARD_TASK,
  WEIGHT_STAGE_TASK,
  WEIGHT_TASK,
} from "../_wasm/implicit_threads.ts";
import {
  FORWARD_TASK as IM2COL_FORWARD_TASK,
  INPUT_TASK as IM2COL_INPUT_TASK,
  WEIGHT_TASK as IM2COL_WEIGHT_TASK,
} from "../_wasm/conv_threads.ts";
import { POOL_TASK } from "../_wasm/pool_threads.ts";
import {
  DIRECT_FORWARD_TASK,
  DIRECT_INPUT_TASK,
  DIRECT_WEIGHT_TASK,
} from "../_wasm/direct_threads.ts";

/** The tasks, TASKS[id].id === id. */
export const TASKS: readonly Task[] = [
  GEMM_TASK,
  FORWARD_TASK,
  BACKWARD_INPUT_TASK,
  WEIGHT_STAGE_TASK,
  WEIGHT_TASK,
  IM2COL_FORWARD_TASK,
  IM2COL_INPUT_TASK,
  IM2COL_WEIGHT_TASK,
  POOL_TASK,
  DIRECT_FORWARD_TASK,
  DIRECT_INPUT_TASK,
  DIRECT_WEIGHT_TASK,
];
