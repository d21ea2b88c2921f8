// The quick slice of the mutation catalogue (`deno task mutate --quick`): each mutant must be
// killed by the conformance suite; every code mutant of the full catalogue must still apply.

import { assert, assertEquals, assertThrows } from "@std/assert";
import { type CodeMutant, MUTANTS } from "../conformance/mutants.ts";
import {
  applyCodeMutant,
  medianElement,
  type MutantResult,
  runMutant,
} from "../conformance/mutation.ts";
import { scoreTable } from "./mutate.ts";

const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");

Deno.test("mutation catalogue", async (t) => {
  await t.step("ids are unique; every code mutant's search text occurs exactly once", async () => {
    assertEquals(new Set(MUTANTS.map((m) => m.id)).size, MUTANTS.length);
    for (const m of MUTANTS) {
      if (m.kind !== "code") continue;
      const source = await Deno.readTextFile(`${ROOT}/${m.file}`);
      assert(applyCodeMutant(m, source) !== source, `${m.id} changes nothing`);
    }
  });
  await t.step("a stale search text is an error naming the mutant and file", () => {
    const stale = { ...MUTANTS.find((m) => m.kind === "code")!, search: "no such text" };
    assertThrows(
      () => applyCodeMutant(stale as CodeMutant, "source"),
      Error,
      `mutant ${stale.id}: the search text occurs nowhere in ${stale.file}`,
    );
  });
  await t.step("medianElement skips exact zeros", () => {
    assertEquals(medianElement([0, 0, 0, 3, -1, 2]), 5);
    assertEquals(medianElement([0, 0]), 0);
  });
  await t.step("a golden edit that changes nothing survives (the engine can say no)", async () => {
    const r = await runMutant({
      kind: "golden",
      id: "no-op",
      family: "control",
      description: "scale one element by 1 + 0",
      case: "torch-models/lenet5",
      tensor: "grad_initializer_0",
      edit: { op: "scale-element", which: "median", relative: 0 },
    }, { root: ROOT });
    assertEquals(r.killed, false, r.by);
  });
});

Deno.test("deno task mutate --quick: every mutant of the quick slice is killed", async (t) => {
  const results: MutantResult[] = [];
  for (const mutant of MUTANTS.filter((m) => m.quick)) {
    await t.step(`${mutant.id}: ${mutant.description}`, async () => {
      const r = await runMutant(mutant, { root: ROOT, timeoutSeconds: 300 });
      results.push(r);
      assert(r.killed, `${mutant.id} survived ${r.ran} cases`);
    });
  }
  assert(scoreTable(results).at(-1)!.includes(`${results.length} / ${results.length}`));
});
