import { assert, assertEquals, assertStrictEquals, assertThrows } from "@std/assert";
import { Tensor } from "../layers/tensor.ts";
import { compareTensors } from "../testing/assert_tensor.ts";
import { OnnxTensor } from "./onnx_tensor.ts";
import { allocateOnnx, dataTypeName, dtypeFromCode, itemSize, ONNX_DATA_TYPE } from "./dtype.ts";

Deno.test("OnnxTensor", async (t) => {
  await t.step("infers dtype from the array kind; shape mirrors dims", () => {
    const x = new OnnxTensor(new BigInt64Array([1n, 2n, 3n, 4n, 5n, 6n]), [2, 3], { name: "x" });
    assertStrictEquals(x.dtype, "int64");
    assertEquals(x.shape, [2, 3]);
    assertStrictEquals(x.size, 6);
    assertStrictEquals(x.name, "x");
    assertStrictEquals(String(x), "OnnxTensor(x: int64, [2, 3])");
  });
  await t.step("explicit dtype for bool and float16 (ambiguous arrays)", () => {
    assertStrictEquals(
      new OnnxTensor(new Uint8Array([1, 0]), [2], { dtype: "bool" }).dtype,
      "bool",
    );
    const h = new OnnxTensor(new Float32Array([0.5]), [], { dtype: "float16" });
    assertStrictEquals(h.dtype, "float16");
    assertEquals(h.shape, []);
  });
  await t.step("scalar and empty tensors", () => {
    assertStrictEquals(new OnnxTensor(new Float64Array([3]), []).size, 1);
    assertStrictEquals(new OnnxTensor(new Int32Array(0), [2, 0, 3]).size, 0);
  });
  await t.step("errors: wrong array kind, bad dtype, count mismatch, huge dims", () => {
    assertThrows(
      () => new OnnxTensor(new Float32Array(2), [2], { dtype: "int64" }),
      TypeError,
      "dtype int64 needs a BigInt64Array, got Float32Array",
    );
    assertThrows(
      () => new OnnxTensor(new Float32Array(2), [2], { dtype: "string" as never }),
      TypeError,
      'dtype must be one of float32, uint8, int8, uint16, int16, int32, int64, bool, float16, float64, uint32, uint64, bfloat16, got "string"',
    );
    assertThrows(
      () => new OnnxTensor([1, 2] as unknown as Float32Array, [2]),
      TypeError,
      "data must be a typed array, got Array",
    );
    assertThrows(
      () => new OnnxTensor(new Float32Array(5), [2, 3]),
      TypeError,
      "dims [2, 3] hold 6 elements, but data has 5",
    );
    assertThrows(() => new OnnxTensor(new Float32Array(1), [-1]), TypeError, "[-1]");
    assertThrows(
      () => new OnnxTensor(new Float32Array(0), [2 ** 20, 2 ** 20]),
      RangeError,
      "more than the limit 2147483647",
    );
  });
  await t.step("to/from the layer Tensor share data", () => {
    const layer = Tensor.arange([1, 2], { dtype: "float64" });
    const onnx = OnnxTensor.fromTensor(layer, "y");
    assertStrictEquals(onnx.data, layer.data);
    assertStrictEquals(onnx.dtype, "float64");
    assertStrictEquals(onnx.name, "y");
    const back = onnx.toTensor();
    assertStrictEquals(back.data, layer.data);
    assertEquals(back.shape, [1, 2]);
    assertThrows(
      () => new OnnxTensor(new BigInt64Array(1), [], { name: "n" }).toTensor(),
      TypeError,
      "Cannot convert OnnxTensor n to Tensor: dtype must be float32 or float64, got int64",
    );
    assertThrows(
      () => OnnxTensor.fromTensor({ shape: [1], data: [1] } as unknown as Tensor),
      TypeError,
      "tensor must be a Tensor, got Object",
    );
  });
  await t.step("is a TensorLike: compares with layer tensors, dtype included", () => {
    const a = new OnnxTensor(new Float32Array([0, 1, 2]), [3]);
    assert(compareTensors(a, Tensor.arange([3])).ok);
    const r = compareTensors(a, Tensor.arange([3], { dtype: "float64" }));
    assertStrictEquals(r.message, "dtype differs: actual float32, expected float64");
  });
});

Deno.test("ONNX dtype table", async (t) => {
  await t.step("codes and names from onnx.proto", () => {
    // TensorProto.DataType: FLOAT=1, INT64=7, BOOL=9, FLOAT16=10, DOUBLE=11, BFLOAT16=16.
    assertStrictEquals(ONNX_DATA_TYPE.float32, 1);
    assertStrictEquals(ONNX_DATA_TYPE.int64, 7);
    assertStrictEquals(ONNX_DATA_TYPE.bool, 9);
    assertStrictEquals(ONNX_DATA_TYPE.float64, 11);
    assertStrictEquals(dtypeFromCode(16), "bfloat16");
    assertStrictEquals(dtypeFromCode(8), undefined);
    assertStrictEquals(dataTypeName(8), "STRING");
    assertStrictEquals(dataTypeName(26), "INT2");
    assertStrictEquals(dataTypeName(27), undefined);
    assertStrictEquals(dataTypeName(-1), undefined);
  });
  await t.step("item sizes match the array kinds", () => {
    for (const dtype of Object.keys(ONNX_DATA_TYPE) as (keyof typeof ONNX_DATA_TYPE)[]) {
      const bytes = allocateOnnx(dtype, 1).BYTES_PER_ELEMENT;
      // float16/bfloat16 are held widened in 4-byte floats but stored in 2 bytes.
      const stored = dtype === "float16" || dtype === "bfloat16" ? 2 : bytes;
      assertStrictEquals(itemSize(dtype), stored, dtype);
    }
  });
});
