import { decodeModel } from "../onnx/model.ts";
const m = decodeModel(await Deno.readFile(Deno.args[0] + "/model.onnx"));
for (const n of m.graph.nodes) console.log(n.opType, JSON.stringify(n.attributes));
console.log(JSON.stringify(m.graph.inputs));
