import fc from "fast-check";
import { type LayerCase, layerCaseArbitrary, runLayerCase } from "./layer_calls.ts";
import { setMemoryBudget } from "../layers/limits.ts";
import { showCase } from "./fuzz.ts";
setMemoryBudget(64 * 2 ** 20);
const arb = layerCaseArbitrary();
const history: LayerCase[] = [];
for (let batch = 0; batch <= 220; batch++) {
  const seed = (7 + batch * 7919) | 0;
  for (const c of fc.sample(arb, { seed, numRuns: 400 })) history.push(c);
}
const target = history.findIndex((c, i) =>
  i > 220 * 400 - 1 && c.op === "conv" &&
  showCase(c).includes('"padding":[0,1,0,2,0,0],"outputPadding":1,"outputSize":[9,9,1.5]')
);
const [from, to] = Deno.args.map(Number);
const subset = Deno.args[2] === "single" ? [history[from]] : history.slice(from, to);
for (const c of subset) runLayerCase(c);
const r = runLayerCase(history[target]);
console.log(
  r.outcome === "disagreement" ? "BAD" : "GOOD",
  target,
  Deno.args[2] === "single" ? showCase(history[from]) : "",
);
