// Where in which file a reader is, so every format error names the file and the field.

import { OnnxFormatError, OnnxUnsupportedError } from "./format_error.ts";

/** Reading position: the file, what is being read, and the path of the current message. */
export interface _Where {
  /** File path or source label. */
  readonly file: string;
  /** What the file holds, for the message: `model`, `tensor input_0`. */
  readonly what: string;
  /** Path of the current message inside the file, like `graph.initializer[1]` ("" at the top). */
  readonly path: string;
  /** A readable name for the current message, like `tensor W`. */
  readonly label?: string;
}

/** The position of a sub-message `segment` (e.g. `node[2]`) below `where`. */
export function _below(where: _Where, segment: string, label?: string): _Where {
  return { ...where, path: where.path === "" ? segment : `${where.path}.${segment}`, label };
}

/**
 * Throws `Cannot read <what> from <file>: <path> (<label>): <problem>`, an
 * {@linkcode OnnxUnsupportedError} when `unsupported`, else an {@linkcode OnnxFormatError}.
 * `problem` should start with the field name (`raw_data has 10 bytes ...`).
 */
export function _fail(where: _Where, field: string, problem: string, unsupported = false): never {
  const fullField = where.path === ""
    ? field
    : field === ""
    ? where.path
    : `${where.path}.${field}`;
  const at = where.path === "" ? "" : `${where.path}${where.label ? ` (${where.label})` : ""}: `;
  const message = `Cannot read ${where.what} from ${where.file}: ${at}${problem}`;
  const Class = unsupported ? OnnxUnsupportedError : OnnxFormatError;
  throw new Class(where.file, fullField, message);
}

/** Validates a `maxBytes` option; returns it or the default (1 GiB). */
export function _budget(maxBytes: number | undefined, op: string): number {
  if (maxBytes === undefined) return 2 ** 30;
  if (typeof maxBytes !== "number" || !(maxBytes > 0)) {
    throw new RangeError(
      `Cannot ${op}: options.maxBytes must be a positive number, got ${maxBytes}`,
    );
  }
  return maxBytes;
}

/** A file path from a path or a `file:` URL, for reading and for error messages. */
export function _pathOf(path: string | URL, op: string): string {
  if (typeof path === "string") return path;
  if (path instanceof URL && path.protocol === "file:") {
    const decoded = decodeURIComponent(path.pathname);
    // file:///C:/x -> C:/x on Windows.
    return Deno.build.os === "windows" ? decoded.replace(/^\/([A-Za-z]:)/, "$1") : decoded;
  }
  throw new TypeError(
    `Cannot ${op}: path must be a string or a file: URL, got ${
      path instanceof URL ? path.href : typeof path
    }`,
  );
}

/** Checks a file's size against the budget before reading it; returns the bytes. */
export async function _readBounded(
  path: string,
  what: string,
  maxBytes: number,
): Promise<Uint8Array> {
  if (typeof path !== "string") {
    throw new TypeError(`Cannot read ${what}: path must be a string, got ${typeof path}`);
  }
  const info = await Deno.stat(path);
  if (!info.isFile) {
    throw new TypeError(`Cannot read ${what} from ${path}: it is not a regular file`);
  }
  if (info.size > maxBytes) {
    _fail(
      { file: path, what, path: "" },
      "",
      `the file has ${info.size} bytes, more than the budget of ${maxBytes} bytes ` +
        `(options.maxBytes)`,
    );
  }
  return await Deno.readFile(path);
}
