import { assert, assertEquals, assertRejects, assertStrictEquals, assertThrows } from "@std/assert";
import { onnx } from "./_proto.ts";
import { OnnxFormatError, OnnxUnsupportedError } from "./format_error.ts";
import { decodeModel, encodeModel, type OnnxModelInit, readModelFile } from "./model.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { readTensorFile } from "./tensor_proto.ts";

const NODE_TESTS = "/usr/share/libonnx-testdata/data/node";
const hasNodeTests = (() => {
  try {
    return Deno.statSync(NODE_TESTS).isDirectory;
  } catch {
    return false;
  }
})();

/** A raw ModelProto built with protobufjs directly (bypassing our encoder). */
function rawModel(fields: Record<string, unknown>): Uint8Array {
  return onnx.ModelProto.encode(fields).finish();
}

/** A minimal valid raw graph with one Relu node, to extend in tests. */
function rawGraph(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const tensorType = { elemType: 1, shape: { dim: [{ dimValue: 2 }] } };
  return {
    name: "g",
    node: [{ opType: "Relu", input: ["x"], output: ["y"] }],
    input: [{ name: "x", type: { tensorType } }],
    output: [{ name: "y", type: { tensorType } }],
    ...extra,
  };
}

function assertCorrupt(fn: () => unknown, field: string, message: string): OnnxFormatError {
  const e = assertThrows(fn, OnnxFormatError, message);
  assert(!(e instanceof OnnxUnsupportedError), `expected corrupt, got unsupported: ${e.message}`);
  assertStrictEquals(e.field, field);
  assertStrictEquals(e.file, "m.onnx");
  return e;
}

Deno.test("encodeModel() -> decodeModel() round trip", async (t) => {
  const weight = new OnnxTensor(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3], { name: "W" });
  const steps = new OnnxTensor(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]), [2], {
    name: "steps",
  });
  const model: OnnxModelInit = {
    irVersion: 9,
    opsetImports: { "": 18, "com.example": 2 },
    producerName: "test",
    producerVersion: "1.2",
    docString: "doc",
    modelVersion: 3,
    graph: {
      name: "main",
      nodes: [
        {
          opType: "Gemm",
          name: "fc",
          inputs: ["x", "W", ""],
          outputs: ["h"],
          attributes: {
            alpha: { type: "float", value: 0.5 },
            transB: 1,
            pads: [0, -1, 2 ** 53 - 1],
            mode: "constant",
            names: ["a", "b"],
            value: new OnnxTensor(new Float64Array([0.25]), []),
            scales: { type: "floats", value: [1.5, -2] },
            empty: [],
            whole: { type: "float", value: 1 },
            many: { type: "tensors", value: [new OnnxTensor(new Int32Array([7]), [1])] },
          },
        },
        { opType: "Custom", domain: "com.example", inputs: ["h", "steps"], outputs: ["y"] },
      ],
      initializers: [weight, steps],
      inputs: [{ name: "x", dtype: "float32", shape: ["batch", 3] }],
      outputs: [{ name: "y", dtype: "float32", shape: [null, 2] }],
      valueInfo: [{ name: "h", dtype: "float32" }],
    },
  };
  const decoded = decodeModel(encodeModel(model), "m.onnx");
  await t.step("model fields and opsets", () => {
    assertStrictEquals(decoded.irVersion, 9);
    assertEquals({ ...decoded.opsetImports }, { "": 18, "com.example": 2 });
    assertStrictEquals(decoded.producerName, "test");
    assertStrictEquals(decoded.producerVersion, "1.2");
    assertStrictEquals(decoded.docString, "doc");
    assertStrictEquals(decoded.modelVersion, 3);
    assertEquals(decoded.functions, []);
  });
  await t.step("nodes, inputs with an omitted optional, domains", () => {
    const [gemm, custom] = decoded.graph.nodes;
    assertStrictEquals(decoded.graph.name, "main");
    assertStrictEquals(gemm.name, "fc");
    assertStrictEquals(gemm.opType, "Gemm");
    assertStrictEquals(gemm.domain, "");
    assertEquals(gemm.inputs, ["x", "W", ""]);
    assertEquals(gemm.outputs, ["h"]);
    assertStrictEquals(custom.domain, "com.example");
  });
  await t.step("attributes of every kind, explicit and shorthand", () => {
    const a = decoded.graph.nodes[0].attributes;
    assertEquals(a.alpha, { type: "float", value: 0.5 });
    assertEquals(a.whole, { type: "float", value: 1 });
    assertEquals(a.transB, { type: "int", value: 1 });
    assertEquals(a.pads, { type: "ints", value: [0, -1, 2 ** 53 - 1] });
    assertEquals(a.mode, { type: "string", value: "constant" });
    assertEquals(a.names, { type: "strings", value: ["a", "b"] });
    assertEquals(a.scales, { type: "floats", value: [1.5, -2] });
    assertEquals(a.empty, { type: "ints", value: [] });
    assert(a.value.type === "tensor");
    assertStrictEquals(a.value.value.dtype, "float64");
    assertEquals([...a.value.value.data], [0.25]);
    assert(a.many.type === "tensors");
    assertEquals([...a.many.value[0].data], [7]);
    assertStrictEquals(Object.getPrototypeOf(a), null);
    assertStrictEquals(a.toString, undefined, "only the file's names are keys");
  });
  await t.step("initializers keep names, dtypes and int64 extremes", () => {
    const [w, s] = decoded.graph.initializers;
    assertStrictEquals(w.name, "W");
    assertEquals(w.dims, [2, 3]);
    assertEquals([...w.data], [1, 2, 3, 4, 5, 6]);
    assertStrictEquals(s.dtype, "int64");
    assertEquals([...s.data], [-(2n ** 63n), 2n ** 63n - 1n]);
  });
  await t.step("value infos: dtype, symbolic and unknown dims, unknown rank", () => {
    assertEquals(decoded.graph.inputs, [
      { name: "x", kind: "tensor", elemType: 1, dtype: "float32", shape: ["batch", 3] },
    ]);
    assertEquals(decoded.graph.outputs[0].shape, [null, 2]);
    assertEquals(decoded.graph.valueInfo, [
      { name: "h", kind: "tensor", elemType: 1, dtype: "float32" },
    ]);
  });
  await t.step("decode -> encode -> decode is stable", () => {
    const again = decodeModel(encodeModel(decoded), "again.onnx");
    assertEquals(JSON.stringify(again, replacer), JSON.stringify(decoded, replacer));
  });
});

