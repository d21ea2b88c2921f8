"""Shared pieces of the PyTorch golden generator: determinism, tensor files, the counter-based
upstream gradient of conformance/fill.ts, versions, and case-directory writing."""

import json
import os
import platform
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper

OPSET = 17


def set_deterministic() -> None:
    """Single-threaded, deterministic float32 CPU execution."""
    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float32)


def grad_output_values(shape, seed: int, index: int) -> np.ndarray:
    """The upstream gradient seeding output `index` (conformance/fill.ts `gradOutputValues`):
    element i is fmix32(seed + imul(index + 1, 0x9E3779B9) + imul(i, 0x85EBCA6B)) mapped to
    ((h >>> 8) - 2^23) / 2^23. uint32 arithmetic wraps exactly like Math.imul / >>> 0."""
    size = int(np.prod(shape, dtype=np.int64)) if len(shape) else 1
    m = np.uint64(0xFFFFFFFF)
    base = (np.uint64(seed & 0xFFFFFFFF) + np.uint64(((index + 1) * 0x9E3779B9) & 0xFFFFFFFF)) & m
    i = np.arange(size, dtype=np.uint64)
    h = (base + ((i * np.uint64(0x85EBCA6B)) & m)) & m
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & m
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & m
    h ^= h >> np.uint64(16)
    values = ((h >> np.uint64(8)).astype(np.float64) - 8388608.0) / 8388608.0
    return values.astype(np.float32).reshape(tuple(shape))


def load_tensor(path: str) -> onnx.TensorProto:
    proto = onnx.TensorProto()
    with open(path, "rb") as f:
        proto.ParseFromString(f.read())
    return proto


def save_array(array: np.ndarray, name: str, path: str) -> None:
    # np.array(copy, order C), not np.ascontiguousarray: that one turns shape [] into [1].
    proto = numpy_helper.from_array(np.array(array, order="C", copy=True), name=name)
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())


def save_proto(proto: onnx.TensorProto, path: str) -> None:
    with open(path, "wb") as f:
        f.write(proto.SerializeToString())


def to_numpy(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy()


def versions() -> dict:
    return {
        "torch": torch.__version__,
        "onnx": onnx.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "platform": platform.platform(),
        "num_threads": torch.get_num_threads(),
        "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
    }


def write_versions(out_dir: str) -> dict:
    v = versions()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "torch_versions.json"), "w") as f:
        json.dump(v, f, indent=2)
        f.write("\n")
    print("golden_torch versions: " + json.dumps(v), file=sys.stderr)
    return v


def emit(record: dict) -> None:
    """One JSON line per case on stdout (the orchestrator's protocol)."""
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def check_model(model: onnx.ModelProto) -> None:
    onnx.checker.check_model(model)


