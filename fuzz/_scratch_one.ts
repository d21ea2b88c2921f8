import { listSeeds, runModelCase } from "./model_mutations.ts";
const seeds = await listSeeds();
const m = JSON.parse(Deno.args[0]);
console.log(seeds[m.seed % seeds.length]);
const t = performance.now();
console.log(await runModelCase(seeds, m), (performance.now() - t).toFixed(0));
