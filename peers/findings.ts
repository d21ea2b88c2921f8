// The disagreement classes of the peer matrix: every failed forward or backward of a peer is
// put in the first class whose rule matches it, or in "unclassified" (listed with its cases, so
// nothing is hidden). Each class names its smallest reproducing case; the explanations were
// checked by hand on that case (the numbers quoted are tfjs's / ONNX Runtime's actual output).

import type { ReportEntry } from "../conformance/mod.ts";
import { outcome, type PeerReport } from "./matrix.ts";

/** What a rule sees of one failure. */
export interface Failure {
  /** The peer. */
  peer: string;
  /** The case. */
  entry: ReportEntry;
  /** Which pass failed. */
  pass: "forward" | "backward";
  /** Whether the forward of the same case failed too. */
  forwardFailed: boolean;
}

/** A disagreement class. */
export interface DisagreementRule {
  /** Short id. */
  id: string;
  /** One-line title. */
  title: string;
  /** What differs and why (PyTorch's semantics are the goldens'). */
  explanation: string;
  /** Whether a failure belongs to the class. */
  matches(f: Failure): boolean;
}

const name = (f: Failure) => f.entry.name;
const reason = (f: Failure) => f.entry.reason;
const isTfjs = (f: Failure) => f.peer.startsWith("tfjs");
const ceil = (f: Failure) => /_ceil/.test(name(f)) || /ceil/.test(name(f));
const pool = (f: Failure) => /pool/.test(f.entry.family) || /pool|ceil/.test(name(f));

/** The classes, most specific first. */
export const RULES: readonly DisagreementRule[] = [
  {
    id: "nan-max",
    title: "Max pooling drops NaN",
    explanation: "PyTorch propagates a NaN in a max-pool window (NaN wins); the peer returns the " +
      "largest number of the window instead.",
    matches: (f) => f.pass === "forward" && /nan/.test(name(f)),
  },
  {
    id: "tfjs-ceil-last-window",
    title: "ceil mode keeps a last window that starts in the padding (or past the input)",
    explanation:
      "tfjs's dimRoundingMode 'ceil' rounds `(in + pads − k) / s + 1` up and stops: it " +
      "lacks PyTorch's rule that the last window must start inside the input or its front " +
      "padding, so its output is one longer on such axes (an extra window of padding only).",
    matches: (f) =>
      isTfjs(f) && f.pass === "forward" && ceil(f) &&
      /count differs|shape differs/.test(reason(f)),
  },
  {
    id: "follows-forward",
    title: "Backward of a forward that already disagrees",
    explanation: "The gradient is compared although the forward failed; it cannot agree with the " +
      "golden's gradient of a different forward (not a separate finding).",
    matches: (f) => f.pass === "backward" && f.forwardFailed,
  },
  {
    id: "tfjs-pool-grad-ceil",
    title: "2-D pooling gradients ignore ceil mode",
    explanation: "tfjs's MaxPool and AvgPool gradient functions call MaxPoolGrad / AvgPoolGrad " +
      "without `dimRoundingMode`, so with ceil mode the gradient kernel sees a floor-mode " +
      "geometry and misplaces or drops the gradient of the last window.",
    matches: (f) =>
      isTfjs(f) && f.pass === "backward" && ceil(f) && pool(f) &&
      !/3d/.test(f.entry.family),
  },
  {
    id: "tfjs-avg-grad-divisor",
    title: "Average-pool gradient divides by the whole window where the forward excludes padding",
    explanation: "With count_include_pad = 0 (and for a ceil-mode overhang) the forward divides " +
      "by the number of real elements, but AvgPoolGrad / AvgPool3DGrad divide every window's " +
      "gradient by k (the full window): x = [1, 2, 3], k = 2, s = 1, pads [1, 0], dy = 1 gives " +
      "dx = [1, 1, 0.5] instead of [1.5, 1, 0.5].",
    matches: (f) => isTfjs(f) && f.pass === "backward" && /avgpool/.test(f.entry.family),
  },
  {
    id: "tfjs-maxpool3d-grad",
    title: "3-D max-pool gradient lands one cell off for non-cubic windows",
    explanation: "MaxPool3DGrad recomputes the argmax position with the window offsets of the " +
      "wrong axis when the kernel is not cubic (e.g. 1×2×3), so the gradient goes to a " +
      "neighbouring cell.",
    matches: (f) =>
      f.peer === "tfjs-cpu" && f.pass === "backward" && /maxpool3d|maxpool3d_/.test(
        `${f.entry.family} ${name(f)}`,
      ),
  },
  {
    id: "wasm-maxpool-grad-negative",
    title: "Max-pool gradient is zero for windows of negative values (wasm)",
    explanation: "tfjs-wasm's MaxPoolGrad starts its running maximum at 0 instead of −∞, so in a " +
      "window whose values are all negative no element is the maximum and the gradient is lost: " +
      "x = [−3, −1, −2, −4], k = 1, dy = [1, 2, 3, 4] gives dx = [1, 0, 0, 0].",
    matches: (f) =>
      f.peer === "tfjs-wasm" && f.pass === "backward" && /maxpool/.test(
        `${f.entry.family} ${name(f)}`,
      ),
  },
  {
    id: "wasm-conv3d-backprop-input",
    title: "3-D transposed convolution / conv3d input gradient wrong (wasm)",
    explanation: "tfjs-wasm's Conv3DBackpropInputV2 — the conv3d input gradient and the forward " +
      "of conv3dTranspose — disagrees with PyTorch (tfjs-cpu's kernel agrees).",
    matches: (f) => f.peer === "tfjs-wasm" && /conv(transpose)?3d/.test(f.entry.family),
  },
  {
    id: "wasm-maxpool3d-forward",
    title: "3-D max pooling wrong for non-cubic windows (wasm)",
    explanation: "tfjs-wasm's MaxPool3D returns different maxima than PyTorch when the window " +
      "is not a cube (tfjs-cpu agrees).",
    matches: (f) =>
      f.peer === "tfjs-wasm" && f.pass === "forward" && /maxpool3d/.test(
        `${f.entry.family} ${name(f)}`,
      ),
  },
  {
    id: "wasm-avg-ceil-divisor",
    title: "Average pooling divides the ceil-mode overhang window by k (wasm)",
    explanation: "In ceil mode the last window reaches past the input; PyTorch divides it by the " +
      "elements inside the input and its padding, tfjs-wasm by the whole window.",
    matches: (f) =>
      f.peer === "tfjs-wasm" && f.pass === "forward" && ceil(f) &&
      /avg/.test(`${f.entry.family} ${name(f)}`),
  },
  {
    id: "ort-same-negative-pad",
    title: "SAME padding with stride > kernel is refused (negative pad not clamped)",
    explanation: "The ONNX spec's SAME total pad `(ceil(in/s) − 1)·s + k − in` is negative when " +
      "the stride exceeds the kernel; PyTorch-style semantics clamp it at 0. ONNX Runtime fails " +
      'the node with "padding values must be non-negative".',
    matches: (f) =>
      f.peer === "onnxruntime" && /padding values must be non-negative/.test(reason(f)),
  },
  {
    id: "ort-output-padding-dilation",
    title: "ConvTranspose refuses output_padding ≥ stride even when below the dilation",
    explanation: "PyTorch allows output_padding < max(stride, dilation); ONNX Runtime requires " +
      'output_padding < stride and fails the node ("output_padding (1) may be too large for ' +
      'stride (1)").',
    matches: (f) => f.peer === "onnxruntime" && /output_padding .* too large/.test(reason(f)),
  },
  {
    id: "ort-dilated-same-pool",
    title: "Dilated SAME max pooling takes its pads from the undilated kernel",
    explanation:
      "The spec and PyTorch compute SAME pads from the effective kernel d·(k − 1) + 1; " +
      "ONNX Runtime uses k, so the output is smaller (already recorded in `golden/manifest.json`, " +
      "whose ONNX Runtime goldens drop these cases).",
    matches: (f) => f.peer === "onnxruntime" && /psame/.test(name(f)) && /_d[2-9]/.test(name(f)),
  },
];

