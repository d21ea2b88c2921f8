"""`zoo` subcommand: torchvision 0.14 architectures exported with torch.onnx, in eval and training
mode, with PyTorch autograd gradients for the input and every parameter, in float32 plus the
float64 truth.

Two sizes of each architecture:
- `reduced` (committed under golden/zoo/): torchvision's own classes and constructors at reduced
  width (width_mult, block configs, growth rate, stage channels) or, where torchvision hard-codes
  the widths (ResNet, SqueezeNet, GoogLeNet) or a wide head (MobileNetV2, MNASNet), a narrower
  subclass that keeps every block type and the depth; 10 classes; input [2, 3, 40, 40].
- `full`: torchvision's constructors as published (1000 classes); input [2, 3, 64, 64]
  (`deno task golden --zoo DIR`, not committed: 5 to 47 MB each).

Random initialisation only (nothing is downloaded): torch.manual_seed(seed) before construction,
then every BatchNorm's affine parameters and running statistics are redrawn (weight U(0.5, 1.5),
bias, running_mean N(0, 0.1²), running_var U(0.5, 1.5)) so that no BN is the identity. Dropout
p = 0 and stochastic depth 0, so training mode is deterministic.

Export: opset 17, do_constant_folding=False, parameters and buffers as initializers. Eval mode is
exported with TrainingMode.PRESERVE on the model in eval(): BatchNormalization stays a node (the
EVAL setting would fold it into the convolutions and rename the weights); training mode with
TrainingMode.TRAINING (BatchNormalization training_mode = 1, batch statistics). Gradients are
written for every initializer that is a parameter (`grad_initializer_<k>`, k in
graph.initializer order); running statistics are buffers without a gradient in PyTorch and get
no file. Where torch.onnx deduplicated parameters of equal value (in eval mode: the
zero-initialised biases of one shape become one initializer feeding the others through Identity
nodes), the initializer's gradient is the sum over the parameters it stands for — the gradient of
the exported graph.
"""

import copy
import io
import os
import shutil
import warnings

import numpy as np
import onnx
import torch
from torch import nn
from torchvision.models import (densenet, efficientnet, mnasnet, mobilenetv2, mobilenetv3,
                                regnet, resnet, shufflenetv2, squeezenet)
from torchvision.models import googlenet as _googlenet_module  # noqa: F401 - the function
from torchvision.models.googlenet import BasicConv2d, GoogLeNet, Inception

from .common import (OPSET, check_model, emit, grad_output_values, native_kernels, save_array,
                     save_truth, to_numpy, write_truth_errors)

REDUCED_INPUT = (2, 3, 40, 40)
FULL_INPUT = (2, 3, 64, 64)


# --- narrower subclasses where torchvision hard-codes the widths ------------------------------

class NarrowResNet18(resnet.ResNet):
    """torchvision's ResNet-18 (BasicBlock, layers [2, 2, 2, 2], its _make_layer and init) with
    stage widths `widths` instead of 64/128/256/512."""

    def __init__(self, widths=(4, 8, 16, 24), num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = widths[0], 1, 1, 64
        self.conv1 = nn.Conv2d(3, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(resnet.BasicBlock, widths[0], 2)
        self.layer2 = self._make_layer(resnet.BasicBlock, widths[1], 2, stride=2)
        self.layer3 = self._make_layer(resnet.BasicBlock, widths[2], 2, stride=2)
        self.layer4 = self._make_layer(resnet.BasicBlock, widths[3], 2, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3], num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


class NarrowSqueezeNet11(squeezenet.SqueezeNet):
    """torchvision's SqueezeNet 1.1 layout (its Fire module, the same pooling and classifier)
    with every width divided by 8."""

    def __init__(self, num_classes=10):
        nn.Module.__init__(self)
        self.num_classes = num_classes
        fire = squeezenet.Fire
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=3, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(8, 2, 8, 8), fire(16, 2, 8, 8),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(16, 4, 16, 16), fire(32, 4, 16, 16),
            nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True),
            fire(32, 6, 24, 24), fire(48, 6, 24, 24), fire(48, 8, 32, 32), fire(64, 8, 32, 32))
        final_conv = nn.Conv2d(64, num_classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=0.0), final_conv, nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                if m is final_conv:
                    nn.init.normal_(m.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(m.weight)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)


