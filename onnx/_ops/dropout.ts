// Dropout in inference: the identity, with the optional mask output all ones (float before
// opset 10, bool from 10). Training mode (opset ≥ 12, training_mode input true) with a ratio
// above 0 draws from ONNX Runtime's or ONNX's random generator, which cannot be reproduced:
// unsupported. With ratio 0 training is the identity too. Opsets 1 and 6 choose by `is_test`,
// whose default 0 is training: is_test = 1 (or ratio 0) runs, the rest is unsupported likewise.

import { allocate } from "../../layers/tensor.ts";
import { OnnxTensor } from "../onnx_tensor.ts";
import type { NodeContext, NodeForward, OpKernel } from "./_context.ts";
import { floatOf, wrap } from "./_data.ts";

/** Dropout-1..13 (inference). */
export const Dropout: OpKernel = {
  since: 1,
  prepare(ctx: NodeContext): NodeForward {
    const { opset } = ctx;
    ctx.arity([1, opset >= 12 ? 3 : 1], [1, 2]);
    ctx.known(
      opset >= 12
        ? ["seed"]
        : ["ratio", ...(opset < 7 ? ["is_test"] : []), ...ctx.consumedInputs()],
    );
    if (opset < 7 && !ctx.flag("is_test", false)) {
      const ratio = ctx.float("ratio", 0.5);
      if (ratio !== 0) {
        ctx.unsupported(
          `is_test = 0 (training mode, the default of Dropout-${opset < 6 ? 1 : 6}) with ratio ` +
            `${ratio} draws random masks that cannot reproduce ONNX Runtime's or ONNX's generator`,
        );
      }
    }
    return (inputs) => {
      const x = floatOf(ctx, inputs[0], "data");
      if (opset >= 12 && ctx.has(2)) {
        const mode = inputs[2]!;
        if (mode.dtype !== "bool") ctx.typeError(`training_mode must be bool, got ${mode.dtype}`);
        const ratio = ctx.has(1) ? Number(inputs[1]!.data[0] ?? 0.5) : 0.5;
        if (mode.data[0] !== 0 && ratio !== 0) {
          ctx.unsupported(
            `training_mode = true with ratio ${ratio} draws random masks that cannot reproduce ` +
              `ONNX Runtime's or ONNX's generator`,
          );
        }
      }
      const outputs: OnnxTensor[] = [wrap(x)];
      if (ctx.wants(1)) {
        const mask = opset >= 10 ? new Uint8Array(x.size) : allocate(x.size, x.dtype);
        mask.fill(1);
        outputs.push(new OnnxTensor(mask, x.shape, { dtype: opset >= 10 ? "bool" : x.dtype }));
      }
      return {
        outputs,
        reduction: outputs.map(() => 0),
        gradReduction: inputs.map((_, i) => (i === 0 ? 0 : undefined)),
        backward: ([g]) => [g],
      };
    };
  },
};