/** A class with its failures. */
export interface ClassifiedClass {
  /** The rule (or the unclassified pseudo-rule). */
  rule: Pick<DisagreementRule, "id" | "title" | "explanation">;
  /** Per peer: labels of the failures, forward and backward. */
  byPeer: Map<string, { forward: string[]; backward: string[] }>;
  /** The smallest case of the class (by its input size as the name gives it). */
  minimal: string;
}

/** Elements of a grid case's input from its name (`…_n3_x4x5`), Infinity if unknown. */
function size(label: string): number {
  const m = /_n(\d+)_x([\dx]+)$/.exec(label);
  if (m === null) return Infinity;
  return Number(m[1]) * m[2].split("x").reduce((p, d) => p * Number(d), 1);
}

/** Every failed pass of every peer, in a class. */
export function classifyFailures(reports: readonly PeerReport[]): ClassifiedClass[] {
  const classes = new Map<string, ClassifiedClass>();
  const unclassified = {
    id: "unclassified",
    title: "Unclassified",
    explanation: "Failures no rule above explains.",
  };
  for (const { name: peer, report } of reports) {
    for (const entry of report.cases) {
      const o = outcome(entry);
      for (const pass of ["forward", "backward"] as const) {
        if (o[pass] !== false) continue;
        const f: Failure = { peer, entry, pass, forwardFailed: o.forward === false };
        const rule = RULES.find((r) => r.matches(f)) ?? unclassified;
        let c = classes.get(rule.id);
        if (c === undefined) {
          c = { rule, byPeer: new Map(), minimal: entry.label };
          classes.set(rule.id, c);
        }
        const lists = c.byPeer.get(peer) ?? { forward: [], backward: [] };
        lists[pass].push(entry.label);
        c.byPeer.set(peer, lists);
        const better = size(entry.label) < size(c.minimal) ||
          (size(entry.label) === size(c.minimal) && entry.label.length < c.minimal.length);
        if (better) c.minimal = entry.label;
      }
    }
  }
  const order = [...RULES.map((r) => r.id), "unclassified"];
  return [...classes.values()].sort((a, b) => order.indexOf(a.rule.id) - order.indexOf(b.rule.id));
}

/** The classes as a Markdown list. */
export function formatClasses(classes: readonly ClassifiedClass[]): string[] {
  if (classes.length === 0) return ["No peer disagrees with any golden it ran."];
  const lines = [
    "Disagreement classes (failures of each peer: forward / backward; smallest case):",
    "",
  ];
  for (const c of classes) {
    const counts = [...c.byPeer].map(([peer, l]) =>
      `${peer} ${l.forward.length} / ${l.backward.length}`
    )
      .join(", ");
    lines.push(
      `- **${c.rule.title}** (\`${c.rule.id}\`; ${counts}; e.g. \`${c.minimal}\`). ${c.rule.explanation}`,
    );
    if (c.rule.id === "unclassified") {
      for (const [peer, l] of c.byPeer) {
        const all = [...l.forward.map((x) => `${x} (fwd)`), ...l.backward.map((x) => `${x} (bwd)`)];
        lines.push(`  - ${peer}: ${all.slice(0, 12).join(", ")}${all.length > 12 ? ", …" : ""}`);
      }
    }
  }
  return lines;
}
