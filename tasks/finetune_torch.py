#!/usr/bin/python3
"""PyTorch reference of `deno task finetune` (last layer only), for accuracy and timing.

    /usr/bin/python3 tasks/finetune_torch.py --arch resnet18 --epochs 2

The same pipeline on one thread (torch.set_num_threads(1)): torchvision.models.<arch>(weights=None)
after torch.manual_seed(--seed) (the weights tasks/export_torchvision.py exports), in eval mode;
Fashion-MNIST bytes / 255, F.interpolate(bilinear, align_corners=False) to --size, repeated to 3
channels, normalised with ImageNet's mean and std; features = the input of the last Linear
(`fc`, or `classifier[-1]`), computed once under torch.no_grad() in batches of 250; a new
nn.Linear(features, 10) (PyTorch's default init after torch.manual_seed(--seed)) trained with
Adam (lr --lr) on batches of 64 in the order torch.randperm draws from a generator seeded with
seed + epoch (not our shuffle). Prints one line per epoch and the extraction time.
"""

import argparse
import gzip
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision


def read_idx(path: str) -> np.ndarray:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory: str, prefix: str, limit: int | None):
    def path(name: str) -> str:
        p = os.path.join(directory, name)
        return p + ".gz" if os.path.exists(p + ".gz") else p
    images = read_idx(path(f"{prefix}-images-idx3-ubyte"))[:limit]
    labels = read_idx(path(f"{prefix}-labels-idx1-ubyte"))[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="resnet18")
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--train-limit", type=int, default=None)
    parser.add_argument("--test-limit", type=int, default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.arch)(weights=None).eval()
    if hasattr(model, "fc"):
        last, model.fc = model.fc, torch.nn.Identity()
    else:
        last, model.classifier[-1] = model.classifier[-1], torch.nn.Identity()
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)

    def features(x: torch.Tensor) -> torch.Tensor:
        out = []
        with torch.no_grad():
            for i in range(0, len(x), 250):
                b = F.interpolate(x[i:i + 250], size=(args.size, args.size), mode="bilinear",
                                  align_corners=False)
                out.append(model((b.repeat(1, 3, 1, 1) - mean) / std))
        return torch.cat(out)

    train_x, train_y = load(args.data_dir, "train", args.train_limit)
    test_x, test_y = load(args.data_dir, "t10k", args.test_limit)
    start = time.perf_counter()
    train_f, test_f = features(train_x), features(test_x)
    extract = time.perf_counter() - start
    print(f"features: {len(train_f)} + {len(test_f)} images in {extract:.1f} s "
          f"({(len(train_f) + len(test_f)) / extract:.0f} img/s)")
    torch.manual_seed(args.seed)
    head = torch.nn.Linear(last.in_features, 10)
    optimizer = torch.optim.Adam(head.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        order = torch.randperm(len(train_f), generator=torch.Generator().manual_seed(args.seed + epoch))
        total, start = 0.0, time.perf_counter()
        for i in range(0, len(order), 64):
            idx = order[i:i + 64]
            optimizer.zero_grad()
            loss = F.cross_entropy(head(train_f[idx]), train_y[idx])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        with torch.no_grad():
            accuracy = (head(test_f).argmax(1) == test_y).float().mean().item()
        print(f"epoch {epoch + 1}/{args.epochs}  loss {total / len(order):.4f}  "
              f"test accuracy {accuracy:.4f}  time {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