function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

Deno.test("decodeModel() reads what other writers write", async (t) => {
  await t.step('domain "ai.onnx" reads as ""', () => {
    const bytes = rawModel({
      irVersion: 7,
      opsetImport: [{ domain: "ai.onnx", version: 12 }],
      graph: rawGraph({
        node: [{ opType: "Relu", domain: "ai.onnx", input: ["x"], output: ["y"] }],
      }),
    });
    const m = decodeModel(bytes);
    assertEquals({ ...m.opsetImports }, { "": 12 });
    assertStrictEquals(m.graph.nodes[0].domain, "");
  });
  await t.step("attributes without a type (IR < 3) take the type of the value set", () => {
    const bytes = rawModel({
      graph: rawGraph({
        node: [{
          opType: "Conv",
          input: ["x"],
          output: ["y"],
          attribute: [{ name: "group", i: 2 }, { name: "strides", ints: [2, 2] }, {
            name: "a",
            f: 0.5,
          }],
        }],
      }),
    });
    const a = decodeModel(bytes).graph.nodes[0].attributes;
    assertEquals({ ...a }, {
      group: { type: "int", value: 2 },
      strides: { type: "ints", value: [2, 2] },
      a: { type: "float", value: 0.5 },
    });
  });
  await t.step("graph and sparse attributes are marked unsupported, not fatal", () => {
    const bytes = rawModel({
      graph: rawGraph({
        node: [{
          opType: "If",
          input: ["c"],
          output: ["y"],
          attribute: [{ name: "then_branch", type: 5, g: rawGraph() }, {
            name: "ref",
            type: 2,
            refAttrName: "outer",
          }],
        }],
      }),
    });
    const a = decodeModel(bytes).graph.nodes[0].attributes;
    assertEquals(a.then_branch, { type: "unsupported", kind: "GRAPH" });
    assertEquals(a.ref, { type: "unsupported", kind: "REF" });
    assertThrows(
      () => encodeModel(decodeModel(bytes)),
      TypeError,
      "graph.nodes[0] (If): attribute then_branch: cannot write a GRAPH attribute",
    );
  });
});

