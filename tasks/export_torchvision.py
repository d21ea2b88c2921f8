#!/usr/bin/python3
"""Export a torchvision classifier to ONNX for `deno task finetune` (random init, no download).

    /usr/bin/python3 tasks/export_torchvision.py --arch resnet18 --out /tmp/resnet18.onnx

Run with Debian's interpreter, which has python3-torch 1.13, python3-torchvision 0.14 and
python3-onnx 1.12. The model is `torchvision.models.<arch>(weights=None)` built after
`torch.manual_seed(--seed)` (torchvision's own random initialisation; nothing is downloaded), put
in evaluation mode (batch norm uses its running statistics, dropout is off) and exported with

    torch.onnx.export(model, x, out, opset_version=17, do_constant_folding=False,
                      export_params=True, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})

for an example input x of shape [1, 3, --size, --size]: parameters become initializers, the
batch axis is symbolic so any batch size runs, and `training=TrainingMode.PRESERVE` keeps the
BatchNormalization nodes (in inference form, since the model is in eval mode) instead of folding
them into the convolutions as the default EVAL export does. Initializers that the exporter merged
because their values are equal are split again (see unshare_initializers), so every parameter
and running statistic is its own initializer named as in the state_dict. The file is written where --out says (keep it outside the repository: resnet18 is 45 MB).
One JSON line on stdout gives the file, its size, the architecture, the seed and the versions.
"""

import argparse
import json
import os
import sys

import onnx
import torch
import torchvision


def unshare_initializers(model: onnx.ModelProto) -> int:
    """Gives every parameter and buffer its own initializer again; returns how many.

    torch.onnx.export (1.13) deduplicates initializers with equal values in an evaluation-mode
    export: at random init every batch-norm bias, running mean (zeros) and weight, running
    variance (ones) of a shape collapses into one initializer, and the others become Identity
    nodes reading it. Fine-tuning such a graph would tie those parameters together and train the
    running statistics along with the biases. Each `Identity(initializer)` node is replaced by an
    initializer of its own, named after the node's output (the state_dict name).
    """
    graph = model.graph
    by_name = {t.name: t for t in graph.initializer}
    keep, copies = [], []
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in by_name:
            copy = onnx.TensorProto()
            copy.CopyFrom(by_name[node.input[0]])
            copy.name = node.output[0]
            copies.append(copy)
        else:
            keep.append(node)
    del graph.node[:]
    graph.node.extend(keep)
    graph.initializer.extend(copies)
    return len(copies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", default="resnet18", help="torchvision.models constructor")
    parser.add_argument("--out", required=True, help="the .onnx file to write")
    parser.add_argument("--size", type=int, default=32, help="example input height and width")
    parser.add_argument("--seed", type=int, default=0, help="torch.manual_seed before building")
    args = parser.parse_args()
    constructor = getattr(torchvision.models, args.arch, None)
    if constructor is None or not callable(constructor):
        print(f"error: torchvision.models has no architecture {args.arch!r}", file=sys.stderr)
        return 2
    torch.manual_seed(args.seed)
    model = constructor(weights=None).eval()
    x = torch.randn(1, 3, args.size, args.size)
    torch.onnx.export(
        model,
        x,
        args.out,
        opset_version=17,
        do_constant_folding=False,
        export_params=True,
        training=torch.onnx.TrainingMode.PRESERVE,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "N"}, "output": {0: "N"}},
    )
    model_proto = onnx.load(args.out)
    unshared = unshare_initializers(model_proto)
    onnx.checker.check_model(model_proto)
    onnx.save(model_proto, args.out)
    print(json.dumps({
        "file": args.out,
        "bytes": os.path.getsize(args.out),
        "arch": args.arch,
        "seed": args.seed,
        "input": [1, 3, args.size, args.size],
        "unshared": unshared,
        "initializers": len(model_proto.graph.initializer),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "onnx": onnx.__version__,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
