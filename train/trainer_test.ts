import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { Conv2d } from "../layers/conv.ts";
import { Dropout } from "../layers/dropout.ts";
import { Flatten } from "../layers/flatten.ts";
import { Linear } from "../layers/linear.ts";
import { ReLU } from "../layers/relu.ts";
import { Sequential } from "../layers/sequential.ts";
import { Tensor } from "../layers/tensor.ts";
import { Random } from "../layers/random.ts";
import type { ImageDataset } from "../data/batches.ts";
import { StepLR } from "../optim/lr_scheduler.ts";
import { SGD } from "../optim/sgd.ts";
import { type EpochInfo, evaluate, type StepInfo, train } from "./trainer.ts";
import { getThreads, setThreads, startThreads, stopThreads } from "../layers/threads.ts";
import { takeWorkerUnits } from "../layers/_threads/pool.ts";
import { forceThreads } from "../layers/_threads/tuning.ts";

/**
 * 4×4 grey images of four classes: class k lights its quadrant k (values in [0.6, 1]), the rest is
 * noise in [0, 0.3] — linearly separable with a wide margin.
 */
function quadrants(n: number, seed: number): ImageDataset {
  const random = new Random(seed);
  const images = Tensor.zeros([n, 1, 4, 4]), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 4, [r0, c0] = [[0, 0], [0, 2], [2, 0], [2, 2]][k];
    labels[i] = k;
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const inside = r >= r0 && r < r0 + 2 && c >= c0 && c < c0 + 2;
        images.data[i * 16 + r * 4 + c] = inside ? random.uniform(0.6, 1) : random.uniform(0, 0.3);
      }
    }
  }
  return { images, labels };
}

const linearNet = (): Sequential =>
  new Sequential(new Flatten(), new Linear({ inFeatures: 16, outFeatures: 4, seed: 1 }));

Deno.test("train()", async (t) => {
  const data = quadrants(40, 1), test = quadrants(20, 2);

  await t.step("linear model on separable quadrants reaches 100% test accuracy", () => {
    const model = linearNet();
    assert(evaluate(model, test).accuracy < 0.5, "the untrained model is no better than chance");
    const result = train(model, data, {
      optimizer: new SGD(model.parameters(), { lr: 0.5, momentum: 0.9 }),
      epochs: 15,
      batchSize: 8,
      test,
    });
    assertEquals(result.epochs.at(-1)?.testAccuracy, 1);
    assertEquals(evaluate(model, data).accuracy, 1);
    assert(result.losses.at(-1)! < 0.1 * result.losses[0], `${result.losses.at(-1)}`);
  });

  await t.step("conv net (fast path) on the same task reaches 100%", () => {
    const model = new Sequential(
      new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 2, stride: 2, seed: 3 }),
      new ReLU(),
      new Flatten(),
      new Dropout({ p: 0.1, seed: 1 }),
      new Linear({ inFeatures: 16, outFeatures: 4, seed: 4 }),
    );
    assert(evaluate(model, test).accuracy < 0.5, "the untrained model is no better than chance");
    const result = train(model, data, {
      optimizer: new SGD(model.parameters(), { lr: 0.3, momentum: 0.9 }),
      epochs: 25,
      batchSize: 8,
      test,
    });
    assertEquals(result.epochs.at(-1)?.testAccuracy, 1);
    assert(model.training, "left in training mode");
  });

  await t.step("callbacks, loss bookkeeping, batch count (40 images, batch 16 → 16, 16, 8)", () => {
    const model = linearNet();
    const steps: StepInfo[] = [], epochs: EpochInfo[] = [];
    const result = train(model, data, {
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 2,
      batchSize: 16,
      onStep: (s) => steps.push(s),
      onEpoch: (e) => epochs.push(e),
    });
    assertEquals(steps.map((s) => `${s.epoch}:${s.step}/${s.steps}:${s.images}`), [
      "1:1/3:16",
      "1:2/3:32",
      "1:3/3:40",
      "2:1/3:16",
      "2:2/3:32",
      "2:3/3:40",
    ]);
    assert(steps.every((s) => s.totalImages === 40 && s.seconds >= 0));
    assertEquals(result.losses, steps.map((s) => s.loss));
    assertStrictEquals(epochs[1], result.epochs[1]);
    const [a, b, c] = result.losses;
    assertEquals(epochs[0].trainLoss, (16 * a + 16 * b + 8 * c) / 40);
    assertEquals(epochs[0].testAccuracy, undefined);
    assertEquals(epochs[0].evalSeconds, 0);
    assertEquals(epochs[0].imagesPerSecond, 40 / epochs[0].seconds);
  });

  await t.step("reproducible from the seeds; another shuffle seed changes the losses", () => {
    const run = (seed: number) => {
      const model = linearNet();
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      return train(model, data, { optimizer, epochs: 2, batchSize: 8, seed }).losses;
    };
    assertEquals(run(5), run(5));
    assert(run(5).some((v, i) => v !== run(6)[i]));
  });

  await t.step("scheduler stepped once per epoch", () => {
    const model = linearNet();
    const optimizer = new SGD(model.parameters(), { lr: 0.8 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    train(model, data, { optimizer, epochs: 3, batchSize: 40, scheduler });
    assertEquals(optimizer.lr, 0.1);
  });

  await t.step(
    "threads: the same losses and weights on 1 and 2 threads; setting restored",
    async () => {
      const run = (threads: number) => {
        const model = new Sequential(
          new Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, seed: 3 }),
          new ReLU(),
          new Flatten(),
          new Linear({ inFeatures: 128, outFeatures: 4, seed: 4 }),
        );
        const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
        const result = train(model, data, { optimizer, epochs: 2, batchSize: 16, threads, test });
        return { losses: result.losses, weights: model.parameters().map((p) => [...p.value.data]) };
      };
      const before = getThreads();
      forceThreads(true);
      try {
        setThreads(2);
        assertEquals(await startThreads(), 2);
        setThreads(before);
        const one = run(1);
        takeWorkerUnits();
        const two = run(2);
        assert(takeWorkerUnits().size > 0, "the worker ran units");
        assertEquals(two.losses, one.losses);
        assertEquals(two.weights, one.weights);
        assertEquals(getThreads(), before);
      } finally {
        forceThreads(false);
        stopThreads();
      }
    },
  );

  await t.step("errors", () => {
    const model = linearNet();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    assertThrows(() => train(model, data, { optimizer, epochs: 0 }), RangeError, "epochs must be");
    assertThrows(
      () => train(model, data, { optimizer, threads: 0 }),
      RangeError,
      "Cannot train: threads must be an integer from 1 to 64, got 0",
    );
    assertThrows(
      () => train(model, data, { optimizer, batchSize: "8" as unknown as number }),
      TypeError,
      "batchSize must be a number",
    );
    assertThrows(
      () => train(model, data, { optimizer: {} as SGD }),
      TypeError,
      "optimizer must be an Optimizer",
    );
    assertThrows(
      () => train({} as Sequential, data, { optimizer }),
      TypeError,
      "model must be a Module",
    );
  });
});