Deno.test("decodeModel() rejects malformed models", async (t) => {
  await t.step("missing graph", () => {
    assertCorrupt(
      () => decodeModel(rawModel({ irVersion: 8 }), "m.onnx"),
      "graph",
      "graph is missing",
    );
  });
  await t.step("initializer raw_data that does not match its dims names the tensor", () => {
    const bytes = rawModel({
      graph: rawGraph({
        initializer: [{ name: "W", dims: [2, 3], dataType: 1, rawData: new Uint8Array(10) }],
      }),
    });
    assertCorrupt(
      () => decodeModel(bytes, "m.onnx"),
      "graph.initializer[0].raw_data",
      "Cannot read model from m.onnx: graph.initializer[0] (tensor W): raw_data has 10 bytes but dims [2, 3] of float32 need 24",
    );
  });
  await t.step("unnamed and duplicate initializers, duplicate attributes and opsets", () => {
    const t = { dims: [1], dataType: 1, floatData: [1] };
    assertCorrupt(
      () => decodeModel(rawModel({ graph: rawGraph({ initializer: [t] }) }), "m.onnx"),
      "graph.initializer[0].name",
      "graph.initializer[0]: name is missing (initializers must be named)",
    );
    assertCorrupt(
      () =>
        decodeModel(
          rawModel({
            graph: rawGraph({ initializer: [{ ...t, name: "a" }, { ...t, name: "a" }] }),
          }),
          "m.onnx",
        ),
      "graph.initializer[1].name",
      'name "a" is used twice',
    );
    const twice = rawGraph({
      node: [{
        opType: "Relu",
        input: ["x"],
        output: ["y"],
        attribute: [{ name: "k", type: 2, i: 1 }, { name: "k", type: 2, i: 2 }],
      }],
    });
    assertCorrupt(
      () => decodeModel(rawModel({ graph: twice }), "m.onnx"),
      "graph.node[0].attribute[1].name",
      'graph.node[0].attribute[1] (attribute k): attribute "k" appears twice',
    );
    assertCorrupt(
      () =>
        decodeModel(
          rawModel({
            opsetImport: [{ domain: "", version: 9 }, { domain: "ai.onnx", version: 9 }],
            graph: rawGraph(),
          }),
          "m.onnx",
        ),
      "opset_import[1].domain",
      'domain "" is imported twice',
    );
  });
  await t.step("attribute type unknown or ambiguous", () => {
    const node = (attribute: unknown) => ({
      graph: rawGraph({
        node: [{ opType: "A", input: [], output: ["y"], attribute: [attribute] }],
      }),
    });
    assertCorrupt(
      () => decodeModel(rawModel(node({ name: "a", type: 42, i: 1 })), "m.onnx"),
      "graph.node[0].attribute[0].type",
      "type 42 is not an ONNX attribute type",
    );
    assertCorrupt(
      () => decodeModel(rawModel(node({ name: "a", i: 1, f: 2 })), "m.onnx"),
      "graph.node[0].attribute[0].type",
      "type is missing and several values are set (FLOAT, INT)",
    );
  });
  await t.step("int attribute beyond 2^53 is unsupported, naming the field", () => {
    const bytes = rawModel({
      graph: rawGraph({
        node: [{
          opType: "Slice",
          input: ["x"],
          output: ["y"],
          attribute: [{ name: "ends", type: 7, ints: [1, { low: -1, high: 2147483647 }] }],
        }],
      }),
    });
    const e = assertThrows(
      () => decodeModel(bytes, "m.onnx"),
      OnnxUnsupportedError,
      "Cannot read model from m.onnx: graph.node[0].attribute[0] (attribute ends): ints[1] = " +
        "9223372036854775807 is beyond the safe integer range ±(2^53 − 1)",
    );
    assertStrictEquals(e.field, "graph.node[0].attribute[0].ints[1]");
  });
  await t.step("external data and sparse initializers are unsupported", () => {
    const external = rawModel({
      graph: rawGraph({
        initializer: [{
          name: "W",
          dims: [4],
          dataType: 1,
          dataLocation: 1,
          externalData: [{ key: "location", value: "W.bin" }],
        }],
      }),
    });
    const e = assertThrows(
      () => decodeModel(external, "m.onnx"),
      OnnxUnsupportedError,
      "graph.initializer[0] (tensor W): data_location is EXTERNAL",
    );
    assertStrictEquals(e.field, "graph.initializer[0].data_location");
    const sparse = rawModel({
      graph: rawGraph({
        sparseInitializer: [{
          dims: [4],
          values: { dims: [0], dataType: 1 },
          indices: { dims: [0], dataType: 7 },
        }],
      }),
    });
    assertThrows(
      () => decodeModel(sparse, "m.onnx"),
      OnnxUnsupportedError,
      "sparse_initializer is not supported",
    );
  });
  await t.step("graphs nested absurdly deep are refused, not a stack overflow", () => {
    let graph = rawGraph();
    for (let i = 0; i < 40; i++) {
      graph = rawGraph({
        node: [{
          opType: "If",
          input: ["c"],
          output: ["y"],
          attribute: [{ name: "g", type: 5, g: graph }],
        }],
      });
    }
    const e = assertThrows(
      () => decodeModel(rawModel({ graph }), "m.onnx"),
      OnnxFormatError,
      "is nested more than 64 levels deep",
    );
    assert(e.field.startsWith("graph.node[0].attribute[0].g.node[0]"), e.field);
  });
  await t.step("truncated at every byte: format error naming file and field", () => {
    const bytes = encodeModel({
      graph: {
        nodes: [{
          opType: "Conv",
          inputs: ["x", "w"],
          outputs: ["y"],
          attributes: { pads: [1, 1, 1, 1] },
        }],
        initializers: [new OnnxTensor(new Float32Array(4), [1, 1, 2, 2], { name: "w" })],
        inputs: [{ name: "x", dtype: "float32", shape: [1, 1, 3, 3] }],
        outputs: [{ name: "y", dtype: "float32" }],
      },
    });
    for (let cut = 0; cut < bytes.length; cut++) {
      const e = assertThrows(() => decodeModel(bytes.subarray(0, cut), "m.onnx"), OnnxFormatError);
      assertStrictEquals(e.file, "m.onnx");
      assert(e.field !== "", `cut ${cut}: no field in ${e.message}`);
    }
    assertCorrupt(
      () => decodeModel(bytes.subarray(0, 100), "m.onnx"),
      "graph",
      "graph claims",
    );
  });
  await t.step("IR ≥ 3 without opset_import", () => {
    assertCorrupt(
      () => decodeModel(rawModel({ irVersion: 3, graph: rawGraph() }), "m.onnx"),
      "opset_import",
      "opset_import is empty, but IR version 3 needs one",
    );
    assertEquals(
      { ...decodeModel(rawModel({ irVersion: 2, graph: rawGraph() })).opsetImports },
      {},
    );
  });
  await t.step("garbage bytes", () => {
    assertCorrupt(
      () => decodeModel(new TextEncoder().encode("not an onnx model, just text"), "m.onnx"),
      "field 13",
      "field 13 has an invalid wire type 6 at byte 0",
    );
    assertThrows(() => decodeModel(new Uint8Array(64).fill(0xff), "m.onnx"), OnnxFormatError);
  });
  await t.step("wrong argument types", () => {
    assertThrows(
      () => decodeModel("x" as unknown as Uint8Array),
      TypeError,
      "bytes must be a Uint8Array",
    );
  });
});