def inferred_output_shapes(model: onnx.ModelProto):
    """Output shapes according to ONNX shape inference (declared shapes cleared first), or None
    where inference leaves a dimension unknown."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    for out in probe.graph.output:
        out.type.tensor_type.ClearField("shape")
    try:
        inferred = onnx.shape_inference.infer_shapes(probe)
    except Exception:  # noqa: BLE001 - inference failure is only a note
        return None
    shapes = []
    for out in inferred.graph.output:
        t = out.type.tensor_type
        if not t.HasField("shape"):
            shapes.append(None)
            continue
        shapes.append([d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim])
    return shapes


# The float64 truth beside a float32 golden. ONNX's backend runners read only input_*.pb and
# output_*.pb directly in test_data_set_<n>/, so the truth lives in its subdirectory float64/
# under the same file stems (output_0.pb, grad_input_1.pb, grad_initializer_3.pb) and is invisible
# to them. float64/torch_float32_error.json records, per stem, PyTorch's own float32 error against
# that truth: the yardstick of conformance/tolerance.ts.
TRUTH_DIR = "float64"
TRUTH_ERRORS = "torch_float32_error.json"


def float32_error(t32: np.ndarray, t64: np.ndarray) -> dict:
    """PyTorch's float32 result against its float64 truth: maxAbs = max |e32 - e64| over finite
    truth elements, normwise = ||e32 - e64||_2 / ||e64||_2 (0 when the truth is 0), scale =
    max |e64| over finite elements, and nonfinite = how many truth elements are NaN or +-Inf
    (the float32 result must match those exactly; a mismatch makes maxAbs infinite)."""
    a = np.asarray(t32, dtype=np.float64).ravel()
    b = np.asarray(t64, dtype=np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(f"float32 {a.shape} and float64 {b.shape} results differ in size")
    finite = np.isfinite(b)
    nonfinite = int((~finite).sum())
    same_nonfinite = bool(np.all((np.isnan(a) & np.isnan(b)) | (a == b) | finite))
    diff = np.abs(a[finite] - b[finite])
    max_abs = float(diff.max()) if diff.size else 0.0
    if not np.all(np.isfinite(a[finite])) or not same_nonfinite:
        max_abs = float("inf")
    norm = float(np.sqrt(np.sum(b[finite] ** 2)))
    err = float(np.sqrt(np.sum(diff ** 2)))
    # A zero truth has no relative error: it is judged elementwise only (normwise 0).
    normwise = 0.0 if err == 0.0 or norm == 0.0 else err / norm
    scale = float(np.abs(b[finite]).max()) if finite.any() else 0.0
    return {"maxAbs": max_abs, "normwise": normwise, "scale": scale, "nonfinite": nonfinite}


def save_truth(data_dir: str, stem: str, t32: np.ndarray, t64: np.ndarray, name: str,
               errors: dict, alternative: np.ndarray = None) -> None:
    """Writes float64/<stem>.pb (the float64 truth, named like its float32 file) and records
    PyTorch's float32 error against it in `errors[stem]`; with `alternative` (PyTorch's float32
    result with oneDNN disabled, see `native_kernels`) also that run's error as
    `errors[stem]["alternative"]` = {maxAbs, normwise}."""
    truth = np.asarray(t64)
    if truth.dtype != np.float64:
        raise ValueError(f"truth of {stem} is {truth.dtype}, not float64")
    os.makedirs(os.path.join(data_dir, TRUTH_DIR), exist_ok=True)
    save_array(truth, name, os.path.join(data_dir, TRUTH_DIR, f"{stem}.pb"))
    errors[stem] = float32_error(t32, truth)
    if alternative is not None:
        alt = float32_error(alternative, truth)
        errors[stem]["alternative"] = {"maxAbs": alt["maxAbs"], "normwise": alt["normwise"]}


def native_kernels():
    """PyTorch's second float32 CPU backend: oneDNN (mkldnn) disabled, so convolutions and their
    gradients run on ATen's native kernels. Its error against the truth is recorded next to the
    default backend's: PyTorch's float32 error is a range, not one number (on small tensors deep
    in a network the two differ by more than 10×)."""
    return torch.backends.mkldnn.flags(enabled=False)


def write_truth_errors(data_dir: str, errors: dict) -> None:
    """float64/torch_float32_error.json: {stem: {maxAbs, normwise, scale, nonfinite}}, sorted,
    every float written with full precision (repr round-trips a double)."""
    for stem, e in errors.items():
        values = [v for k, v in e.items() if k != "alternative"] + \
            list(e.get("alternative", {}).values())
        if not all(np.isfinite(v) for v in values):
            raise ValueError(f"{stem}: PyTorch's float32 result has no finite error against its "
                             f"float64 truth ({e}): non-finite elements differ")
    path = os.path.join(data_dir, TRUTH_DIR, TRUTH_ERRORS)
    with open(path, "w") as f:
        json.dump({k: errors[k] for k in sorted(errors)}, f, indent=1, allow_nan=False)
        f.write("\n")
