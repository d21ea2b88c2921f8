/**
 * A training curve — loss per step and test accuracy per epoch — as a standalone SVG document,
 * with no dependencies.
 *
 * @module
 */

/** The series of {@linkcode trainingCurveSvg}. */
export interface TrainingCurve {
  /** Loss of every step, in order; non-finite values leave a gap. */
  losses: readonly number[];
  /** Steps per epoch, to place steps on the epoch axis (the last epoch may be shorter). */
  stepsPerEpoch: number;
  /** Test accuracy after each epoch, in [0, 1]; may be empty. @default [] */
  accuracies?: readonly number[];
}

/** Options of {@linkcode trainingCurveSvg}. */
export interface TrainingCurveOptions {
  /** Title above the plot. @default "Training" */
  title?: string;
  /** Width in pixels. @default 720 */
  width?: number;
  /** Height in pixels. @default 400 */
  height?: number;
}

const MARGIN = { left: 64, right: 72, top: 40, bottom: 48 };
const LOSS_RAW = "#9ecae1", LOSS = "#08519c", ACCURACY = "#d94801", AXIS = "#444";

/**
 * Draws a training run: the x axis counts epochs (step s sits at s / stepsPerEpoch), the left axis
 * the loss (each step faintly, a moving average over about a twentieth of an epoch boldly), the
 * right axis the test accuracy after each epoch (points joined by a line, value labelled).
 *
 * @param curve Losses, steps per epoch, accuracies.
 * @param options Title and size.
 * @returns A complete SVG document (UTF-8 text starting with `<svg`).
 * @throws {TypeError} If `losses` or `accuracies` is not an array of numbers.
 * @throws {RangeError} If `stepsPerEpoch`, `width` or `height` is not a positive number.
 *
 * @example Write a curve
 * ```ts
 * import { trainingCurveSvg } from "./svg.ts";
 * const svg = trainingCurveSvg({ losses: [2.3, 1.2, 0.8, 0.6], stepsPerEpoch: 2, accuracies: [0.7, 0.8] });
 * if (!svg.startsWith("<svg") || !svg.includes("0.8000")) throw new Error("no accuracy label");
 * ```
 */
