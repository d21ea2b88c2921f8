"""`cases` subcommand: one ONNX backend-test case directory per grid case, values from PyTorch."""

import io
import json
import os
import shutil
import sys
import time
import warnings

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

from .common import (OPSET, check_model, emit, grad_output_values, inferred_output_shapes,
                     load_tensor, native_kernels, save_array, save_proto, save_truth,
                     to_numpy, write_truth_errors)
from .ops import Unsupported, make_plan

DTYPES = {"float32": onnx.TensorProto.FLOAT, "int64": onnx.TensorProto.INT64}


def output_names(count: int):
    return ["Y"] + [f"Y{j}" for j in range(1, count)]


def grid_attribute_protos(case: dict):
    """The grid's attributes as ONNX AttributeProtos (FLOAT where `floatAttributes` says so)."""
    floats = set(case.get("floatAttributes", []))
    protos = []
    for name, value in sorted(case.get("attributes", {}).items()):
        if name in floats:
            value = [float(v) for v in value] if isinstance(value, list) else float(value)
        elif isinstance(value, list):
            value = [int(v) for v in value]
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        protos.append(helper.make_attribute(name, value))
    return protos


def _value(proto):
    v = helper.get_attribute_value(proto)
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, list):
        return [x.decode() if isinstance(x, bytes) else x for x in v]
    return v


def normalized_attributes(op: str, protos, shapes):
    """Attribute values with every schema default filled in (shape-dependent list defaults too),
    so that an exported node and the grid node compare by meaning."""
    schema = onnx.defs.get_schema(op, OPSET)
    values = {p.name: _value(p) for p in protos}
    rank = len(shapes[0]) - 2
    for name, attr in schema.attributes.items():
        if name in values:
            continue
        if attr.default_value.type != onnx.AttributeProto.UNDEFINED:
            values[name] = _value(attr.default_value)
        elif name in ("strides", "dilations", "output_padding"):
            values[name] = [1 if name != "output_padding" else 0] * rank
        elif name == "pads":
            values[name] = [0] * (2 * rank)
        elif name == "kernel_shape" and op in ("Conv", "ConvTranspose"):
            values[name] = list(shapes[1][2:])
    if op in ("Softmax", "LogSoftmax") and values.get("axis", 0) < 0:
        values["axis"] += len(shapes[0])
    return values


def export_model(plan, tensors, case, names, outs):
    """torch.onnx.export of the plan's forward; returns (model, None) when the graph is exactly
    the grid node, else (None, why)."""
    class Node(torch.nn.Module):
        def forward(self, *args):
            ys = plan.forward(list(args))
            return ys[0] if len(ys) == 1 else tuple(ys)

    args = tuple(t.detach().clone() for t in tensors)
    buffer = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(Node(), args, buffer, opset_version=OPSET, input_names=names,
                              output_names=outs, do_constant_folding=False,
                              training=torch.onnx.TrainingMode.EVAL)
    except Exception as e:  # noqa: BLE001 - export failure only selects the helper model
        return None, f"export failed: {type(e).__name__}: {str(e).splitlines()[0][:200]}"
    model = onnx.load_from_string(buffer.getvalue())
    g = model.graph
    kinds = [n.op_type for n in g.node]
    if kinds != [case["op"]] or g.node[0].domain not in ("", "ai.onnx"):
        return None, f"export gave {kinds}"
    node = g.node[0]
    if [i.name for i in g.input] != names or list(node.input) != names or len(g.initializer):
        return None, f"export inputs {[i.name for i in g.input]} / node {list(node.input)}"
    if [o.name for o in g.output] != outs or list(node.output) != outs:
        return None, f"export outputs {[o.name for o in g.output]}"
    shapes = [list(t.shape) for t in tensors]
    got = normalized_attributes(case["op"], node.attribute, shapes)
    want = normalized_attributes(case["op"], grid_attribute_protos(case), shapes)
    if got != want:
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want)
                if got.get(k) != want.get(k)}
        return None, f"export attributes differ (exported, grid): {diff}"
    return model, None


