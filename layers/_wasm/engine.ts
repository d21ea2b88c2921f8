// The WebAssembly memories every emitted kernel module imports, and the views onto them. A
// `WasmContext` is one memory with its own instances of the kernel modules:
// - the plain context (a non-shared memory) serves the single-thread path: the GEMM, convolution
//   and pooling drivers each use it from byte 0 as scratch for the duration of one call (calls
//   never nest and JavaScript is single-threaded), so they share it;
// - the shared context (`shared: true`, one SharedArrayBuffer) serves the multi-threaded path
//   (../_threads/): the calling thread and the workers run the same modules on the same memory,
//   each in its own scratch region, which the calling thread lays out before it hands work out.
// The single-thread path stays on the plain memory because TypedArray copies into a
// SharedArrayBuffer run 10-20% slower here (measured: 11 vs 14 GB/s for 16 MB). Memory only
// grows, only on the calling thread, and only between kernel calls.

import { withSharedMemory } from "./writer.ts";

const PAGE = 65536;
/** Hard cap on each memory; the drivers' budgets keep real use to tens of MiB. */
export const MAX_BYTES = 256 << 20;
/** Pages a kernel module must declare as the maximum of its imported memory. */
export const MAX_PAGES = MAX_BYTES / PAGE;

/** One memory, its typed views and the kernel modules instantiated against it. */
export class WasmContext {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  #floats: Float32Array = new Float32Array(0);
  #ints: Int32Array = new Int32Array(0);
  readonly #instances = new Map<string, WebAssembly.Exports>();

  constructor(memory: WebAssembly.Memory, shared: boolean) {
    this.memory = memory;
    this.shared = shared;
  }

  /**
   * The instance of the module called `key`, compiled from `build()` on first use (synchronously:
   * the modules are small). A shared context declares the module's memory import shared.
   */
  instance(key: string, build: () => Uint8Array): WebAssembly.Exports {
    let found = this.#instances.get(key);
    if (found === undefined) {
      const bytes = this.shared ? withSharedMemory(build()) : build();
      const module = new WebAssembly.Module(bytes as BufferSource);
      found = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports;
      this.#instances.set(key, found);
    }
    return found;
  }

  /**
   * Grows the memory to at least `bytes` and returns the float view (replaced after growth, so
   * callers take it again after every reserve).
   * @throws {RangeError} If `bytes` exceeds MAX_BYTES.
   */
  reserve(bytes: number, op = "wasm kernel"): Float32Array {
    if (bytes > MAX_BYTES) {
      throw new RangeError(
        `Cannot compute ${op}: wasm scratch of ${bytes} bytes exceeds the ${MAX_BYTES} byte cap`,
      );
    }
    const have = this.memory.buffer.byteLength;
    if (have < bytes) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return this.floats();
  }

  /** Float32 view of the whole memory (current after the last growth, by any thread). */
  floats(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.#floats.buffer !== buffer) this.#floats = new Float32Array(buffer as ArrayBuffer);
    return this.#floats;
  }

  /** Int32 view of the whole memory (current after the last growth, by any thread). */
  ints(): Int32Array {
    const buffer = this.memory.buffer;
    if (this.#ints.buffer !== buffer) this.#ints = new Int32Array(buffer as ArrayBuffer);
    return this.#ints;
  }
}

let plain: WasmContext | undefined;
let shared: WasmContext | undefined;

/** The single-thread context (a plain memory), created on first use. */
export function plainContext(): WasmContext {
  plain ??= new WasmContext(new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES }), false);
  return plain;
}

/**
 * The multi-thread context (a shared memory): created on first use on the calling thread, or the
 * one a worker adopted from it.
 */
export function sharedContext(): WasmContext {
  shared ??= new WasmContext(
    new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true }),
    true,
  );
  return shared;
}

/** In a worker: makes the calling thread's shared memory this thread's shared context. */
export function adoptSharedMemory(memory: WebAssembly.Memory): void {
  shared = new WasmContext(memory, true);
}

/** Instantiates an emitted module against the plain memory (kept for the tests). */
export function instantiate(bytes: Uint8Array): WebAssembly.Exports {
  const module = new WebAssembly.Module(bytes as BufferSource);
  return new WebAssembly.Instance(module, { env: { memory: plainContext().memory } }).exports;
}

/** `reserve` on the plain context. */
export function reserve(bytes: number, op = "wasm kernel"): Float32Array {
  return plainContext().reserve(bytes, op);
}

/** Float32 view of the plain memory. */
export function floatView(): Float32Array {
  return plainContext().floats();
}

/** Int32 view of the plain memory. */
export function intView(): Int32Array {
  return plainContext().ints();
}

/** Bytes the memories currently hold (plain and shared). */
export function memoryBytes(): number {
  return (plain?.memory.buffer.byteLength ?? 0) + (shared?.memory.buffer.byteLength ?? 0);
}
