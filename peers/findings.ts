// The disagreement classes of the peer matrix: every failed forward or backward of a peer is
// put in the first class whose rule matches it, or in "unclassified" (listed with its cases, so
// nothing is hidden). Each class names its smallest reproducing case; the explanations were
// checked by hand on that case (the numbers quoted are tfjs's / ONNX Runtime's actual output).

import type { ReportEntry } from "../conformance/mod.ts";
import { windowGeometry } from "../layers/_geometry.ts";
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
  /** Whether ceil mode gives this pooling case more windows than floor mode would. */
  ceilAddsWindow: boolean;
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
  /** The case the explanation's numbers come from, shown instead of the smallest when failing. */
  example?: string;
}

const name = (f: Failure) => f.entry.name;
const reason = (f: Failure) => f.entry.reason;
const isTfjs = (f: Failure) => f.peer.startsWith("tfjs");
const ceil = (f: Failure) => /ceil/.test(name(f));
const about = (f: Failure) => `${f.entry.family} ${name(f)}`;
/** Zero explicit padding, as the grid names it (`_p0_`, `_pvalid_`). */
const unpadded = (f: Failure) => /_p(0|valid)_/.test(name(f));

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
    title: "ceil mode keeps a last window that starts past the input",
    explanation: "tfjs's dimRoundingMode 'ceil' rounds `(in + pads − k) / s + 1` up and stops: " +
      "it lacks PyTorch's rule that the last window must start inside the input or its front " +
      "padding, so such axes get one more window, which covers no input element (average " +
      "pooling: NaN). Input 3, kernel 1, stride 3, ceil: PyTorch 1 window, tfjs 2 " +
      "(`[x₀, NaN]`).",
    matches: (f) =>
      isTfjs(f) && f.pass === "forward" && ceil(f) && /count differs|shape differs/.test(reason(f)),
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
      "without the forward's `dimRoundingMode`, so the gradient kernel works on the floor-mode " +
      "geometry and the windows ceil mode adds get no gradient: input [−0.5, 0.75, 0, 0.5], " +
      "kernel 3, stride 2, ceil: the forward's two windows are right, dx = [0, dy₀, 0, 0] " +
      "instead of [0, dy₀, 0, dy₁].",
    matches: (f) =>
      isTfjs(f) && f.pass === "backward" && f.ceilAddsWindow && !/3d/.test(f.entry.family),
    example: "ort/maxpool1d_k3_s2_p0_ceil_d1_n1_x4",
  },
  {
    id: "tfjs-avg-grad-divisor",
    title: "Average-pool gradient divides by the whole window where the forward excludes padding",
    explanation: "With count_include_pad = 0 (and for the part of a ceil-mode window past the " +
      "input) the forward divides each window by its number of input elements, but the " +
      "gradient kernels (AvgPoolGrad, AvgPool3DGrad) divide by the kernel size: x = [1, 2, 3], kernel 2, stride 1, pads [1, 0], dy = 1 gives the forward " +
      "[1, 1.5, 2.5] (right) and dx = [1, 1, 0.5] instead of [1.5, 1, 0.5].",
    matches: (f) =>
      isTfjs(f) && f.pass === "backward" && /avgpool/.test(about(f)) &&
      (!unpadded(f) || (f.ceilAddsWindow && /3d/.test(f.entry.family))),
    example: "ort/avgpool1d_k2_s1_p1-0_n1_x3",
  },
  {
    id: "tfjs-maxpool3d-grad",
    title: "3-D max-pool gradient misplaced for the non-cubic window",
    explanation: "For the 1×2×3 window (the grid's only non-cubic 3-D kernel) MaxPool3DGrad " +
      "sends gradients to other cells than the forward's maxima (PITFALLS: one cell off); " +
      "cubic windows agree.",
    matches: (f) => f.peer === "tfjs-cpu" && f.pass === "backward" && /maxpool3d/.test(about(f)),
  },
  {
    id: "wasm-maxpool-grad-nonpositive",
    title: "Max-pool gradient lost where the window's maximum is not positive (wasm)",
    explanation: "tfjs-wasm's MaxPoolGrad drops the gradient of a window whose maximum is ≤ 0 " +
      "(each plane's first window excepted): x = [−3, −1, −2, −4], kernel 1, dy = [1, 2, 3, 4] " +
      "gives dx = [1, 0, 0, 0].",
    matches: (f) => f.peer === "tfjs-wasm" && f.pass === "backward" && /maxpool/.test(about(f)),
  },
  {
    id: "wasm-conv3d-backprop-input",
    title: "Conv3DBackpropInputV2 fills only the first depth slice (wasm)",
    explanation: "tfjs-wasm's Conv3DBackpropInputV2 — conv3d's input gradient and the forward of " +
      "conv3dTranspose — computes only depth 0 of its output: beyond it conv3d's dX is 0 and " +
      "conv3dTranspose's output is the bias alone (kernel 1×1×1, input 3×3×3; tfjs-cpu agrees " +
      "with PyTorch).",
    matches: (f) => f.peer === "tfjs-wasm" && /conv(transpose)?3d/.test(f.entry.family),
  },
  {
    id: "wasm-maxpool3d-negative",
    title: "3-D max pooling returns 0 for a negative maximum (wasm)",
    explanation: "tfjs-wasm's MaxPool3D outputs 0 for a window whose maximum is negative (e.g. " +
      "max −0.25 → 0, with or without padding), as if its running maximum started at 0.",
    matches: (f) => f.peer === "tfjs-wasm" && f.pass === "forward" && /maxpool3d/.test(about(f)),
  },
  {
    id: "wasm-ceil-window-zero",
    title: "Windows added by ceil mode come out 0 (wasm)",
    explanation: "In ceil mode tfjs-wasm's MaxPool and AvgPool output 0 for the last window " +
      "that reaches past the input, whatever it holds: x = [−0.5, 0, −1, 0.5], kernel 2, " +
      "stride 2, pads [1, 0], ceil: windows [pad, −0.5], [0, −1], [0.5, past the end] give " +
      "[−0.5, 0, 0.5] in PyTorch, [−0.5, 0, 0] in tfjs-wasm.",
    example: "ort/maxpool1d_k2_s2_p1-0_ceil_d1_n1_x4",
    matches: (f) =>
      f.peer === "tfjs-wasm" && f.pass === "forward" && ceil(f) && /pool/.test(about(f)),
  },
  {
    id: "ort-same-negative-pad",
    title: "SAME padding with stride > kernel is refused (negative pad not clamped)",
    explanation: "The SAME total pad `(ceil(in/s) − 1)·s + k − in` is negative when the stride " +
      "exceeds the kernel; it must be clamped at 0 (PITFALLS: TF #14601). ONNX Runtime fails the " +
      'node: "padding values must be non-negative".',
    matches: (f) =>
      f.peer === "onnxruntime" && /padding values must be non-negative/.test(reason(f)),
  },
  {
    id: "ort-output-padding-dilation",
    title: "ConvTranspose refuses output_padding ≥ stride even when below the dilation",
    explanation: "PyTorch allows output_padding < max(stride, dilation); ONNX Runtime requires " +
      'output_padding < stride and fails the node: "output_padding (1) may be too large for ' +
      'stride (1)" (stride 1, dilation 2).',
    matches: (f) => f.peer === "onnxruntime" && /output_padding .* too large/.test(reason(f)),
  },
  {
    id: "ort-dilated-same-pool",
    title: "Dilated SAME max pooling takes its pads from the undilated kernel",
    explanation:
      "The spec and PyTorch compute SAME pads from the effective kernel d·(k − 1) + 1; " +
      "ONNX Runtime uses k, so the output is smaller (already recorded in `golden/manifest.json`, " +
      "whose ONNX Runtime goldens drop these cases).",
    matches: (f) => f.peer === "onnxruntime" && /psame/.test(name(f)) && /_d\d*[2-9]/.test(name(f)),
  },
];

