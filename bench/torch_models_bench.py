"""PyTorch's side of `deno task bench:models`: exports torchvision's resnet18 and mobilenet_v2
(random init after torch.manual_seed(0), eval mode, BatchNormalization kept, batch and image axes
symbolic)
to ONNX for our executor and ONNX Runtime, and times PyTorch's own forward and forward+backward
of the same models in the same run.

    /usr/bin/python3 bench/torch_models_bench.py export DIR
    /usr/bin/python3 bench/torch_models_bench.py time ARCH N SIZE THREADS BUDGET

`export` writes DIR/<arch>.onnx and prints one JSON line {arch: file}. `time` prints one JSON line
{"fwd": {ms, minMs, runs}, "fwdbwd": {...}, "torch": version} for a batch of N images SIZE×SIZE
on THREADS threads: forward = model(x) under no_grad; forward+backward = model(x), then
y.backward(ones) with the input and every parameter requiring a gradient — what our executor's
run + backward computes. Timing rule as bench/torch_bench.py (warm-up, at least 10 runs and 0.5
s, fewer within the budget).
"""

import io
import json
import sys
import time
import warnings

import onnx
import torch
import torchvision

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/tasks")
from export_torchvision import unshare_initializers  # noqa: E402

ARCHS = ("resnet18", "mobilenet_v2")


def build(arch):
    torch.manual_seed(0)
    return getattr(torchvision.models, arch)(weights=None).eval()


def export(out_dir):
    files = {}
    for arch in ARCHS:
        model = build(arch)
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (torch.rand(1, 3, 64, 64),), buffer, opset_version=17,
                              do_constant_folding=False, export_params=True,
                              training=torch.onnx.TrainingMode.PRESERVE,
                              input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "N", 2: "H", 3: "W"}, "output": {0: "N"}})
        proto = onnx.load_from_string(buffer.getvalue())
        unshare_initializers(proto)
        path = f"{out_dir}/{arch}.onnx"
        onnx.save(proto, path)
        files[arch] = path
    print(json.dumps(files))


def measure(fn, budget, target=0.5, max_runs=100, min_runs=10):
    t0 = time.perf_counter()
    for i in range(200):
        fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= 0.3 or elapsed * (i + 2) / (i + 1) > budget * 0.25:
            break
    times, start = [], time.perf_counter()
    while True:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        elapsed = time.perf_counter() - start
        mean = elapsed / len(times)
        if len(times) >= max_runs or (len(times) >= min_runs and elapsed >= target):
            break
        if elapsed + mean > budget and len(times) < min_runs:
            break
        if elapsed + mean > max(budget, target) and len(times) >= min_runs:
            break
    times.sort()
    mid = len(times) // 2
    ms = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {"ms": ms, "minMs": times[0], "runs": len(times)}


def time_model(arch, n, size, threads, budget):
    torch.set_num_threads(threads)
    model = build(arch)
    torch.manual_seed(1)
    x = torch.rand(n, 3, size, size)

    def fwd():
        with torch.no_grad():
            model(x)

    xg = x.clone().requires_grad_(True)

    def fwdbwd():
        model.zero_grad(set_to_none=True)
        xg.grad = None
        y = model(xg)
        y.backward(torch.ones_like(y))

    print(json.dumps({"fwd": measure(fwd, budget), "fwdbwd": measure(fwdbwd, budget),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    else:
        _, _, arch, n, size, threads, budget = sys.argv
        time_model(arch, int(n), int(size), int(threads), float(budget))
