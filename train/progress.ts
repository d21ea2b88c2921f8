/**
 * Training progress for a terminal: a live bar with loss, images/s and ETA when the output is a
 * TTY, one plain line per epoch otherwise (logs, pipes, CI).
 *
 * @module
 */

import type { EpochInfo, StepInfo } from "./trainer.ts";

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Number of epochs of the run, for the ETA and the `epoch 2/5` label (required). */
  epochs: number;
  /** Draw the live bar. @default Deno.stdout.isTerminal() */
  tty?: boolean;
  /** Where text goes. @default synchronous writes to standard output */
  write?: (text: string) => void;
  /** Width of the bar in characters. @default 24 */
  barWidth?: number;
  /** Minimum seconds between two redraws of the bar. @default 0.1 */
  interval?: number;
}

const encoder = new TextEncoder();

function writeStdout(text: string): void {
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length;) at += Deno.stdout.writeSync(bytes.subarray(at));
}

/**
 * Formats seconds as `m:ss`, or `h:mm:ss` from an hour on; `--:--` when unknown.
 *
 * @param seconds A duration.
 * @returns The formatted duration.
 */
function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(r).padStart(2, "0")}`;
}

/**
 * Reports training progress; pass its methods as the trainer's callbacks.
 *
 * On a TTY, {@linkcode Progress.step} redraws one line in place (at most every `interval`
 * seconds, and always on an epoch's last step):
 *
 * ```text
 * epoch 2/5 [#########---------------]  37% loss 0.4213  3105 img/s  ETA 1:02
 * ```
 *
 * where loss is the running mean of the epoch so far and ETA the remaining images of the whole
 * run at the current epoch's throughput (evaluation time not included). {@linkcode Progress.epoch}
 * replaces it with a permanent line, which is also the only output when not on a TTY:
 *
 * ```text
 * epoch 2/5  loss 0.4102  test accuracy 0.8512  time 19.8 s  3030 img/s
 * ```
 *
 * @example Plain lines into a buffer
 * ```ts
 * import { Progress } from "./progress.ts";
 * const lines: string[] = [];
 * const progress = new Progress({ epochs: 1, tty: false, write: (t) => lines.push(t) });
 * progress.step({ epoch: 1, step: 1, steps: 1, loss: 0.5, images: 64, totalImages: 64, seconds: 0.02 });
 * progress.epoch({
 *   epoch: 1, trainLoss: 0.5, testAccuracy: 0.75, seconds: 0.02, evalSeconds: 0, imagesPerSecond: 3200,
 * });
 * console.log(lines.join("")); // epoch 1/1  loss 0.5000  test accuracy 0.7500  time 0.0 s  3200 img/s
 * ```
 */
export class Progress {
  readonly #epochs: number;
  readonly #tty: boolean;
  readonly #write: (text: string) => void;
  readonly #barWidth: number;
  readonly #interval: number;
  #lastDraw = -Infinity;
  #lossSum = 0;
  #lossImages = 0;
  #drawn = false;

  /**
   * Creates a reporter.
   *
   * @param options `epochs` (required), `tty`, `write`, `barWidth`, `interval`.
   * @throws {RangeError} If `epochs` or `barWidth` is not a positive integer, or `interval` is
   * negative.
   * @throws {TypeError} If `write` is not a function.
   */
  constructor(options: ProgressOptions) {
    const { epochs, tty, write = writeStdout, barWidth = 24, interval = 0.1 } = options ?? {};
    for (const [name, value] of [["epochs", epochs], ["barWidth", barWidth]] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(
          `Cannot create Progress: ${name} must be a positive integer, got ${value}`,
        );
      }
    }
    if (!(interval >= 0)) {
      throw new RangeError(`Cannot create Progress: interval must be ≥ 0, got ${interval}`);
    }
    if (typeof write !== "function") {
      throw new TypeError(`Cannot create Progress: write must be a function`);
    }
    this.#epochs = epochs;
    this.#tty = tty ?? Deno.stdout.isTerminal();
    this.#write = write;
    this.#barWidth = barWidth;
    this.#interval = interval;
  }

  /**
   * Records a step; on a TTY redraws the bar when due.
   *
   * @param info The trainer's step report.
   */
  step(info: StepInfo): void {
    if (info.step === 1) {
      this.#lossSum = 0;
      this.#lossImages = 0;
      this.#lastDraw = -Infinity;
    }
    const batch = info.images - this.#lossImages;
    this.#lossSum += info.loss * batch;
    this.#lossImages = info.images;
    if (!this.#tty) return;
    if (info.step !== info.steps && info.seconds - this.#lastDraw < this.#interval) return;
    this.#lastDraw = info.seconds;
    this.#write(`\r\x1b[2K${this.#bar(info)}`);
    this.#drawn = true;
  }

  /**
   * Prints the epoch's summary line (replacing the bar on a TTY).
   *
   * @param info The trainer's epoch report.
   */
  epoch(info: EpochInfo): void {
    const accuracy = info.testAccuracy === undefined
      ? ""
      : `  test accuracy ${info.testAccuracy.toFixed(4)}`;
    const line = `epoch ${info.epoch}/${this.#epochs}  loss ${info.trainLoss.toFixed(4)}` +
      `${accuracy}  time ${info.seconds.toFixed(1)} s  ${Math.round(info.imagesPerSecond)} img/s`;
    this.#write(`${this.#drawn ? "\r\x1b[2K" : ""}${line}\n`);
    this.#drawn = false;
  }

  #bar(info: StepInfo): string {
    const fraction = info.totalImages > 0 ? info.images / info.totalImages : 1;
    const filled = Math.min(this.#barWidth, Math.round(fraction * this.#barWidth));
    const bar = "#".repeat(filled) + "-".repeat(this.#barWidth - filled);
    const rate = info.seconds > 0 ? info.images / info.seconds : NaN;
    const remaining = info.totalImages - info.images +
      (this.#epochs - info.epoch) * info.totalImages;
    const loss = this.#lossImages > 0 ? this.#lossSum / this.#lossImages : NaN;
    const percent = String(Math.floor(fraction * 100)).padStart(3);
    return `epoch ${info.epoch}/${this.#epochs} [${bar}] ${percent}% loss ${loss.toFixed(4)}  ` +
      `${Number.isFinite(rate) ? Math.round(rate) : "-"} img/s  ETA ${clock(remaining / rate)}`;
  }
}
