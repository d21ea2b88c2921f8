// A module's state as PyTorch's `state_dict` names it: parameters and batch-norm running
// statistics, `<layer index>.<name>` inside a Sequential (nested: `1.0.weight`). The exporter
// writes initializers in this order and `loadOnnxWeights` reads them back in the same order.

import { BatchNorm } from "../layers/batch_norm.ts";
import type { Module } from "../layers/module.ts";
import { Sequential } from "../layers/sequential.ts";
import type { Tensor } from "../layers/tensor.ts";

/** One named tensor of a module's state. */
export interface StateEntry {
  /** State-dict name, e.g. `"0.weight"` or `"3.running_mean"`. */
  name: string;
  /** The live tensor (writing its data changes the module). */
  tensor: Tensor;
}

/** Lists `module`'s parameters and buffers in state-dict order, names prefixed by `prefix`. */
export function stateEntries(module: Module, prefix = ""): StateEntry[] {
  if (module instanceof Sequential) {
    return module.layers.flatMap((layer, i) => stateEntries(layer, `${prefix}${i}.`));
  }
  const entries = module.parameters().map((p) => ({ name: prefix + p.name, tensor: p.value }));
  if (module instanceof BatchNorm) {
    entries.push(
      { name: `${prefix}running_mean`, tensor: module.runningMean },
      { name: `${prefix}running_var`, tensor: module.runningVar },
    );
  }
  return entries;
}
