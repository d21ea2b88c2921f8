// `deno task finetune` (and `deno task train --onnx`): bad input ends with one `error:` line and
// exit code 2; a short run on the committed LeNet-5 writes a model ONNX Runtime agrees with.

import { assert, assertEquals } from "@std/assert";
import { FASHION_MNIST_DIR } from "../data/fashion_mnist.ts";
import { encodeModel, readModelFile } from "../onnx/model.ts";
import { OnnxTensor } from "../onnx/onnx_tensor.ts";
import { main } from "./finetune.ts";
import { main as trainMain } from "./train.ts";

const LENET = new URL("../golden/torch-models/lenet5/model.onnx", import.meta.url).pathname;
const canWrite = (await Deno.permissions.query({ name: "write" })).state === "granted";
const canRunOrt = (await Deno.permissions.query({ name: "ffi" })).state === "granted";
const haveData = await Deno.stat(FASHION_MNIST_DIR).then(() => true, () => false);
if (!haveData) {
  console.log(
    `tasks/finetune_test.ts: the training run is skipped: no Fashion-MNIST in ` +
      `${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist)`,
  );
}

async function capture(
  args: string[],
  command = main,
): Promise<{ code: number; errors: string[]; logs: string[] }> {
  const errors: string[] = [], logs: string[] = [];
  const { error, log } = console;
  console.error = (...parts: unknown[]) => errors.push(parts.join(" "));
  console.log = (...parts: unknown[]) => logs.push(parts.join(" "));
  try {
    return { code: await command(args), errors, logs };
  } finally {
    console.error = error;
    console.log = log;
  }
}

async function assertOneLine(args: string[], expected: string, command = main): Promise<void> {
  const { code, errors } = await capture(args, command);
  assertEquals(code, 2, `${args.join(" ")}: exit code`);
  assertEquals(errors.length, 1, `${args.join(" ")}: ${errors.join(" | ")}`);
  assert(!errors[0].includes("\n") && !/\bat .*:\d+:\d+/.test(errors[0]), errors[0]);
  assert(errors[0].startsWith(expected), `${errors[0]}\ndoes not start with\n${expected}`);
}

/** LeNet-5 with its last node replaced by `last` (an encoded model in a temp file). */
async function lenetWith(dir: string, file: string, edit: "relu" | "three-classes") {
  const model = await readModelFile(LENET);
  const nodes = model.graph.nodes.slice(0, -1);
  const initializers = model.graph.initializers.filter((t) => !t.name!.startsWith("fc3"));
  if (edit === "relu") {
    nodes.push({ ...model.graph.nodes.at(-1)!, opType: "Relu", inputs: ["/Relu_3_output_0"] });
  } else {
    nodes.push(model.graph.nodes.at(-1)!);
    initializers.push(
      new OnnxTensor(new Float32Array(3 * 84), [3, 84], { name: "fc3.weight" }),
      new OnnxTensor(new Float32Array(3), [3], { name: "fc3.bias" }),
    );
  }
  const path = `${dir}/${file}`;
  await Deno.writeFile(
    path,
    encodeModel({
      ...model,
      graph: {
        ...model.graph,
        nodes,
        initializers,
        outputs: [{ ...model.graph.outputs[0], shape: undefined }],
      },
    }),
  );
  return path;
}

Deno.test("deno task finetune: bad input", async (t) => {
  await t.step("flags", async () => {
    await assertOneLine([], "error: --onnx FILE is required (see --help)");
    await assertOneLine(["--onnx", LENET, "--head", "old"], 'error: unknown head "old"');
    await assertOneLine(
      ["--onnx", LENET, "--train-all", "--no-cache"],
      "error: --no-cache is implied by --train-all",
    );
    await assertOneLine(
      ["--onnx", LENET, "--train-limit", "0"],
      'error: --train-limit must be a positive integer, got "0"',
    );
    await assertOneLine(["--onnx", LENET, "--bogus"], "error: unknown option --bogus");
  });

  await t.step("missing model file, also through deno task train --onnx", async () => {
    await assertOneLine(
      ["--onnx", "/nonexistent/model.onnx"],
      "error: cannot read --onnx /nonexistent/model.onnx: no such file",
    );
    await assertOneLine(
      ["--onnx", "/nonexistent/model.onnx", "--epochs", "1"],
      "error: cannot read --onnx /nonexistent/model.onnx: no such file",
      trainMain,
    );
  });

  await t.step("the model does not fit the images", async () => {
    await assertOneLine(
      ["--onnx", LENET, "--size", "64"],
      "error: --size 64 differs from the model's input size 28×28",
    );
    await assertOneLine(
      ["--onnx", LENET, "--normalize", "imagenet"],
      "error: --normalize imagenet needs a 3-channel model, this one has 1",
    );
  });

  await t.step({
    name: "corrupt file, no final Gemm, wrong class count",
    ignore: !canWrite,
    fn: async () => {
      const dir = await Deno.makeTempDir();
      try {
        await Deno.writeFile(`${dir}/junk.onnx`, new Uint8Array([0x0a, 0xff, 0xff, 0x01]));
        await assertOneLine(["--onnx", `${dir}/junk.onnx`], `error: Cannot read model from`);
        const relu = await lenetWith(dir, "relu.onnx", "relu");
        await assertOneLine(
          ["--onnx", relu],
          `error: ${relu}: Cannot fine-tune ONNX model: the graph output "Y" is computed by a ` +
            "Relu node",
        );
        const three = await lenetWith(dir, "three.onnx", "three-classes");
        await assertOneLine(
          ["--onnx", three, "--head", "keep"],
          `error: ${three}: Cannot fine-tune ONNX model: with head "keep", classes (10) must ` +
            `equal the outputs of the model's last layer (3, weight "fc3.weight")`,
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });

  await t.step("--help", async () => {
    const { code, logs } = await capture(["--help"]);
    assertEquals(code, 0);
    assert(logs[0].startsWith("Usage: deno task finetune --onnx FILE"));
  });
});

Deno.test({
  name: "deno task finetune: LeNet-5's last layer on 512 Fashion-MNIST images",
  ignore: !canWrite || !canRunOrt || !haveData,
  fn: async () => {
    const out = await Deno.makeTempDir();
    try {
      const { code, errors, logs } = await capture([
        "--onnx",
        LENET,
        "--train-limit",
        "512",
        "--test-limit",
        "200",
        "--epochs",
        "1",
        "--lr",
        "0.05",
        "--out",
        out,
      ]);
      assertEquals([code, errors], [0, []]);
      assert(logs[0].includes('last layer Gemm "fc3.weight" (84 → 10) replaced by a new'));
      const metrics = JSON.parse(await Deno.readTextFile(`${out}/metrics.json`));
      assertEquals([metrics.trainImages, metrics.testImages], [512, 200]);
      // ONNX Runtime classifies the saved model's 200 test images as we do.
      assertEquals(metrics.predictionsAgree, 200);
      assertEquals(metrics.onnxRuntimeAccuracy, metrics.testAccuracy);
      assertEquals(metrics.input.shape, [1, 28, 28]);
      assertEquals(metrics.losses.length, 8);
      const saved = await readModelFile(`${out}/model.onnx`);
      assertEquals(saved.graph.outputs[0].shape, ["N", 10]);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});