Deno.test("encodeModel() validates the description", async (t) => {
  const base = (node: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    graph: {
      nodes: [{ opType: "Op", inputs: ["x"], outputs: ["y"], ...node }],
      inputs: [{ name: "x", dtype: "float32" as const }],
      outputs: [{ name: "y", dtype: "float32" as const }],
      ...extra,
    },
  } as OnnxModelInit);
  await t.step("float shorthand must be explicit", () => {
    assertThrows(
      () => encodeModel(base({ attributes: { alpha: 0.5 } })),
      TypeError,
      'Cannot encode model: graph.nodes[0] (Op): attribute alpha: 0.5 is not an integer; write { type: "float", value: 0.5 } for a FLOAT',
    );
    assertThrows(
      () => encodeModel(base({ attributes: { s: [1, 0.5] } })),
      TypeError,
      "attribute s: [1, 0.5] is not a list of integers or of strings",
    );
  });
  await t.step("unsafe integers and bad versions", () => {
    assertThrows(
      () => encodeModel(base({ attributes: { k: [2 ** 53] } })),
      RangeError,
      "attribute k: value[0] must be a safe integer, got 9007199254740992",
    );
    assertThrows(
      () => encodeModel({ ...base({}), opsetImports: { "": 0 } }),
      RangeError,
      'opsetImports[""] must be a safe integer ≥ 1, got 0',
    );
  });
  await t.step("missing op type, dtype, names", () => {
    assertThrows(
      () => encodeModel(base({ opType: "" })),
      TypeError,
      "graph.nodes[0]: opType must be a non-empty string",
    );
    assertThrows(
      () => encodeModel(base({}, { inputs: [{ name: "x" }] })),
      TypeError,
      "graph.inputs[0] (x): needs a dtype (or elemType)",
    );
    assertThrows(
      () => encodeModel(base({}, { initializers: [new OnnxTensor(new Float32Array(1), [1])] })),
      TypeError,
      "graph.initializers[0]: initializers need a name",
    );
    assertThrows(
      () => encodeModel(base({}, { outputs: [{ name: "y", kind: "sequence" }] })),
      TypeError,
      "graph.outputs[0] (y): only tensor values can be written, got kind sequence",
    );
  });
});

