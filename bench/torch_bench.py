"""PyTorch's side of `deno task bench`: times the bench's passes on PyTorch's CPU kernels in the
same run as ours, at the thread counts asked for.

    /usr/bin/python3 bench/torch_bench.py      (driven by bench/_torch.ts)

Reads one JSON job per line on stdin and answers each with one JSON line on stdout:

    {"kind": "conv", "dir": D, "n":.., "cin":.., "h":.., "w":.., "cout":.., "k":.., "stride":..,
     "pad":.., "groups":.., "threads": [1, 2], "budget": 4}
    {"kind": "pool", "dir": D, "n":.., "c":.., "h":.., "w":.., "k":.., "stride":.., ...}
    {"kind": "lenet", "dir": D, "batch": 64, ...}

Inputs are the raw little-endian float32 files the bench wrote to D (x.f32, weight.f32, dy.f32;
LeNet: x.f32 and labels.i32). The answer holds, per pass and thread count, the median and the
fastest run in ms and the number of timed runs (the bench's rule: warm-up of 0.3 s, then at least
10 runs and 0.5 s, fewer when the budget runs out), and the one-thread results are written back to
D (<pass>.f32) for the bench's agreement check. The passes are what autograd runs: F.conv2d, the
aten convolution_backward with one output mask at a time (input gradient, weight gradient),
F.max_pool2d and max_pool2d_with_indices_backward, and a LeNet-5 SGD step (zero_grad, forward,
cross-entropy, backward, step) of the network in bench/_lenet.ts.
"""

import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

MIN_RUNS = 10


def measure(fn, budget, target=0.5, max_runs=100):
    """Median and fastest ms of timed runs after warm-up, as bench/_timing.ts does."""
    t0 = time.perf_counter()
    for i in range(200):
        fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= 0.3 or elapsed * (i + 2) / (i + 1) > budget * 0.25:
            break
    times = []
    start = time.perf_counter()
    while True:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        elapsed = time.perf_counter() - start
        mean = elapsed / len(times)
        if len(times) >= max_runs:
            break
        if len(times) >= MIN_RUNS and elapsed >= target:
            break
        if elapsed + mean > budget and len(times) < MIN_RUNS:
            break
        if elapsed + mean > max(budget, target) and len(times) >= MIN_RUNS:
            break
    times.sort()
    mid = len(times) // 2
    ms = times[mid] if len(times) % 2 == 1 else (times[mid - 1] + times[mid]) / 2
    return {"ms": ms, "minMs": times[0], "runs": len(times), "capped": len(times) < MIN_RUNS}


def load(directory, name, shape, dtype="<f4"):
    data = np.fromfile(os.path.join(directory, name), dtype=dtype)
    return torch.from_numpy(data.reshape(shape).copy())


def save(directory, name, tensor):
    tensor.detach().contiguous().numpy().astype("<f4").tofile(os.path.join(directory, name))


def conv_passes(job):
    n, cin, h, w, cout, k = (job[key] for key in ("n", "cin", "h", "w", "cout", "k"))
    stride, pad, groups = job["stride"], job["pad"], job.get("groups", 1)
    x = load(job["dir"], "x.f32", (n, cin, h, w))
    weight = load(job["dir"], "weight.f32", (cout, cin // groups, k, k))
    y = F.conv2d(x, weight, None, stride, pad, 1, groups)
    dy = load(job["dir"], "dy.f32", tuple(y.shape))

    def backward(mask):
        return torch.ops.aten.convolution_backward(
            dy, x, weight, None, [stride, stride], [pad, pad], [1, 1], False, [0, 0], groups, mask)

    return {
        "fwd": lambda: F.conv2d(x, weight, None, stride, pad, 1, groups),
        "dX": lambda: backward([True, False, False])[0],
        "dW": lambda: backward([False, True, False])[1],
    }


def pool_passes(job):
    n, c, h, w, k, stride = (job[key] for key in ("n", "c", "h", "w", "k", "stride"))
    x = load(job["dir"], "x.f32", (n, c, h, w))
    y, indices = F.max_pool2d(x, k, stride, 0, 1, False, True)
    dy = load(job["dir"], "dy.f32", tuple(y.shape))
    return {
        "fwd": lambda: F.max_pool2d(x, k, stride),
        "bwd": lambda: torch.ops.aten.max_pool2d_with_indices_backward(
            dy, x, [k, k], [stride, stride], [0, 0], [1, 1], False, indices),
    }


class LeNet(torch.nn.Module):
    """bench/_lenet.ts's network: conv 1→6 k5, pool, conv 6→16 k5, pool, 256→120→84→10."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5)
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.fc1 = torch.nn.Linear(256, 120)
        self.fc2 = torch.nn.Linear(120, 84)
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def lenet_passes(job):
    batch = job["batch"]
    x = load(job["dir"], "x.f32", (batch, 1, 28, 28))
    labels = load(job["dir"], "labels.i32", (batch,), "<i4").long()
    torch.manual_seed(0)
    net = LeNet()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), labels)
        loss.backward()
        optimizer.step()
        return None

    return {"step": step}


PASSES = {"conv": conv_passes, "pool": pool_passes, "lenet": lenet_passes}


def run(job):
    passes = PASSES[job["kind"]](job)
    result = {}
    for name, fn in passes.items():
        result[name] = {}
        for threads in job["threads"]:
            torch.set_num_threads(threads)
            with torch.no_grad() if job["kind"] != "lenet" else torch.enable_grad():
                result[name][str(threads)] = measure(fn, job.get("budget", 4))
                if threads == 1 and job["kind"] != "lenet":
                    save(job["dir"], f"{name}.f32", fn())
    return result


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__,
                      "maxThreads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = {"ok": True, "passes": run(json.loads(line))}
        except Exception as error:  # reported to the bench, which prints it
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
