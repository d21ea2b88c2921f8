/**
 * The error the graph executor throws for a node it cannot run: an operator, opset, attribute
 * value or element type outside what the package implements. A conformance runner skips such
 * cases and reports the reason.
 *
 * @module
 */

/**
 * A node of an ONNX graph uses an operator, opset, attribute value or element type that the
 * executor does not support.
 *
 * The message reads `Cannot run ONNX node "<name>" (<opType>): <reason>`; an unnamed node is
 * named by its position, `#3`.
 *
 * @example Catch and inspect
 * ```ts
 * import { UnsupportedOpError } from "./unsupported_error.ts";
 * const e = new UnsupportedOpError("#0", "Gather", "operator Gather is not supported");
 * console.log(e.node, e.opType, e.reason); // #0 Gather operator Gather is not supported
 * if (!e.message.includes("(Gather)")) throw new Error("message names the op");
 * ```
 */
export class UnsupportedOpError extends Error {
  /** The node's name, or `#<index>` for an unnamed node. */
  readonly node: string;
  /** The node's operator type, like `"Conv"`. */
  readonly opType: string;
  /** Why the node cannot run. */
  readonly reason: string;

  /**
   * Creates the error.
   *
   * @param node The node's name, or `#<index>` for an unnamed node.
   * @param opType The node's operator type.
   * @param reason Why the node cannot run.
   */
  constructor(node: string, opType: string, reason: string) {
    super(
      `Cannot run ONNX node ${node.startsWith("#") ? node : JSON.stringify(node)} ` +
        `(${opType}): ${reason}`,
    );
    this.name = "UnsupportedOpError";
    this.node = node;
    this.opType = opType;
    this.reason = reason;
  }
}