export function trainingCurveSvg(
  curve: TrainingCurve,
  options: TrainingCurveOptions = {},
): string {
  const op = "Cannot draw training curve";
  const { losses, stepsPerEpoch, accuracies = [] } = curve ?? {};
  for (const [name, list] of [["losses", losses], ["accuracies", accuracies]] as const) {
    if (!Array.isArray(list) || list.some((v) => typeof v !== "number")) {
      throw new TypeError(`${op}: ${name} must be an array of numbers`);
    }
  }
  const { title = "Training", width = 720, height = 400 } = options ?? {};
  for (
    const [name, v] of [["stepsPerEpoch", stepsPerEpoch], ["width", width], ["height", height]]
  ) {
    if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) {
      throw new RangeError(`${op}: ${name} must be a positive number, got ${v}`);
    }
  }
  const plotW = width - MARGIN.left - MARGIN.right, plotH = height - MARGIN.top - MARGIN.bottom;
  const epochs = Math.max(1, accuracies.length, Math.ceil(losses.length / stepsPerEpoch));
  const finite = losses.filter(Number.isFinite);
  const lossTicks = ticks(0, finite.length > 0 ? Math.max(...finite) : 1);
  const lossTop = lossTicks[lossTicks.length - 1];
  const accLow = accuracies.length > 0 ? Math.floor(Math.min(...accuracies) * 10) / 10 : 0;
  const accTicks = ticks(Math.max(0, Math.min(accLow, 0.9)), 1);
  const accBottom = accTicks[0], accTop = accTicks[accTicks.length - 1];

  const x = (epoch: number): number => MARGIN.left + (epoch / epochs) * plotW;
  const yLoss = (v: number): number => MARGIN.top + plotH * (1 - v / lossTop);
  const yAcc = (v: number): number =>
    MARGIN.top + plotH * (1 - (v - accBottom) / (accTop - accBottom));
  const stepX = (i: number): number => x((i + 1) / stepsPerEpoch);

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="${MARGIN.top / 2 + 4}" text-anchor="middle" font-size="15">` +
      `${escapeXml(title)}</text>`,
  );
  // Grid and axes.
  const bottom = MARGIN.top + plotH, right = MARGIN.left + plotW;
  for (const t of lossTicks) {
    const y = num(yLoss(t));
    parts.push(
      `<line x1="${MARGIN.left}" y1="${y}" x2="${right}" y2="${y}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${y}" dy="4" text-anchor="end" fill="${LOSS}">` +
        `${label(t)}</text>`,
    );
  }
  for (const t of accTicks) {
    parts.push(
      `<text x="${right + 6}" y="${num(yAcc(t))}" dy="4" fill="${ACCURACY}">${label(t)}</text>`,
    );
  }
  const epochStep = Math.max(1, Math.ceil(epochs / 10));
  for (let e = 0; e <= epochs; e += epochStep) {
    parts.push(
      `<text x="${num(x(e))}" y="${bottom + 16}" text-anchor="middle">${e}</text>`,
    );
  }
  parts.push(
    `<path d="M${MARGIN.left} ${MARGIN.top}V${bottom}H${right}V${MARGIN.top}" fill="none" ` +
      `stroke="${AXIS}"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">epoch</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" ` +
      `fill="${LOSS}">loss</text>`,
    `<text transform="translate(${width - 14} ${MARGIN.top + plotH / 2}) rotate(90)" ` +
      `text-anchor="middle" fill="${ACCURACY}">test accuracy</text>`,
  );
  // Loss: every step faintly, then a moving average.
  const window = Math.max(1, Math.round(stepsPerEpoch / 20));
  parts.push(
    polyline(losses.map((v, i) => [stepX(i), yLoss(v)]), LOSS_RAW, 1),
    polyline(movingAverage(losses, window).map((v, i) => [stepX(i), yLoss(v)]), LOSS, 2),
  );
  // Accuracy after each epoch.
  const points = accuracies.map((a, i): [number, number] => [x(i + 1), yAcc(a)]);
  parts.push(polyline(points, ACCURACY, 2));
  accuracies.forEach((a, i) => {
    const [px, py] = points[i];
    if (!Number.isFinite(py)) return;
    parts.push(
      `<circle cx="${num(px)}" cy="${num(py)}" r="3.5" fill="${ACCURACY}"/>`,
      `<text x="${num(px)}" y="${num(py - 8)}" text-anchor="end" fill="${ACCURACY}" ` +
        `font-size="11">${a.toFixed(4)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** A path through the points, broken where a coordinate is not finite. */
function polyline(points: [number, number][], color: string, strokeWidth: number): string {
  let d = "", pen = false;
  for (const [px, py] of points) {
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${num(px)} ${num(py)}`;
    pen = true;
  }
  if (d === "") return "";
  return `<path d="${d}" fill="none" stroke="${color}" stroke-width="${strokeWidth}" ` +
    `stroke-linejoin="round"/>`;
}

/** Trailing mean over up to `window` finite values (NaN where none). */
function movingAverage(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    let sum = 0, count = 0;
    for (let j = Math.max(0, i - window + 1); j <= i; j++) {
      if (Number.isFinite(values[j])) {
        sum += values[j];
        count++;
      }
    }
    out.push(count > 0 ? sum / count : NaN);
  }
  return out;
}

/** About five round tick values (steps 1, 2 or 5 × 10^k) covering [low, high]. */
function ticks(low: number, high: number): number[] {
  if (!(high > low)) high = low + 1;
  const raw = (high - low) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(low / step + 1e-9) * step;
  const out: number[] = [];
  for (let t = first; t < high + step - 1e-9; t += step) out.push(Number(t.toFixed(10)));
  if (out[out.length - 1] < high - 1e-9) out.push(out[out.length - 1] + step);
  return out;
}

const num = (v: number): string => String(Math.round(v * 10) / 10);

const label = (v: number): string => String(Number(v.toPrecision(4)));

function escapeXml(text: string): string {
  return String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
