/**
 * Reader for the IDX format of MNIST-style data sets, raw or gzip-compressed.
 *
 * An IDX file is a header — two zero bytes, a type code and the number of dimensions, then each
 * dimension as a big-endian uint32 — followed by the elements in row-major order, big-endian.
 *
 * @module
 */

import { constants, gunzipSync, type ZlibOptions } from "node:zlib";
import { formatShape } from "../layers/_errors.ts";

/** Element type of an IDX file, by its type code. */
export type IdxDType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";

/** The typed array holding an IDX file's elements. */
export type IdxData =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** A decoded IDX file. */
export interface IdxArray {
  /** Element type from the header's type code. */
  dtype: IdxDType;
  /** Extent of each dimension, outermost first. */
  dims: number[];
  /** The elements in row-major order, in native byte order; length is the product of `dims`. */
  data: IdxData;
}

/** Largest payload accepted (2 GiB − 1), so a corrupt header cannot ask for absurd memory. */
export const MAX_IDX_BYTES = 2 ** 31 - 1;

const TYPES: Record<number, { dtype: IdxDType; size: number }> = {
  0x08: { dtype: "uint8", size: 1 },
  0x09: { dtype: "int8", size: 1 },
  0x0b: { dtype: "int16", size: 2 },
  0x0c: { dtype: "int32", size: 4 },
  0x0d: { dtype: "float32", size: 4 },
  0x0e: { dtype: "float64", size: 8 },
};

/**
 * Decodes an IDX file from its bytes; gzip data (magic `1f 8b`) is decompressed first.
 *
 * @example Decode a 2×3 uint8 array
 * ```ts
 * import { readIdx } from "./idx.ts";
 * const bytes = new Uint8Array([0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6]);
 * const { dtype, dims, data } = readIdx(bytes, "example");
 * if (dtype !== "uint8" || dims.join() !== "2,3" || data[5] !== 6) throw new Error("wrong");
 * ```
 *
 * @param bytes The file's contents.
 * @param source Name of the data for error messages, e.g. its path. @default "IDX data"
 * @returns The element type, dimensions and elements (a view of `bytes` for uncompressed uint8
 * data, a new array otherwise).
 * @throws {TypeError} If the gzip stream is corrupt or truncated, the magic bytes are not
 * `00 00`, the type code is unknown, or the element bytes are fewer (truncated) or more
 * (trailing bytes) than the dimensions require.
 * @throws {RangeError} If the dimensions require more than {@linkcode MAX_IDX_BYTES} bytes.
 */
export function readIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Cannot read ${source}: bytes must be a Uint8Array, got ${typeof bytes}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // Inflate a prefix first, so a corrupt header is rejected before any large allocation, then
    // inflate the whole stream with an output cap one byte above what the header announces.
    const prefix = gunzip(bytes.subarray(0, 65536), source, {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    const header = readHeader(prefix, source);
    const limit = header.headerLength + header.payload;
    bytes = gunzip(bytes, source, { maxOutputLength: limit + 1 }, header);
  }
  const header = readHeader(bytes, source);
  const available = bytes.length - header.headerLength;
  if (available !== header.payload) sizeError(source, header, available);
  const { dtype, dims, count, headerLength } = header;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { dtype, dims, data: decode(dtype, view, headerLength, count) };
}

/**
 * Reads and decodes an IDX file (gzip-compressed or not); needs read permission.
 *
 * @example Read Fashion-MNIST's test labels if installed
 * ```ts
 * import { readIdxFile } from "./idx.ts";
 * try {
 *   const labels = await readIdxFile("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 *   console.log(labels.dtype, labels.dims); // uint8 [10000]
 * } catch (error) {
 *   if (!(error instanceof Deno.errors.NotFound)) throw error;
 * }
 * ```
 *
 * @param path Path of the file.
 * @returns The element type, dimensions and elements.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 * @throws {TypeError} If the contents are not a well-formed IDX file (see {@linkcode readIdx}).
 * @throws {RangeError} If the dimensions require more than {@linkcode MAX_IDX_BYTES} bytes.
 */
export async function readIdxFile(path: string | URL): Promise<IdxArray> {
  return readIdx(await Deno.readFile(path), `IDX file ${JSON.stringify(String(path))}`);
}

interface Header {
  dtype: IdxDType;
  dims: number[];
  count: number;
  headerLength: number;
  payload: number;
}

// Parses and checks the header; `bytes` may hold only a prefix of the file.
function readHeader(bytes: Uint8Array, source: string): Header {
  const fail = (rule: string): never => {
    throw new TypeError(`Cannot read ${source}: ${rule}`);
  };
  if (bytes.length < 4) fail(`header is truncated: ${bytes.length} bytes, need at least 4`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(`magic must start with bytes 00 00, got ${hex(bytes[0])} ${hex(bytes[1])}`);
  }
  const type = TYPES[bytes[2]];
  if (type === undefined) {
    fail(
      `type code ${hex(bytes[2])} is unknown (expected 08 uint8, 09 int8, 0b int16, 0c int32, ` +
        `0d float32 or 0e float64)`,
    );
  }
  const rank = bytes[3];
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    fail(`header is truncated: ${rank} dims need ${headerLength} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let axis = 0; axis < rank; axis++) dims.push(view.getUint32(4 + 4 * axis, false));
  // A zero dimension makes the array empty however large the others are.
  const count = dims.includes(0) ? 0 : dims.reduce((a, b) => a * b, 1);
  const payload = count * type.size;
  if (payload > MAX_IDX_BYTES) {
    throw new RangeError(
      `Cannot read ${source}: dims ${formatShape(dims)} of ${type.dtype} need ${payload} bytes, ` +
        `more than the limit ${MAX_IDX_BYTES}`,
    );
  }
  return { dtype: type.dtype, dims, count, headerLength, payload };
}

function sizeError(source: string, header: Header, available: number | undefined): never {
  const { dims, dtype, payload } = header;
  const got = available === undefined
    ? `got more (trailing bytes)`
    : available < payload
    ? `got ${available} (file truncated)`
    : `got ${available} (${available - payload} trailing byte${
      available - payload === 1 ? "" : "s"
    })`;
  throw new TypeError(
    `Cannot read ${source}: dims ${
      formatShape(dims)
    } of ${dtype} need ${payload} data bytes, ${got}`,
  );
}

function gunzip(
  bytes: Uint8Array,
  source: string,
  options: ZlibOptions,
  header?: Header,
): Uint8Array {
  try {
    const out = gunzipSync(bytes, options);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    // Exceeding the output cap means the stream holds more than the header announced.
    if (header !== undefined && error instanceof RangeError) sizeError(source, header, undefined);
    throw new TypeError(
      `Cannot read ${source}: gzip stream is truncated or corrupt (${(error as Error).message})`,
    );
  }
}

function decode(dtype: IdxDType, view: DataView, offset: number, count: number): IdxData {
  const at = view.byteOffset + offset;
  switch (dtype) {
    case "uint8":
      return new Uint8Array(view.buffer, at, count);
    case "int8":
      return new Int8Array(view.buffer, at, count);
    case "int16": {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case "int32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case "float32": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case "float64": {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}