Deno.test("evaluate()", async (t) => {
  await t.step("arg max per row (first on ties), counts, batch size irrelevant", () => {
    const model = new Linear({ inFeatures: 3, outFeatures: 3, bias: false });
    model.weight.value.data.set([1, 0, 0, 0, 1, 0, 0, 0, 1]); // logits = input
    const images = new Tensor([0, 5, 1, 2, 2, 0, 7, -1, 3, 0, 0, 9, 4, 4, 4], [5, 3]);
    const data = { images, labels: Int32Array.from([1, 1, 0, 2, 0]) };
    for (const batchSize of [1, 2, 1000]) {
      const r = evaluate(model, data, { batchSize });
      assertEquals(Array.from(r.predictions), [1, 0, 0, 2, 0]);
      assertEquals([r.correct, r.total, r.accuracy], [4, 5, 0.8]);
    }
  });

  await t.step("evaluation mode during the pass, training flag restored", () => {
    const seen: boolean[] = [];
    const probe = new Sequential(new Dropout({ p: 0.5 }));
    const model = new Sequential(probe, new Linear({ inFeatures: 2, outFeatures: 2 }));
    const forward = probe.forward.bind(probe);
    probe.forward = (x) => {
      seen.push(probe.training);
      return forward(x);
    };
    const data = { images: Tensor.zeros([3, 2]), labels: Int32Array.from([0, 1, 0]) };
    evaluate(model, data, { batchSize: 2 });
    assertEquals(seen, [false, false]);
    assert(model.training && probe.training);
    model.eval();
    evaluate(model, data);
    assert(!model.training);
  });

  await t.step("errors: output not [B, classes], batch size", () => {
    assertThrows(
      () => evaluate(linearNet(), quadrants(4, 1), { threads: 1.5 }),
      RangeError,
      "Cannot evaluate: threads must be an integer from 1 to 64, got 1.5",
    );
    const data = { images: Tensor.zeros([2, 2, 2]), labels: Int32Array.from([0, 1]) };
    assertThrows(
      () => evaluate(new ReLU(), data),
      TypeError,
      "the model must output [2, classes] logits, got shape [2, 2, 2]",
    );
    assertThrows(() => evaluate(new ReLU(), data, { batchSize: 0 }), RangeError, "batchSize");
  });
});
