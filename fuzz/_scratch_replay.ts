import fc from "fast-check";
import { layerCaseArbitrary, runLayerCase } from "./layer_calls.ts";
import { setMemoryBudget } from "../layers/limits.ts";
import { showCase } from "./fuzz.ts";
setMemoryBudget(64 * 2 ** 20);
const arb = layerCaseArbitrary();
const history: unknown[] = [];
outer: for (let batch = 0; batch < 700; batch++) {
  const seed = (7 + batch * 7919) | 0;
  for (const c of fc.sample(arb, { seed, numRuns: 400 })) {
    history.push(c);
    const r = runLayerCase(c);
    if (r.outcome === "disagreement") {
      console.log("batch", batch, r.detail, showCase(c));
      console.log("alone:", runLayerCase(c).outcome);
      // find which previous case triggers it
      for (let back = 2; back <= 30; back++) {
        const prev = history[history.length - back] as never;
        runLayerCase(prev);
        const again = runLayerCase(c);
        if (again.outcome === "disagreement") {
          console.log("after prev", back, showCase(prev));
          break;
        }
      }
      break outer;
    }
  }
}