/** A class with its failures. */
export interface ClassifiedClass {
  /** The rule (or the unclassified pseudo-rule). */
  rule: Pick<DisagreementRule, "id" | "title" | "explanation" | "example">;
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

/** Golden case attributes and input shapes by name (from `golden/manifest.json`). */
export type CaseShapes = ReadonlyMap<
  string,
  { attributes: Record<string, unknown>; inputShapes: number[][] }
>;

/** Reads the golden manifest's per-case attributes and shapes. */
export async function loadCaseShapes(
  manifest: string | URL = new URL("../golden/manifest.json", import.meta.url),
): Promise<CaseShapes> {
  const json = JSON.parse(await Deno.readTextFile(manifest));
  type Entry = { name: string; attributes: Record<string, unknown>; inputShapes: number[][] };
  return new Map(
    (json.cases as Entry[]).map((c) => [c.name, {
      attributes: c.attributes,
      inputShapes: c.inputShapes,
    }]),
  );
}

/** Whether a pooling case's ceil mode yields more windows than floor mode (by our geometry). */
function ceilAddsWindow(shapes: CaseShapes, caseName: string): boolean {
  const c = shapes.get(caseName);
  if (c === undefined || c.attributes.ceil_mode !== 1) return false;
  const a = c.attributes;
  const kernel = a.kernel_shape as number[];
  const autoPad = a.auto_pad as string | undefined;
  const padding = autoPad === "SAME_UPPER"
    ? "same"
    : autoPad === "SAME_LOWER"
    ? "same_lower"
    : autoPad === "VALID"
    ? "valid"
    : (a.pads as number[] | undefined);
  const options = {
    stride: (a.strides as number[] | undefined) ?? kernel.map(() => 1),
    dilation: a.dilations as number[] | undefined,
    padding,
  } as const;
  const inSize = c.inputShapes[0].slice(2);
  const floor = windowGeometry("pool", inSize, kernel, options).outSize;
  const up = windowGeometry("pool", inSize, kernel, { ...options, ceilMode: true }).outSize;
  return up.some((n, i) => n > floor[i]);
}

/** Every failed pass of every peer, in a class. */
export function classifyFailures(
  reports: readonly PeerReport[],
  shapes: CaseShapes = new Map(),
): ClassifiedClass[] {
  const classes = new Map<string, ClassifiedClass>();
  const unclassified: ClassifiedClass["rule"] = {
    id: "unclassified",
    title: "Unclassified",
    explanation: "Failures no rule above explains.",
  };
  for (const { name: peer, report } of reports) {
    for (const entry of report.cases) {
      const o = outcome(entry);
      for (const pass of ["forward", "backward"] as const) {
        if (o[pass] !== false) continue;
        const f: Failure = {
          peer,
          entry,
          pass,
          forwardFailed: o.forward === false,
          ceilAddsWindow: ceilAddsWindow(shapes, entry.name),
        };
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
        if (better && c.minimal !== rule.example) c.minimal = entry.label;
        if (entry.label === rule.example) c.minimal = entry.label;
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