Deno.test("readModelFile()", async (t) => {
  const fixture = new URL("./testdata/relu/model.onnx", import.meta.url);
  await t.step("reads the Relu fixture", async () => {
    const m = await readModelFile(fixture);
    assertStrictEquals(m.graph.nodes[0].opType, "Relu");
    assertEquals({ ...m.opsetImports }, { "": 14 });
  });
  await t.step("budget and missing file", async () => {
    await assertRejects(
      () => readModelFile(fixture.pathname, { maxBytes: 50 }),
      OnnxFormatError,
      `Cannot read model from ${fixture.pathname}: the file has 90 bytes, more than the budget of 50`,
    );
    await assertRejects(() => readModelFile(`${fixture.pathname}.missing`), Deno.errors.NotFound);
  });
});

Deno.test("readModelFile() on ONNX's own test models", async (t) => {
  if (!hasNodeTests) {
    console.log(`  note: ${NODE_TESTS} not found (Debian package libonnx-testdata); skipped`);
    return;
  }
  await t.step("test_conv_with_strides_padding", async () => {
    const m = await readModelFile(`${NODE_TESTS}/test_conv_with_strides_padding/model.onnx`);
    assertStrictEquals(m.producerName, "backend-test");
    assert(m.opsetImports[""] >= 1);
    const [conv] = m.graph.nodes;
    assertStrictEquals(conv.opType, "Conv");
    assertEquals(conv.inputs, ["x", "W"]);
    assertEquals({ ...conv.attributes }, {
      kernel_shape: { type: "ints", value: [3, 3] },
      pads: { type: "ints", value: [1, 1, 1, 1] },
      strides: { type: "ints", value: [2, 2] },
    });
    assertEquals(m.graph.inputs.map((v) => [v.name, v.dtype, v.shape]), [
      ["x", "float32", [1, 1, 7, 5]],
      ["W", "float32", [1, 1, 3, 3]],
    ]);
    // Output size floor((7 + 2 - 3) / 2) + 1 = 4 by 3 (ONNX Conv docs).
    assertEquals(m.graph.outputs[0].shape, [1, 1, 4, 3]);
  });
  await t.step("test_constant: the value attribute equals the expected output file", async () => {
    const m = await readModelFile(`${NODE_TESTS}/test_constant/model.onnx`);
    const value = m.graph.nodes[0].attributes.value;
    assert(value.type === "tensor");
    const y = await readTensorFile(`${NODE_TESTS}/test_constant/test_data_set_0/output_0.pb`);
    assertEquals(value.value.dims, y.dims);
    assertEquals([...value.value.data], [...y.data]);
  });
  await t.step("test_if: graph attributes read as unsupported", async () => {
    const m = await readModelFile(`${NODE_TESTS}/test_if/model.onnx`);
    assertEquals(m.graph.nodes.at(-1)?.attributes.then_branch, {
      type: "unsupported",
      kind: "GRAPH",
    });
  });
  await t.step("every node-test model decodes", async () => {
    let count = 0;
    for await (const entry of Deno.readDir(NODE_TESTS)) {
      const path = `${NODE_TESTS}/${entry.name}/model.onnx`;
      try {
        Deno.statSync(path);
      } catch {
        continue;
      }
      const m = await readModelFile(path);
      assert(m.graph.nodes.length > 0, path);
      count++;
    }
    assert(count > 100, `decoded ${count} models`);
  });
});