def helper_model(case, specs, out_shapes, outs):
    node = helper.make_node(case["op"], [s["name"] for s in specs], outs)
    node.attribute.extend(grid_attribute_protos(case))
    inputs = [helper.make_tensor_value_info(s["name"], DTYPES[s["dtype"]], s["shape"])
              for s in specs]
    outputs = [helper.make_tensor_value_info(o, onnx.TensorProto.FLOAT, shape)
               for o, shape in zip(outs, out_shapes)]
    graph = helper.make_graph([node], case["name"], inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                             producer_name="golden_torch.py", ir_version=8)


def _read_inputs(case):
    specs, protos, arrays = [], [], []
    for spec in case["inputs"]:
        dtype = spec.get("dtype", "float32")
        if dtype not in DTYPES:
            raise ValueError(f"input {spec['name']}: dtype {dtype!r}")
        proto = load_tensor(spec["file"])
        if proto.name and proto.name != spec["name"]:
            raise ValueError(
                f"input file {spec['file']} holds {proto.name!r}, not {spec['name']!r}")
        proto.name = spec["name"]
        array = numpy_helper.to_array(proto)
        if list(array.shape) != list(spec["shape"]) or proto.data_type != DTYPES[dtype]:
            raise ValueError(f"input {spec['name']}: file has {array.dtype}{list(array.shape)}, "
                             f"job says {dtype}{spec['shape']}")
        specs.append({"name": spec["name"], "shape": list(spec["shape"]), "dtype": dtype})
        protos.append(proto)
        arrays.append(array)
    return specs, protos, arrays


def evaluate(plan, case, specs, arrays, dtype, seed: int, wanted: int):
    """Runs the plan in `dtype` (float inputs, upstream gradients and outputs; integer inputs
    stay int64): returns (outputs, upstream gradients, {input index: gradient}, inputs)."""
    tensors = []
    for i, (spec, a) in enumerate(zip(specs, arrays)):
        t = torch.from_numpy(np.array(a, copy=True))
        if spec["dtype"] == "float32":
            t = t.to(dtype)
        if i in plan.grad_inputs:
            t.requires_grad_(True)
        tensors.append(t)
    ys = plan.forward(tensors)
    if wanted > len(ys):
        raise Unsupported(f"{case['op']}: {wanted} outputs requested, PyTorch mapping gives "
                          f"{len(ys)}")
    ys = ys[:wanted]
    if any(y.dtype != dtype for y in ys):
        raise RuntimeError(f"outputs are {[y.dtype for y in ys]}, not {dtype}")
    gos = [torch.from_numpy(grad_output_values(y.shape, seed, j)).to(dtype)
           for j, y in enumerate(ys)]
    grads = {}
    wrt = [tensors[i] for i in plan.grad_inputs]
    if wrt:
        got = torch.autograd.grad(ys, wrt, gos, allow_unused=True)
        for i, g in zip(plan.grad_inputs, got):
            grads[i] = torch.zeros_like(tensors[i]) if g is None else g
    if plan.custom_grads is not None:
        grads.update(plan.custom_grads(tensors, gos))
    for i, g in grads.items():
        if list(g.shape) != list(tensors[i].shape) or g.dtype != dtype:
            raise RuntimeError(f"gradient {i} has {g.dtype}{list(g.shape)}")
    return ys, gos, grads, tensors


