/**
 * Ready-made networks (LeNet-5, the seed notebook's CNN), ONNX export of networks built from this
 * package's modules, and loading of ONNX weights into them.
 *
 * @module
 */

export * from "./lenet5.ts";
export * from "./seed_notebook_cnn.ts";
export * from "./onnx_export.ts";
export * from "./onnx_weights.ts";
