"""`models` and `training` subcommands: whole exported models with parameter gradients, and the
LeNet-5 / Fashion-MNIST training-parity golden."""

import copy
import gzip
import io
import json
import os
import shutil
import struct
import warnings

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

from .common import (OPSET, check_model, emit, grad_output_values, native_kernels, save_array,
                     save_truth, to_numpy, write_truth_errors)


class NotebookCNN(nn.Module):
    """Conv2d(1,32,k2,s2) ReLU, Conv2d(32,64,k2,s2,p1) ReLU, Conv2d(64,128,k2,s2) ReLU, flatten,
    Linear(2048,250) ReLU, Linear(250,10). Spatial 28 -> 14 -> 8 -> 4."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 2, stride=2)
        self.conv2 = nn.Conv2d(32, 64, 2, stride=2, padding=1)
        self.conv3 = nn.Conv2d(64, 128, 2, stride=2)
        self.fc1 = nn.Linear(128 * 4 * 4, 250)
        self.fc2 = nn.Linear(250, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.relu(self.conv3(x))
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


class LeNet5(nn.Module):
    """Conv2d(1,6,5) ReLU MaxPool2d(2), Conv2d(6,16,5) ReLU MaxPool2d(2), flatten (256),
    Linear(256,120) ReLU, Linear(120,84) ReLU, Linear(84,10). Spatial 28 -> 24 -> 12 -> 8 -> 4."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


# name -> (class, seed): torch.manual_seed(seed) before building the model (default PyTorch
# initialisation), then the input torch.rand(2, 1, 28, 28); the same seed drives grad_output_0.
MODELS = {"seed_notebook_cnn": (NotebookCNN, 1), "lenet5": (LeNet5, 2)}


def export_with_initializers(model: nn.Module, example: torch.Tensor, dynamic_batch=False):
    """torch.onnx.export with parameters as initializers; checks that the initializers are
    exactly the named parameters, value for value."""
    buffer = io.BytesIO()
    dynamic = {"X": {0: "N"}, "Y": {0: "N"}} if dynamic_batch else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), buffer, export_params=True, opset_version=OPSET,
                          do_constant_folding=False, training=torch.onnx.TrainingMode.EVAL,
                          input_names=["X"], output_names=["Y"], dynamic_axes=dynamic)
    onnx_model = onnx.load_from_string(buffer.getvalue())
    check_model(onnx_model)
    params = dict(model.named_parameters())
    names = [init.name for init in onnx_model.graph.initializer]
    if sorted(names) != sorted(params):
        raise RuntimeError(f"initializers {names} are not the parameters {sorted(params)}")
    for init in onnx_model.graph.initializer:
        if not np.array_equal(numpy_helper.to_array(init), to_numpy(params[init.name])):
            raise RuntimeError(f"initializer {init.name} differs from its parameter")
    if [i.name for i in onnx_model.graph.input] != ["X"]:
        raise RuntimeError(f"graph inputs {[i.name for i in onnx_model.graph.input]}")
    return onnx_model, names


def run_models(out_dir: str) -> int:
    os.makedirs(out_dir, exist_ok=True)
    for name, (cls, seed) in MODELS.items():
        torch.manual_seed(seed)
        model = cls()
        x = torch.rand(2, 1, 28, 28)
        onnx_model, init_names = export_with_initializers(model, x)
        params = dict(model.named_parameters())
        x.requires_grad_(True)
        y = model(x)
        go = torch.from_numpy(grad_output_values(y.shape, seed, 0))
        grads = torch.autograd.grad([y], [x] + [params[n] for n in init_names], [go])
        case_dir = os.path.join(out_dir, name)
        if os.path.isdir(case_dir):
            shutil.rmtree(case_dir)
        data_dir = os.path.join(case_dir, "test_data_set_0")
        os.makedirs(data_dir)
        onnx.save(onnx_model, os.path.join(case_dir, "model.onnx"))
        save_array(to_numpy(x), "X", os.path.join(data_dir, "input_0.pb"))
        save_array(to_numpy(y), "Y", os.path.join(data_dir, "output_0.pb"))
        save_array(to_numpy(go), "Y_grad", os.path.join(data_dir, "grad_output_0.pb"))
        save_array(to_numpy(grads[0]), "X_grad", os.path.join(data_dir, "grad_input_0.pb"))
        for k, (n, g) in enumerate(zip(init_names, grads[1:])):
            save_array(to_numpy(g), f"{n}_grad", os.path.join(data_dir, f"grad_initializer_{k}.pb"))
        # The float64 truth: the same model, parameters and input widened exactly to float64.
        model64 = copy.deepcopy(model).double()
        params64 = dict(model64.named_parameters())
        x64 = x.detach().double().requires_grad_(True)
        y64 = model64(x64)
        grads64 = torch.autograd.grad([y64], [x64] + [params64[n] for n in init_names],
                                      [go.double()])
        with native_kernels():
            xa = x.detach().clone().requires_grad_(True)
            ya = model(xa)
            grads_alt = torch.autograd.grad([ya], [xa] + [params[n] for n in init_names], [go])
        errors = {}
        save_truth(data_dir, "output_0", to_numpy(y), to_numpy(y64), "Y", errors, to_numpy(ya))
        save_truth(data_dir, "grad_input_0", to_numpy(grads[0]), to_numpy(grads64[0]), "X_grad",
                   errors, to_numpy(grads_alt[0]))
        for k, (n, g, g64, ga) in enumerate(zip(init_names, grads[1:], grads64[1:],
                                                grads_alt[1:])):
            save_truth(data_dir, f"grad_initializer_{k}", to_numpy(g), to_numpy(g64), f"{n}_grad",
                       errors, to_numpy(ga))
        write_truth_errors(data_dir, errors)
        emit({"name": name, "status": "ok", "reason": "", "model": "export",
              "torch_op": f"{cls.__name__}() after torch.manual_seed({seed})", "seed": seed,
              "op_types": [n.op_type for n in onnx_model.graph.node],
              "node_attributes": [{a.name: _attr(a) for a in n.attribute}
                                  for n in onnx_model.graph.node],
              "initializers": init_names, "output_shapes": [list(y.shape)],
              "float32_error": errors})
    return 0