def run_case(case: dict, out_dir: str) -> dict:
    name = case["name"]
    record = {"name": name, "status": "ok", "reason": "", "model": None, "torch_op": None}
    case_dir = os.path.join(out_dir, name)
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    try:
        specs, protos, arrays = _read_inputs(case)
        shapes = [s["shape"] for s in specs]
        labels = next((a for s, a in zip(specs, arrays) if s["dtype"] == "int64"), None)
        plan = make_plan(case, shapes, labels)
        record["torch_op"] = plan.torch_op
        wanted = int(case.get("outputs", 1))
        seed = int(case["seed"])
        ys, gos, grads, tensors = evaluate(plan, case, specs, arrays, torch.float32, seed, wanted)
        out_shapes = [list(y.shape) for y in ys]
        if plan.expected_shapes is not None and out_shapes != plan.expected_shapes[:wanted]:
            raise RuntimeError(f"PyTorch output shape {out_shapes} != ONNX shape "
                               f"{plan.expected_shapes}")
        # The float64 truth: the same plan on the same (exactly widened) inputs and upstream
        # gradients, with every float attribute at the float32 value the ONNX file holds.
        ys64, _, grads64, _ = evaluate(plan, case, specs, arrays, torch.float64, seed, wanted)
        with native_kernels():
            ys_alt, _, grads_alt, _ = evaluate(plan, case, specs, arrays, torch.float32, seed,
                                               wanted)
        if sorted(grads64) != sorted(grads):
            raise RuntimeError(f"float64 run gave gradients {sorted(grads64)}, float32 "
                               f"{sorted(grads)}")

        names = [s["name"] for s in specs]
        outs = output_names(len(ys))
        notes = list(plan.notes)
        model = None
        if plan.native:
            model, why = export_model(plan, tensors, case, names, outs)
            if why:
                notes.append(why)
        record["model"] = "export" if model is not None else "helper"
        if model is None:
            model = helper_model(case, specs, out_shapes, outs)
        check_model(model)
        inferred = inferred_output_shapes(model)
        if inferred is not None and inferred[:len(ys)] != out_shapes:
            # Make the disputed dims symbolic so that runtimes do not trip over the conflict.
            for out, want, got in zip(model.graph.output, out_shapes, inferred):
                for k, dim in enumerate(out.type.tensor_type.shape.dim):
                    if got is None or k >= len(got) or got[k] != want[k]:
                        dim.Clear()
                        dim.dim_param = f"{out.name}_d{k}"
            check_model(model)
            notes.append(f"onnx {onnx.__version__} shape inference gives {inferred}, PyTorch "
                         f"{out_shapes}; disputed output dims declared symbolic")

        data_dir = os.path.join(case_dir, "test_data_set_0")
        os.makedirs(data_dir)
        onnx.save(model, os.path.join(case_dir, "model.onnx"))
        for i, proto in enumerate(protos):
            save_proto(proto, os.path.join(data_dir, f"input_{i}.pb"))
        for j, (y, go, o) in enumerate(zip(ys, gos, outs)):
            save_array(to_numpy(y), o, os.path.join(data_dir, f"output_{j}.pb"))
            save_array(to_numpy(go), f"{o}_grad", os.path.join(data_dir, f"grad_output_{j}.pb"))
        for i in sorted(grads):
            save_array(to_numpy(grads[i]), f"{names[i]}_grad",
                       os.path.join(data_dir, f"grad_input_{i}.pb"))
        errors = {}
        for j, (y, y64, ya, o) in enumerate(zip(ys, ys64, ys_alt, outs)):
            save_truth(data_dir, f"output_{j}", to_numpy(y), to_numpy(y64), o, errors,
                       to_numpy(ya))
        for i in sorted(grads):
            save_truth(data_dir, f"grad_input_{i}", to_numpy(grads[i]), to_numpy(grads64[i]),
                       f"{names[i]}_grad", errors, to_numpy(grads_alt[i]))
        write_truth_errors(data_dir, errors)
        record["float32_error"] = errors
        record["grad_inputs"] = sorted(grads)
        record["output_shapes"] = out_shapes
        record["notes"] = notes
    except Unsupported as e:
        record.update(status="unsupported", reason=str(e), model=None)
    except Exception as e:  # noqa: BLE001 - reported per case; the run goes on
        record.update(status="error", reason=f"{type(e).__name__}: {e}", model=None)
    if record["status"] != "ok" and os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    return record


def run_cases(jobs_path: str, out_dir: str) -> int:
    with open(jobs_path) as f:
        jobs = json.load(f)
    if int(jobs.get("opset", OPSET)) != OPSET:
        raise SystemExit(f"golden_torch: jobs opset {jobs.get('opset')} != {OPSET}")
    os.makedirs(out_dir, exist_ok=True)
    start = time.time()
    counts = {}
    base = os.path.dirname(os.path.abspath(jobs_path))
    for case in jobs["cases"]:
        for spec in case.get("inputs", []):
            if "file" in spec and not os.path.isabs(spec["file"]):
                spec["file"] = os.path.join(base, spec["file"])  # relative to the jobs file
        record = run_case(case, out_dir)
        counts[record["status"]] = counts.get(record["status"], 0) + 1
        emit(record)
    print(f"golden_torch: {len(jobs['cases'])} cases in {time.time() - start:.1f} s: {counts}",
          file=sys.stderr)
    return 0
