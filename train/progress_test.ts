import { assertEquals, assertThrows } from "@std/assert";
import { Progress } from "./progress.ts";
import type { EpochInfo, StepInfo } from "./trainer.ts";

const CLEAR = "\r\x1b[2K";

function recorder(epochs: number, tty: boolean, barWidth = 8): [Progress, string[]] {
  const out: string[] = [];
  return [new Progress({ epochs, tty, write: (s) => out.push(s), barWidth }), out];
}

const step = (s: Partial<StepInfo>): StepInfo => ({
  epoch: 1,
  step: 1,
  steps: 4,
  loss: 0.6,
  images: 250,
  totalImages: 1000,
  seconds: 10,
  ...s,
});

const epoch = (e: Partial<EpochInfo>): EpochInfo => ({
  epoch: 1,
  trainLoss: 0.5,
  testAccuracy: 0.75,
  seconds: 2.46,
  evalSeconds: 0.3,
  imagesPerSecond: 3200.4,
  ...e,
});

Deno.test("Progress", async (t) => {
  await t.step("not a TTY: steps print nothing, one plain line per epoch", () => {
    const [progress, out] = recorder(2, false);
    progress.step(step({}));
    assertEquals(out, []);
    progress.epoch(epoch({}));
    progress.epoch(epoch({ epoch: 2, testAccuracy: undefined, trainLoss: 0.25 }));
    assertEquals(out, [
      "epoch 1/2  loss 0.5000  test accuracy 0.7500  time 2.5 s  3200 img/s\n",
      "epoch 2/2  loss 0.2500  time 2.5 s  3200 img/s\n",
    ]);
  });

  await t.step("TTY: bar, running loss, images/s and ETA of the whole run", () => {
    const [progress, out] = recorder(2, true);
    // 250 of 1000 images in 10 s: 25 img/s; 750 + 1000 images left → 70 s.
    progress.step(step({}));
    assertEquals(out, [`${CLEAR}epoch 1/2 [##------]  25% loss 0.6000  25 img/s  ETA 1:10`]);
    // Within the 0.1 s redraw interval: nothing drawn, but the loss still counts.
    progress.step(step({ step: 2, images: 500, loss: 0.2, seconds: 10.05 }));
    assertEquals(out.length, 1);
    // Last step: always drawn. Running mean (0.6·250 + 0.2·250 + 0.1·500) / 1000 = 0.25.
    progress.step(step({ step: 4, steps: 4, images: 1000, loss: 0.1, seconds: 10.06 }));
    assertEquals(out[1], `${CLEAR}epoch 1/2 [########] 100% loss 0.2500  99 img/s  ETA 0:10`);
    progress.epoch(epoch({}));
    assertEquals(
      out[2],
      `${CLEAR}epoch 1/2  loss 0.5000  test accuracy 0.7500  time 2.5 s  3200 img/s\n`,
    );
  });

  await t.step("TTY: a new epoch resets the running loss; ETA in hours", () => {
    const [progress, out] = recorder(1, true, 4);
    progress.step(step({ loss: 9 }));
    progress.step(step({ step: 1, images: 1, totalImages: 3724, loss: 0.5, seconds: 1 }));
    // 3723 images left at 1 img/s = 1 h 2 min 3 s.
    assertEquals(out[1], `${CLEAR}epoch 1/1 [----]   0% loss 0.5000  1 img/s  ETA 1:02:03`);
  });

  await t.step("unknown rate at 0 s", () => {
    const [progress, out] = recorder(1, true, 4);
    progress.step(step({ seconds: 0 }));
    assertEquals(out[0], `${CLEAR}epoch 1/1 [#---]  25% loss 0.6000  - img/s  ETA --:--`);
  });

  await t.step("errors", () => {
    assertThrows(
      () => new Progress({ epochs: 0 }),
      RangeError,
      "epochs must be a positive integer",
    );
    assertThrows(() => new Progress({ epochs: 1, interval: -1 }), RangeError, "interval");
    assertThrows(
      () => new Progress({ epochs: 1, write: "x" as unknown as () => void }),
      TypeError,
      "write must be a function",
    );
  });
});
