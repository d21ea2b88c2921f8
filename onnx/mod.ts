/**
 * ONNX models and tensors: decode and encode `.onnx` and `.pb` files, build single-node models,
 * read or write golden test cases in ONNX's backend-test layout extended with gradients, and run
 * graphs forward and backward on the layers ({@linkcode GraphExecutor}).
 *
 * @module
 */

export * from "./dtype.ts";
export * from "./format_error.ts";
export * from "./onnx_tensor.ts";
export * from "./tensor_proto.ts";
export * from "./model.ts";
export * from "./single_node.ts";
export * from "./case.ts";
export * from "./executor.ts";
export * from "./extract.ts";