def _attr(a):
    v = onnx.helper.get_attribute_value(a)
    return v.decode() if isinstance(v, bytes) else v


def read_idx(path: str) -> np.ndarray:
    """IDX file (gzip): magic 0x0000080D (uint8, D dims), big-endian dims, row-major data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not a uint8 IDX file")
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return body.reshape(dims)


STEPS, BATCH = 20, 32
OPTIMIZERS = {
    "sgd": ("torch.optim.SGD(lr=0.05, momentum=0.9)",
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "adam": ("torch.optim.Adam(lr=1e-3) (betas 0.9, 0.999; eps 1e-8)",
             lambda p: torch.optim.Adam(p, lr=1e-3)),
}


def run_training(out_dir: str, fashion_dir: str) -> int:
    images = read_idx(os.path.join(fashion_dir, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(fashion_dir, "train-labels-idx1-ubyte.gz"))
    count = STEPS * BATCH
    images = np.ascontiguousarray(images[:count]).reshape(STEPS, BATCH, 1, 28, 28)
    labels = labels[:count].astype(np.int64).reshape(STEPS, BATCH)
    os.makedirs(out_dir, exist_ok=True)
    save_array(images, "images", os.path.join(out_dir, "batches_images.pb"))
    save_array(labels, "labels", os.path.join(out_dir, "batches_labels.pb"))

    torch.manual_seed(0)
    initial = LeNet5()
    initial_state = copy.deepcopy(initial.state_dict())
    example = torch.zeros(BATCH, 1, 28, 28)
    onnx.save(export_with_initializers(initial, example, True)[0],
              os.path.join(out_dir, "initial.onnx"))
    losses = {}
    for key, (_, make) in OPTIMIZERS.items():
        model = LeNet5()
        model.load_state_dict(initial_state)
        model.train()
        optimizer = make(model.parameters())
        record = []
        for step in range(STEPS):
            x = torch.from_numpy(images[step].copy()).to(torch.float32) / 255.0
            t = torch.from_numpy(labels[step].copy())
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), t)
            loss.backward()
            record.append(float(loss.item()))  # float32 value, exact as a double
            optimizer.step()
        losses[key] = record
        onnx.save(export_with_initializers(model, example, True)[0],
                  os.path.join(out_dir, f"{key}_final.onnx"))
    summary = {
        **losses,
        "batch_size": BATCH,
        "steps": STEPS,
        "seed": 0,
        "model": "LeNet5: Conv2d(1,6,5) ReLU MaxPool2d(2) Conv2d(6,16,5) ReLU MaxPool2d(2) "
                 "flatten Linear(256,120) ReLU Linear(120,84) ReLU Linear(84,10); PyTorch "
                 "default init after torch.manual_seed(0)",
        "data": "Fashion-MNIST train set, first 640 images in file order, batch b = images "
                "[32b, 32b+32); x = float32(pixel) / 255 (no mean/std normalisation)",
        "loss": "F.cross_entropy(logits, labels), reduction mean; recorded before each step's "
                "update (the forward that produced the gradient)",
        "optimizers": {k: v[0] for k, v in OPTIMIZERS.items()},
        "files": {"initial": "initial.onnx", "sgd": "sgd_final.onnx",
                  "adam": "adam_final.onnx", "images": "batches_images.pb (uint8 "
                  "[20,32,1,28,28])", "labels": "batches_labels.pb (int64 [20,32])"},
    }
    with open(os.path.join(out_dir, "losses.json"), "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    emit({"name": "training", "status": "ok", "reason": "", "model": "export",
          "torch_op": "LeNet5 SGD / Adam, 20 steps of 32",
          "sgd_losses": [losses["sgd"][0], losses["sgd"][-1]],
          "adam_losses": [losses["adam"][0], losses["adam"][-1]]})
    return 0
