import { assert, assertEquals } from "@std/assert";
import { gridCases } from "./grid.ts";

const cases = gridCases();

Deno.test("gridCases()", async (t) => {
  await t.step("names are unique and seeds depend on the name only", () => {
    assertEquals(new Set(cases.map((c) => c.name)).size, cases.length);
    assertEquals(new Set(cases.map((c) => c.seed)).size, cases.length);
  });

  await t.step("at least a thousand cases", () => assert(cases.length >= 1000, `${cases.length}`));

  for (const family of ["conv", "convtranspose"]) {
    for (const rank of [1, 2, 3]) {
      await t.step(`${family}${rank}d: every pair of parameter values appears together`, () => {
        const rows = cases.filter((c) => c.family === `${family}${rank}d` && !c.pitfall);
        const factors = Object.keys(rows[0].params);
        const values = new Map(factors.map((f) => [f, new Set(rows.map((r) => r.params[f]))]));
        const seen = new Set(
          rows.flatMap((r) =>
            factors.flatMap((a, i) =>
              factors.slice(i + 1).map((b) => `${a}=${r.params[a]}|${b}=${r.params[b]}`)
            )
          ),
        );
        for (const [i, a] of factors.entries()) {
          for (const b of factors.slice(i + 1)) {
            for (const va of values.get(a)!) {
              for (const vb of values.get(b)!) {
                // Kernel 1 and dilation are independent values but give the same taps; still,
                // the pair must be present.
                assert(seen.has(`${a}=${va}|${b}=${vb}`), `missing pair ${a}=${va}, ${b}=${vb}`);
              }
            }
          }
        }
      });
    }
  }

  await t.step("every PITFALLS section has named cases", () => {
    const pitfalls = new Set(cases.flatMap((c) => (c.pitfall ? [c.pitfall] : [])));
    for (
      const expected of [
        "SAME padding with an odd total",
        "SAME with stride larger than kernel",
        "Stride larger than the input with SAME",
        "Dilated SAME",
        "Strides that do not divide the input",
        "Padding as large as the kernel minus one",
        "ceil_mode: last window must start inside",
        "ceil_mode with kernel < stride",
        "count_include_pad with ceil_mode",
        "Dilated max pool",
        "Max-pool gradient with ties",
        "tfjs maxPool3d sends the gradient one cell off",
        "NaN in a max-pool window",
        "Overlapping windows must accumulate gradients",
        "Grouped weight gradients with stride > 1",
        "Transposed output size: output_padding and dilation",
        "float32 error grows with the reduction length",
      ]
    ) assert(pitfalls.has(expected), `no case for "${expected}"`);
  });

  await t.step("max-pool grid inputs are tie-free permutations", () => {
    for (const c of cases.filter((c) => c.op === "MaxPool" && !c.pitfall)) {
      assertEquals(c.inputs[0].fill.kind, "permutation", c.name);
    }
  });
});