class NarrowGoogLeNet(GoogLeNet):
    """torchvision's GoogLeNet (its BasicConv2d and Inception blocks, no auxiliary heads, no
    input transform) with every width divided by 16 (at least 1), He-initialised."""

    def __init__(self, num_classes=10):
        nn.Module.__init__(self)
        self.aux_logits, self.transform_input = False, False
        s = lambda c: max(1, c // 16)  # noqa: E731
        inc = lambda i, a, b, c, d, e, f: Inception(  # noqa: E731
            s(i), s(a), s(b), s(c), s(d), s(e), s(f), conv_block=BasicConv2d)
        self.conv1 = BasicConv2d(3, s(64), kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(s(64), s(64), kernel_size=1)
        self.conv3 = BasicConv2d(s(64), s(192), kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = inc(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = inc(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = inc(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = inc(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = inc(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = inc(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = inc(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = inc(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = inc(832, 384, 192, 384, 48, 128, 128)
        self.aux1 = self.aux2 = None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=0.0)
        self.fc = nn.Linear(s(1024), num_classes)
        # torchvision's trunc_normal(std 0.01) makes the signal vanish at these widths (input
        # gradients near 1e-21, where float32 cancellation leaves no correct digit): He init.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


def _narrow_head(model, features_attr, head_index, channels, classifier):
    """Replaces the wide 1×1 head convolution (1280 channels in MobileNetV2 and MNASNet, kept
    there whatever the width multiplier) by one of `channels`, and the classifier to match."""
    features = getattr(model, features_attr)
    old = features[head_index]
    conv = old[0] if isinstance(old, nn.Sequential) else old
    replacement = copy.deepcopy(old)
    new_conv = nn.Conv2d(conv.in_channels, channels, 1, bias=False)
    nn.init.kaiming_normal_(new_conv.weight, mode="fan_out")
    if isinstance(old, nn.Sequential):
        replacement[0] = new_conv
        replacement[1] = nn.BatchNorm2d(channels)
    else:
        replacement = new_conv
    features[head_index] = replacement
    classifier(model, channels)
    return model


def reduced_mobilenet_v2():
    m = mobilenetv2.MobileNetV2(num_classes=10, width_mult=0.1, round_nearest=4, dropout=0.0)
    def classifier(model, c):
        model.classifier[1] = nn.Linear(c, 10)
    return _narrow_head(m, "features", -1, 32, classifier)


def reduced_mnasnet():
    m = mnasnet.MNASNet(alpha=0.1, num_classes=10, dropout=0.0)
    # layers[14] is the 1×1 convolution to 1280, layers[15] its BatchNorm.
    conv = m.layers[14]
    m.layers[14] = nn.Conv2d(conv.in_channels, 32, 1, bias=False)
    m.layers[15] = nn.BatchNorm2d(32)
    m.classifier[1] = nn.Linear(32, 10)
    return m


def reduced_mobilenet_v3_small():
    setting, last = mobilenetv3._mobilenet_v3_conf("mobilenet_v3_small", width_mult=0.1)
    return mobilenetv3.MobileNetV3(setting, last, num_classes=10, dropout=0.0)


def reduced_efficientnet_b0():
    setting, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.05,
                                                    depth_mult=1.0)
    return efficientnet.EfficientNet(setting, dropout=0.0, stochastic_depth_prob=0.0,
                                     num_classes=10, last_channel=last)


def reduced_regnet_y_400mf():
    params = regnet.BlockParams.from_init_params(depth=16, w_0=8, w_a=2.0, w_m=2.09,
                                                 group_width=4, se_ratio=0.25)
    return regnet.RegNet(params, num_classes=10, stem_width=8)


def full_efficientnet_b0():
    setting, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=1.0,
                                                    depth_mult=1.0)
    return efficientnet.EfficientNet(setting, dropout=0.0, stochastic_depth_prob=0.0,
                                     last_channel=last)


def full_regnet_y_400mf():
    params = regnet.BlockParams.from_init_params(depth=16, w_0=48, w_a=27.89, w_m=2.09,
                                                 group_width=8, se_ratio=0.25)
    return regnet.RegNet(params)


# name -> (seed, reduced constructor and its description, full constructor)
ARCHITECTURES = {
    "resnet18": (10, lambda: NarrowResNet18(), "NarrowResNet18(widths=(4, 8, 16, 24))",
                 lambda: resnet.resnet18(weights=None)),
    "mobilenet_v2": (11, reduced_mobilenet_v2,
                     "MobileNetV2(width_mult=0.1, round_nearest=4, num_classes=10), head 1×1 conv 1280 → 32",
                     lambda: mobilenetv2.mobilenet_v2(weights=None, dropout=0.0)),
    "mobilenet_v3_small": (12, reduced_mobilenet_v3_small,
                           "MobileNetV3(*_mobilenet_v3_conf('mobilenet_v3_small', "
                           "width_mult=0.1), num_classes=10)",
                           lambda: mobilenetv3.mobilenet_v3_small(weights=None, dropout=0.0)),
    "squeezenet1_1": (13, lambda: NarrowSqueezeNet11(), "NarrowSqueezeNet11() (widths / 8)",
                      lambda: squeezenet.squeezenet1_1(weights=None, dropout=0.0)),
    "shufflenet_v2_x0_5": (14, lambda: shufflenetv2.ShuffleNetV2(
        [4, 8, 4], [8, 16, 32, 64, 128], num_classes=10),
        "ShuffleNetV2([4, 8, 4], [8, 16, 32, 64, 128], num_classes=10)",
        lambda: shufflenetv2.shufflenet_v2_x0_5(weights=None)),
    "densenet121": (15, lambda: densenet.DenseNet(growth_rate=2, block_config=(6, 12, 24, 16),
                                                  num_init_features=8, bn_size=2, drop_rate=0,
                                                  num_classes=10),
                    "DenseNet(growth_rate=2, block_config=(6, 12, 24, 16), "
                    "num_init_features=8, bn_size=2, num_classes=10)",
                    lambda: densenet.densenet121(weights=None)),
    "googlenet": (16, lambda: NarrowGoogLeNet(), "NarrowGoogLeNet() (widths / 16, no aux heads)",
                  lambda: GoogLeNet(aux_logits=False, init_weights=True, dropout=0.0)),
    "mnasnet0_5": (17, reduced_mnasnet,
                   "MNASNet(alpha=0.1, num_classes=10), head 1×1 conv 1280 → 32",
                   lambda: mnasnet.mnasnet0_5(weights=None, dropout=0.0)),
    "regnet_y_400mf": (18, reduced_regnet_y_400mf,
                       "RegNet(BlockParams.from_init_params(depth=16, w_0=8, w_a=2, w_m=2.09, "
                       "group_width=4, se_ratio=0.25), stem_width=8, num_classes=10)",
                       full_regnet_y_400mf),
    "efficientnet_b0": (19, reduced_efficientnet_b0,
                        "EfficientNet(*_efficientnet_conf('efficientnet_b0', width_mult=0.05), "
                        "dropout=0, stochastic_depth_prob=0, num_classes=10)",
                        full_efficientnet_b0),
}

MODES = ("eval", "train")


def build(name: str, size: str):
    """The architecture at `size`, seeded, BatchNorms redrawn (see the module doc)."""
    seed, reduced, _, full = ARCHITECTURES[name]
    torch.manual_seed(seed)
    model = reduced() if size == "reduced" else full()
    generator = torch.Generator().manual_seed(seed + 1000)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                c = m.num_features
                m.weight.copy_(0.5 + torch.rand(c, generator=generator))
                m.bias.copy_(0.1 * torch.randn(c, generator=generator))
                m.running_mean.copy_(0.1 * torch.randn(c, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(c, generator=generator))
    return model


def export(model: nn.Module, example: torch.Tensor, mode: str) -> onnx.ModelProto:
    model.train(mode == "train")
    buffer = io.BytesIO()
    training = torch.onnx.TrainingMode.TRAINING if mode == "train" \
        else torch.onnx.TrainingMode.PRESERVE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example,), buffer, export_params=True, opset_version=OPSET,
                          do_constant_folding=False, training=training, input_names=["X"],
                          output_names=["Y"])
    proto = onnx.load_from_string(buffer.getvalue())
    check_model(proto)
    return proto


def run_zoo(out_dir: str, size: str, names=None) -> int:
    os.makedirs(out_dir, exist_ok=True)
    shape = REDUCED_INPUT if size == "reduced" else FULL_INPUT
    for name in names or ARCHITECTURES:
        for mode in MODES:
            case = f"{name}_{mode}"
            try:
                emit(write_case(out_dir, case, name, size, mode, shape))
            except Exception as e:  # noqa: BLE001 - reported per case; the run goes on
                emit({"name": case, "status": "error", "reason": f"{type(e).__name__}: {e}",
                      "model": None, "torch_op": None})
    return 0


def write_case(out_dir, case, name, size, mode, shape) -> dict:
    seed, _, description, _ = ARCHITECTURES[name]
    model = build(name, size)
    torch.manual_seed(seed + 2000)
    x = torch.rand(*shape)
    proto = export(model, x, mode)
    params = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    init_names = [i.name for i in proto.graph.initializer]
    unknown = [n for n in init_names if n not in params and n not in buffers]
    if unknown:
        raise RuntimeError(f"initializers that are neither parameters nor buffers: {unknown[:5]}")
    for init in proto.graph.initializer:
        value = params.get(init.name, buffers.get(init.name))
        if not np.array_equal(onnx.numpy_helper.to_array(init), to_numpy(value)):
            raise RuntimeError(f"initializer {init.name} differs from the model's tensor")
    trained = [k for k, n in enumerate(init_names) if n in params]
    # torch.onnx deduplicates parameters of equal value (in eval mode the zero-initialised
    # biases): one initializer then feeds the others through Identity nodes, and its gradient in
    # the exported graph is the sum of the gradients of every parameter it stands for.
    tied = {init_names[k]: [init_names[k]] for k in trained}
    for node in proto.graph.node:
        if node.op_type == "Identity" and node.input[0] in tied and node.output[0] in params:
            source, alias = node.input[0], node.output[0]
            if not torch.equal(params[source], params[alias]):
                raise RuntimeError(f"{alias} is exported as {source}, but their values differ")
            tied[source].append(alias)
    names = [n for k in trained for n in tied[init_names[k]]]

    def run(m, dtype):
        m = copy.deepcopy(m).to(dtype)
        m.train(mode == "train")
        p = dict(m.named_parameters())
        xi = x.detach().to(dtype).requires_grad_(True)
        y = m(xi)
        go = torch.from_numpy(grad_output_values(y.shape, seed, 0)).to(dtype)
        got = dict(zip(["X"] + names, torch.autograd.grad([y], [xi] + [p[n] for n in names],
                                                          [go])))
        grads = [got["X"]] + [sum(got[n] for n in tied[init_names[k]]) for k in trained]
        return y, go, grads

    y, go, grads = run(model, torch.float32)
    y64, _, grads64 = run(model, torch.float64)
    with native_kernels():
        y_alt, _, grads_alt = run(model, torch.float32)
    case_dir = os.path.join(out_dir, case)
    if os.path.isdir(case_dir):
        shutil.rmtree(case_dir)
    data_dir = os.path.join(case_dir, "test_data_set_0")
    os.makedirs(data_dir)
    onnx.save(proto, os.path.join(case_dir, "model.onnx"))
    save_array(to_numpy(x), "X", os.path.join(data_dir, "input_0.pb"))
    save_array(to_numpy(y), "Y", os.path.join(data_dir, "output_0.pb"))
    save_array(to_numpy(go), "Y_grad", os.path.join(data_dir, "grad_output_0.pb"))
    save_array(to_numpy(grads[0]), "X_grad", os.path.join(data_dir, "grad_input_0.pb"))
    errors = {}
    save_truth(data_dir, "output_0", to_numpy(y), to_numpy(y64), "Y", errors, to_numpy(y_alt))
    save_truth(data_dir, "grad_input_0", to_numpy(grads[0]), to_numpy(grads64[0]), "X_grad",
               errors, to_numpy(grads_alt[0]))
    for k, g, g64, ga in zip(trained, grads[1:], grads64[1:], grads_alt[1:]):
        stem = f"grad_initializer_{k}"
        grad_name = f"{init_names[k]}_grad"
        save_array(to_numpy(g), grad_name, os.path.join(data_dir, f"{stem}.pb"))
        save_truth(data_dir, stem, to_numpy(g), to_numpy(g64), grad_name, errors, to_numpy(ga))
    write_truth_errors(data_dir, errors)
    return {
        "name": case, "status": "ok", "reason": "", "model": "export",
        "torch_op": f"{description if size == 'reduced' else name + ' (torchvision, full size)'}"
                    f", {mode} mode, after torch.manual_seed({seed})",
        "seed": seed, "architecture": name, "mode": mode, "size": size,
        "input_shape": list(shape),
        "op_types": sorted({n.op_type for n in proto.graph.node}),
        "parameters": int(sum(p.numel() for p in params.values())),
        "initializers": init_names, "grad_initializers": trained,
        "tied": {k: v[1:] for k, v in tied.items() if len(v) > 1},
        "output_shapes": [list(y.shape)], "float32_error": errors,
    }
