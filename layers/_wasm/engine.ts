// The one WebAssembly.Memory every emitted kernel module imports, and the views onto it. The GEMM,
// convolution and pooling drivers each use the memory from byte 0 as scratch for the duration of
// one call (calls never nest and JavaScript is single-threaded), so they share it instead of each
// holding their own. Memory only grows, and only between kernel calls.

const PAGE = 65536;
/** Hard cap on the memory; the drivers' budgets keep real use to tens of MiB. */
export const MAX_BYTES = 256 << 20;
/** Pages a kernel module must declare as the maximum of its imported memory. */
export const MAX_PAGES = MAX_BYTES / PAGE;

let memory: WebAssembly.Memory | undefined;
let floats: Float32Array = new Float32Array(0);
let ints: Int32Array = new Int32Array(0);

/** The shared memory, created on first use. */
export function sharedMemory(): WebAssembly.Memory {
  memory ??= new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
  return memory;
}

/** Compiles and instantiates an emitted module against the shared memory (synchronously). */
export function instantiate(bytes: Uint8Array): WebAssembly.Exports {
  const module = new WebAssembly.Module(bytes as BufferSource);
  return new WebAssembly.Instance(module, { env: { memory: sharedMemory() } }).exports;
}

/**
 * Grows the memory to at least `bytes` and returns the float view (replaced after growth, so
 * callers take it again after every reserve).
 * @throws {RangeError} If `bytes` exceeds MAX_BYTES.
 */
export function reserve(bytes: number, op = "wasm kernel"): Float32Array {
  if (bytes > MAX_BYTES) {
    throw new RangeError(
      `Cannot compute ${op}: wasm scratch of ${bytes} bytes exceeds the ${MAX_BYTES} byte cap`,
    );
  }
  const m = sharedMemory();
  const have = m.buffer.byteLength;
  if (have < bytes) m.grow(Math.ceil((bytes - have) / PAGE));
  return floatView();
}

/** Float32 view of the whole memory (current after the last growth). */
export function floatView(): Float32Array {
  const m = sharedMemory();
  if (floats.buffer !== m.buffer) floats = new Float32Array(m.buffer as ArrayBuffer);
  return floats;
}

/** Int32 view of the whole memory (current after the last growth). */
export function intView(): Int32Array {
  const m = sharedMemory();
  if (ints.buffer !== m.buffer) ints = new Int32Array(m.buffer as ArrayBuffer);
  return ints;
}

/** Bytes the memory currently holds. */
export function memoryBytes(): number {
  return memory === undefined ? 0 : memory.buffer.byteLength;
}
