// The control block shared by the calling thread and the workers of the pool (./pool.ts,
// ./worker.ts): one Int32Array over a SharedArrayBuffer of its own, apart from the kernels' wasm
// memory. Word indices below. The calling thread writes a job (task, parameters), bumps the SEQ
// word of every worker that takes part and waits until each has copied SEQ into DONE; the
// threads claim the job's units with an atomic add on NEXT.

/** Job header words. */
export const TASK = 0;
/** Next unclaimed unit of the job (Atomics.add). */
export const NEXT = 1;
/** 1 when the GEMM kernels run the relaxed-SIMD variant. */
export const RELAXED = 2;
/** Set to 1 by a thread whose task threw; the message is at ERROR_TEXT. */
export const ERROR = 3;
/** Items the calling thread has staged so far (see `Job.ready`). */
export const PROGRESS = 4;
/** Threads taking part in the job. */
export const THREADS = 5;
/** Set to 1 to make the workers leave their loop. */
export const QUIT = 6;

/** Per-worker slot: words SEQ, DONE, READY, THREAD, UNITS from SLOTS_AT + slot · SLOT. */
export const SLOTS_AT = 16;
export const SLOT = 8;
export const SEQ = 0;
export const DONE = 1;
/** 1 once the worker waits for jobs. */
export const READY = 2;
/** The thread index (1..) the worker has in the current job. */
export const THREAD = 3;
/** Units the worker ran in its last job (for the tests' statistics). */
export const UNITS = 4;
/** Most workers a pool holds. */
export const MAX_WORKERS = 63;

/** Job parameters (i32 words). */
export const PARAMS_AT = SLOTS_AT + MAX_WORKERS * SLOT;
export const PARAMS = 1024;
/** A failing task's message, one UTF-16 code unit per word (0-terminated). */
export const ERROR_TEXT = PARAMS_AT + PARAMS;
export const ERROR_CHARS = 512;
/** Bytes of the control block. */
export const CONTROL_BYTES = (ERROR_TEXT + ERROR_CHARS) * 4;
