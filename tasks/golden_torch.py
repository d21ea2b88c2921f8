#!/usr/bin/python3
"""PyTorch source of golden tensors for the conformance suite.

Run with Debian's interpreter, which has python3-torch 1.13, python3-onnx 1.12 and numpy:

    /usr/bin/python3 tasks/golden_torch.py cases --jobs JOBS.json --out OUTDIR
    /usr/bin/python3 tasks/golden_torch.py models --out OUTDIR
    /usr/bin/python3 tasks/golden_torch.py zoo --out OUTDIR [--size reduced|full] [--only A,B]
    /usr/bin/python3 tasks/golden_torch.py training --out OUTDIR \
        --fashion-mnist /usr/share/datasets/fashion-mnist

Contract
--------
Deterministic: torch.manual_seed(0), one thread, torch.use_deterministic_algorithms(True),
float32 throughout. Every subcommand writes OUTDIR/torch_versions.json (torch, onnx, numpy,
python) and prints the same versions as one line on stderr. stdout carries exactly one JSON line
per case / model: {"name", "status": "ok" | "unsupported" | "error", "reason", "model": "export" |
"helper" | null, "torch_op", ...}; on "ok" also "grad_inputs" (indices written), "output_shapes"
and "notes" (e.g. where ONNX Runtime or onnx shape inference is known to differ). The exit code is
0 unless something systemic fails (unreadable jobs file, wrong opset, missing dataset).

`cases`: JOBS.json is {"opset": 17, "cases": [{"name", "family", "op", "attributes": {...},
"floatAttributes": [...], "inputs": [{"name", "shape", "dtype": "float32" | "int64",
"file": "/abs/input_i.pb"}], "seed": uint32, "outputs"?: int (default 1)}]}. Input files are ONNX
TensorProtos; their shape and type must match the job. For each ok case:

    OUTDIR/<name>/model.onnx                          single node, opset 17
    OUTDIR/<name>/test_data_set_0/input_<i>.pb        copy of input i (named as the graph input)
    OUTDIR/<name>/test_data_set_0/output_<j>.pb       forward output j ("Y", "Y1", ...)
    OUTDIR/<name>/test_data_set_0/grad_output_<j>.pb  upstream gradient "<output>_grad", from
                                                      conformance/fill.ts gradOutputValues(shape,
                                                      seed, j); shape [] outputs get one too
    OUTDIR/<name>/test_data_set_0/grad_input_<i>.pb   "<input>_grad" = dL/d input i, L = sum_j
                                                      <output_j, grad_output_j>, for every float
                                                      input except loss weights W (PyTorch's
                                                      nll_loss is not differentiable in weight)

model.onnx is torch.onnx.export of the PyTorch call (graph inputs = job inputs, do_constant_folding
False) when that export is exactly one node of the grid's op whose attributes equal the grid's with
ONNX defaults filled in ("model": "export"); otherwise the grid node written with onnx.helper
("model": "helper"). Values always come from PyTorch. Unsupported and error cases leave no
directory behind.

Semantics (tasks/golden_torch/ops.py; "unsupported" is reported, never approximated):
- Conv: F.convNd; asymmetric pads and SAME_* (ONNX pads with the effective kernel, total clamped
  at 0, odd extra at the end / start) via F.pad, since PyTorch refuses padding='same' with
  stride > 1.
- ConvTranspose: F.conv_transposeNd; asymmetric pads, SAME_* (ONNX spec split: SAME_UPPER extra
  at the end; ONNX Runtime does the reverse, noted per case) and output_shape (total >= 0: extra
  at the end as ONNX Runtime; total < 0: PyTorch's output_padding) by cropping. Unsupported:
  SAME with negative total padding (effective kernel + output_padding < stride).
- MaxPool / AveragePool: native when pads are symmetric and <= kernel // 2 (PyTorch's limit);
  otherwise F.pad(-inf) then max pool, or sum-pool of the zero-padded input divided by the
  sum-pool of a ones mask (1 on input, plus pads when count_include_pad = 1; the ceil overhang
  never counts). With ceil_mode that construction is used only when its output size equals
  PyTorch's rule (last window starts inside input + left pad); otherwise unsupported. auto_pad
  with ceil_mode is unsupported. The ceil shrink rule is PyTorch's (onnx 1.12 shape inference
  differs; such output dims are declared symbolic in model.onnx and noted).
- GlobalAveragePool / GlobalMaxPool: F.adaptive_avg/max_poolNd(X, 1) (max: first-maximum
  gradient). Gemm: F.linear (torch.addmm otherwise). Relu, LeakyRelu, Sigmoid, Tanh, Softmax,
  LogSoftmax (one axis, opset 13+). SoftmaxCrossEntropyLoss / NegativeLogLikelihoodLoss:
  F.cross_entropy / F.nll_loss (gradient for X only). BatchNormalization (inference):
  F.batch_norm(training=False); input_mean / input_var gradients by autograd of the explicit
  formula, since F.batch_norm is not differentiable in running statistics.

`models`: OUTDIR/seed_notebook_cnn and OUTDIR/lenet5 in the same layout, parameters as
initializers, graph input "X" [2, 1, 28, 28] (torch.rand after torch.manual_seed(seed) and model
construction; seed 1 and 2, also the grad_output seed), plus grad_initializer_<k>.pb
("<initializer>_grad") in graph.initializer order. The stdout line lists the exported op types.

`training`: initial.onnx, sgd_final.onnx, adam_final.onnx (LeNet-5, parameters as initializers,
batch dimension "N"), batches_images.pb (uint8 [20, 32, 1, 28, 28]: the first 640 training
images in file order), batches_labels.pb (int64 [20, 32]) and losses.json (per-step
cross-entropy before each update, full float32 precision, plus a description of the run).
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep tasks/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from golden_torch.common import set_deterministic, write_versions  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="golden_torch.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_cases = sub.add_parser("cases", help="single-node grid cases from a jobs file")
    p_cases.add_argument("--jobs", required=True)
    p_cases.add_argument("--out", required=True)
    p_models = sub.add_parser("models", help="whole exported models with gradients")
    p_models.add_argument("--out", required=True)
    p_zoo = sub.add_parser("zoo", help="torchvision architectures, eval and training mode")
    p_zoo.add_argument("--out", required=True)
    p_zoo.add_argument("--size", choices=["reduced", "full"], default="reduced")
    p_zoo.add_argument("--only", default="", help="comma-separated architecture names")
    p_train = sub.add_parser("training", help="LeNet-5 training parity golden")
    p_train.add_argument("--out", required=True)
    p_train.add_argument("--fashion-mnist", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args(argv)

    set_deterministic()
    write_versions(args.out)
    if args.command == "cases":
        from golden_torch.cases import run_cases
        return run_cases(args.jobs, args.out)
    if args.command == "zoo":
        from golden_torch.zoo import run_zoo
        return run_zoo(args.out, args.size, [n for n in args.only.split(",") if n] or None)
    if args.command == "models":
        from golden_torch.models import run_models
        return run_models(args.out)
    from golden_torch.models import run_training
    return run_training(args.out, args.fashion_mnist)


if __name__ == "__main__":
    sys.exit(main())
