import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import type { ImplResult, JsonReport, ReportEntry, TensorCheck } from "../conformance/mod.ts";
import {
  formatMatrix,
  outcome,
  peerMatrix,
  type PeerReport,
  replaceBetweenMarkers,
} from "./matrix.ts";

const check = (tensor: string, ok: boolean) => ({ tensor, ok }) as TensorCheck;

function entry(
  name: string,
  params: Record<string, string>,
  impl: Partial<ImplResult>,
  status: ReportEntry["status"] = "passed",
): ReportEntry {
  return {
    name,
    label: `torch/${name}`,
    family: "maxpool1d",
    params,
    status,
    gradients: true,
    impls: [{ impl: "peer", ok: true, checks: [], worstRatio: 0, maxAbsError: 0, ...impl }],
  } as unknown as ReportEntry;
}

function peer(name: string, cases: ReportEntry[]): PeerReport {
  return { name, version: "1", report: { cases } as unknown as JsonReport };
}

Deno.test("outcome()", async (t) => {
  await t.step("forward and backward from the output_ and grad_ checks", () => {
    const e = entry("a", {}, { checks: [check("output_0", true), check("grad_input_0", false)] });
    assertEquals(outcome(e), { forward: true, backward: false });
  });
  await t.step("skipped: nothing ran; a lacking backward: forward only", () => {
    assertEquals(outcome(entry("a", {}, { skipped: "peer lacks maxPool" }, "skipped")), {});
    const lacks = entry("a", {}, { checks: [check("output_0", true)], backwardSkipped: "no" });
    assertEquals(outcome(lacks), { forward: true });
  });
  await t.step("a throwing backward fails backward, not forward", () => {
    const e = entry("a", {}, { checks: [check("output_0", true)], error: "backward: boom" });
    assertEquals(outcome(e), { forward: true, backward: false });
    assertEquals(outcome(entry("a", {}, { error: "boom" })), { forward: false });
  });
});

Deno.test("peerMatrix() and formatMatrix()", () => {
  const cases = (fail: boolean) => [
    entry("k1", { kernel: "1", ceil: "no" }, { checks: [check("output_0", true)] }),
    entry("k2", { kernel: "2", ceil: "yes" }, { checks: [check("output_0", !fail)] }),
  ];
  const peers = [peer("good", cases(false)), peer("bad", cases(true))];
  const [family] = peerMatrix(peers);
  assertStrictEquals(family.cases, 2);
  assertEquals(family.rows[0].cells.map((c) => c.forward), [
    { passed: 2, ran: 2 },
    { passed: 1, ran: 2 },
  ]);
  const k2 = family.rows.find((r) => r.parameter === "kernel" && r.value === "2")!;
  assertEquals(k2.cells.map((c) => [c.forward.passed, c.forward.ran, c.backward.ran]), [
    [1, 1, 0],
    [0, 1, 0],
  ]);
  const lines = formatMatrix(peers, [family]);
  assert(lines.includes("| maxpool1d | 2 | 2/2 | — | **1/2** | — |"), lines.join("\n"));
  // Grouped by parameter: kernel rows, then ceil rows.
  const rows = lines.filter((l) => l.startsWith("| kernel") || l.startsWith("| ceil"));
  assertEquals(rows.map((l) => l.split(" = ")[0]), ["| kernel", "| kernel", "| ceil", "| ceil"]);
});

Deno.test("replaceBetweenMarkers()", () => {
  const text = "a\n<!-- peers:begin -->\nold\n<!-- peers:end -->\nb";
  assertStrictEquals(
    replaceBetweenMarkers(text, "new"),
    "a\n<!-- peers:begin -->\nnew\n<!-- peers:end -->\nb",
  );
  assertThrows(() => replaceBetweenMarkers("a", "new"), RangeError, "needs the markers");
});
