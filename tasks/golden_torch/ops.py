"""What each grid node means, computed with PyTorch: one `plan_*` per ONNX operator.

A plan turns a case (op, attributes, input shapes) into a PyTorch forward over the graph inputs,
says whether that forward is a single native PyTorch call (worth exporting with torch.onnx), which
inputs get gradients, and how the call reads (`torch_op`). Points that PyTorch cannot express
faithfully raise `Unsupported` with the reason; nothing is approximated.
"""

import math
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import torch
import torch.nn.functional as F


class Unsupported(Exception):
    """PyTorch cannot express this grid point faithfully (the message says why)."""


@dataclass
class Plan:
    forward: Callable[[List[torch.Tensor]], List[torch.Tensor]]
    torch_op: str
    native: bool  # one native PyTorch call whose export may be the node itself
    grad_inputs: List[int]  # inputs whose gradients are written, autograd through `forward`
    custom_grads: Optional[Callable] = None  # (tensors, grad_outputs) -> {index: gradient}
    notes: List[str] = field(default_factory=list)
    expected_shapes: Optional[List[List[int]]] = None  # ONNX output shapes, checked after forward


class Attrs:
    def __init__(self, case: dict):
        self.values = dict(case.get("attributes", {}))
        self.floats = set(case.get("floatAttributes", []))

    def get(self, name, default=None):
        v = self.values.get(name, default)
        if name in self.floats and v is not None:
            return [float(x) for x in v] if isinstance(v, list) else float(v)
        return v

    def ints(self, name, default):
        v = self.values.get(name)
        return [int(x) for x in v] if v is not None else list(default)


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}
ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _t(v) -> str:
    return "(" + ", ".join(str(x) for x in v) + ("," if len(v) == 1 else "") + ")"


def _torch_pad(begins, ends):
    """ONNX per-axis (begin, end) to F.pad's argument: last axis first."""
    out = []
    for b, e in zip(reversed(begins), reversed(ends)):
        out += [int(b), int(e)]
    return tuple(out)


def _float32(x: float) -> float:
    """The value an ONNX FLOAT attribute actually holds."""
    return float(torch.tensor(x, dtype=torch.float32).item())


def same_pads(in_sizes, strides, effective, mode):
    """ONNX SAME_UPPER / SAME_LOWER for Conv and pooling: output ceil(in / stride), total pad
    (out - 1)·stride + effective kernel - in clamped at 0; the odd extra goes at the end for
    SAME_UPPER and at the start for SAME_LOWER."""
    begins, ends = [], []
    for n, s, e in zip(in_sizes, strides, effective):
        out = -(-n // s)
        total = max(0, (out - 1) * s + e - n)
        small, large = total // 2, total - total // 2
        begins.append(small if mode == "SAME_UPPER" else large)
        ends.append(large if mode == "SAME_UPPER" else small)
    return begins, ends


def pool_out(n, effective, stride, pad_l, pad_r, ceil):
    """PyTorch's pooling_output_shape_pad_lr: with ceil_mode the last window must start inside
    the input or its left padding."""
    out = (n + pad_l + pad_r - effective + (stride - 1 if ceil else 0)) // stride + 1
    if ceil and (out - 1) * stride >= n + pad_l:
        out -= 1
    return out


def _explicit_pads(op, attrs, rank, in_sizes, strides, effective):
    """(begins, ends, auto_pad) from auto_pad / pads for Conv and pooling."""
    auto_pad = attrs.get("auto_pad", "NOTSET")
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        b, e = same_pads(in_sizes, strides, effective, auto_pad)
        return b, e, auto_pad
    if auto_pad == "VALID":
        return [0] * rank, [0] * rank, auto_pad
    if auto_pad != "NOTSET":
        raise Unsupported(f"{op}: unknown auto_pad {auto_pad!r}")
    pads = attrs.ints("pads", [0] * (2 * rank))
    if len(pads) != 2 * rank:
        raise ValueError(f"{op}: pads needs {2 * rank} values, got {pads}")
    if any(p < 0 for p in pads):
        raise Unsupported(f"{op}: negative pads (cropping) are not a PyTorch padding")
    return pads[:rank], pads[rank:], auto_pad


def _window_attrs(op, attrs, rank, kernel_default=None):
    kernel = attrs.ints("kernel_shape", kernel_default or [])
    if len(kernel) != rank:
        raise ValueError(f"{op}: kernel_shape {kernel} does not match spatial rank {rank}")
    strides = attrs.ints("strides", [1] * rank)
    dilations = attrs.ints("dilations", [1] * rank)
    effective = [d * (k - 1) + 1 for k, d in zip(kernel, dilations)]
    return kernel, strides, dilations, effective


# ---------------------------------------------------------------------------------------------
# Convolution


def plan_conv(case, shapes) -> Plan:
    attrs = Attrs(case)
    x_shape, w_shape = shapes[0], shapes[1]
    rank = len(x_shape) - 2
    if rank not in CONV:
        raise Unsupported(f"Conv: PyTorch has conv1d/2d/3d only, got rank {rank}")
    kernel, strides, dilations, eff = _window_attrs("Conv", attrs, rank, w_shape[2:])
    if list(w_shape[2:]) != kernel:
        raise ValueError(f"Conv: kernel_shape {kernel} does not match W {w_shape}")
    groups = int(attrs.get("group", 1))
    begins, ends, auto_pad = _explicit_pads("Conv", attrs, rank, x_shape[2:], strides, eff)
    conv = CONV[rank]
    has_bias = len(shapes) > 2
    out_spatial = [(n + b + e - k) // s + 1
                   for n, b, e, k, s in zip(x_shape[2:], begins, ends, eff, strides)]
    expected = [[x_shape[0], w_shape[0], *out_spatial]]
    common = f"stride={_t(strides)}, dilation={_t(dilations)}, groups={groups}"
    bias = "B" if has_bias else "None"
    # SAME always goes through F.pad: PyTorch refuses padding='same' with stride > 1 (#67551).
    if begins == ends and auto_pad in ("NOTSET", "VALID"):
        def forward(t):
            bias_t = t[2] if has_bias else None
            return [conv(t[0], t[1], bias_t, strides, begins, dilations, groups)]
        op = f"F.conv{rank}d(X, W, {bias}, {common}, padding={_t(begins)})"
        native = True
    else:
        pad = _torch_pad(begins, ends)

        def forward(t):
            xp = F.pad(t[0], pad)
            return [conv(xp, t[1], t[2] if has_bias else None, strides, 0, dilations, groups)]
        op = f"F.conv{rank}d(F.pad(X, {pad}), W, {bias}, {common}, padding=0)"
        native = False
    return Plan(forward, op, native, list(range(len(shapes))), expected_shapes=expected)


def plan_conv_transpose(case, shapes) -> Plan:
    attrs = Attrs(case)
    x_shape, w_shape = shapes[0], shapes[1]
    rank = len(x_shape) - 2
    if rank not in CONV_T:
        raise Unsupported(f"ConvTranspose: PyTorch has 1-3-D only, got rank {rank}")
    kernel, strides, dilations, eff = _window_attrs("ConvTranspose", attrs, rank, w_shape[2:])
    if list(w_shape[2:]) != kernel:
        raise ValueError(f"ConvTranspose: kernel_shape {kernel} does not match W {w_shape}")
    groups = int(attrs.get("group", 1))
    out_pad = attrs.ints("output_padding", [0] * rank)
    auto_pad = attrs.get("auto_pad", "NOTSET")
    has_bias = len(shapes) > 2
    in_sizes = x_shape[2:]
    # Length with no pads: stride·(in - 1) + output_padding + effective kernel.
    full = [s * (n - 1) + op + e for s, n, op, e in zip(strides, in_sizes, out_pad, eff)]
    notes = []
    output_shape = attrs.values.get("output_shape")
    if output_shape is not None:
        output_shape = [int(v) for v in output_shape][-rank:]
        if auto_pad != "NOTSET":
            raise Unsupported("ConvTranspose: output_shape together with auto_pad "
                              f"{auto_pad}: ONNX spec and ONNX Runtime split the pads differently")
        begins, ends = [], []
        for i, (f, o) in enumerate(zip(full, output_shape)):
            total = f - o
            if total >= 0:
                # ONNX spec (and ONNX Runtime 1.30): without auto_pad the odd extra pad goes at
                # the start: pads[start] = total - total // 2, pads[end] = total // 2.
                begins.append(total - total // 2)
                ends.append(total // 2)
                if total % 2:
                    notes.append(f"axis {i}: odd total pad {total} split with the extra at the "
                                 "start (ONNX spec; ONNX Runtime 1.30 agrees)")
            else:
                # Longer than the unpadded output: PyTorch expresses this as extra output_padding
                # (nn.ConvTranspose's output_size argument), zeros + bias at the end.
                extra = out_pad[i] - total
                if extra >= max(strides[i], dilations[i]):
                    raise Unsupported(
                        f"ConvTranspose: output_shape {o} exceeds the unpadded length {f} by "
                        f"{-total}; PyTorch output_padding must stay below stride or dilation")
                out_pad[i] = extra
                full[i] = o
                begins.append(0)
                ends.append(0)
                notes.append(f"axis {i}: output_shape {o} > unpadded {o + total}: output_padding "
                             f"{extra} (PyTorch output_size rule, as ONNX Runtime); ONNX spec "
                             "would give negative pads")
    elif auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        begins, ends = [], []
        for i, (f, n, s) in enumerate(zip(full, in_sizes, strides)):
            total = f - n * s
            if total < 0:
                raise Unsupported(
                    f"ConvTranspose {auto_pad}: total padding {total} < 0 (effective kernel + "
                    "output_padding < stride); the ONNX spec leaves negative SAME pads undefined "
                    "and ONNX Runtime clamps them to 0 (output != in·stride)")
            small, large = total // 2, total - total // 2
            begins.append(small if auto_pad == "SAME_UPPER" else large)
            ends.append(large if auto_pad == "SAME_UPPER" else small)
            if total % 2:
                notes.append(f"axis {i}: odd SAME total pad {total}: extra pad at the "
                             f"{'end' if auto_pad == 'SAME_UPPER' else 'start'} per the ONNX "
                             "spec; ONNX Runtime does the reverse")
    elif auto_pad == "VALID":
        begins, ends = [0] * rank, [0] * rank
    elif auto_pad == "NOTSET":
        pads = attrs.ints("pads", [0] * (2 * rank))
        if any(p < 0 for p in pads):
            raise Unsupported("ConvTranspose: negative pads are not a PyTorch padding")
        begins, ends = pads[:rank], pads[rank:]
    else:
        raise Unsupported(f"ConvTranspose: unknown auto_pad {auto_pad!r}")
    for op, s, d in zip(out_pad, strides, dilations):
        if op >= max(s, d):
            raise Unsupported(f"ConvTranspose: output_padding {op} must be below stride {s} or "
                              f"dilation {d} in PyTorch")
    conv = CONV_T[rank]
    out_spatial = [f - b - e for f, b, e in zip(full, begins, ends)]
    if any(o < 1 for o in out_spatial):
        raise ValueError(f"ConvTranspose: empty output {out_spatial}")
    expected = [[x_shape[0], w_shape[1] * groups, *out_spatial]]
    bias = "B" if has_bias else "None"
    common = f"stride={_t(strides)}, output_padding={_t(out_pad)}, groups={groups}, " \
             f"dilation={_t(dilations)}"
    if begins == ends and auto_pad == "NOTSET" and output_shape is None:
        def forward(t):
            return [conv(t[0], t[1], t[2] if has_bias else None, strides, begins, out_pad, groups,
                         dilations)]
        op = f"F.conv_transpose{rank}d(X, W, {bias}, {common}, padding={_t(begins)})"
        native = True
    else:
        def forward(t):
            y = conv(t[0], t[1], t[2] if has_bias else None, strides, 0, out_pad, groups, dilations)
            index = (slice(None), slice(None)) + tuple(
                slice(b, f - e) for b, f, e in zip(begins, full, ends))
            return [y[index]]
        crop = ", ".join(f"{b}:{f - e}" for b, f, e in zip(begins, full, ends))
        op = f"F.conv_transpose{rank}d(X, W, {bias}, {common}, padding=0)[:, :, {crop}]"
        native = False
    return Plan(forward, op, native, list(range(len(shapes))), notes=notes,
                expected_shapes=expected)


# ---------------------------------------------------------------------------------------------
# Pooling


def _pool_geometry(op, case, x_shape):
    attrs = Attrs(case)
    rank = len(x_shape) - 2
    if rank not in MAX_POOL:
        raise Unsupported(f"{op}: PyTorch pools 1-3-D only, got rank {rank}")
    kernel, strides, dilations, eff = _window_attrs(op, attrs, rank)
    ceil = bool(attrs.get("ceil_mode", 0))
    auto_pad = attrs.get("auto_pad", "NOTSET")
    if auto_pad != "NOTSET" and ceil:
        raise Unsupported(f"{op}: auto_pad {auto_pad} with ceil_mode: the ONNX SAME/VALID output "
                          "size formulas ignore ceil_mode, PyTorch's ceil rule does not")
    begins, ends, auto_pad = _explicit_pads(op, attrs, rank, x_shape[2:], strides, eff)
    out = [pool_out(n, e, s, b, p, ceil)
           for n, e, s, b, p in zip(x_shape[2:], eff, strides, begins, ends)]
    # PyTorch's own padding: symmetric and at most half the kernel (size, not effective size).
    native = (auto_pad in ("NOTSET", "VALID") and begins == ends
              and all(b <= k // 2 for b, k in zip(begins, kernel)))
    if not native and ceil:
        # F.pad then ceil-pool uses in + pads instead of in + left pad in the shrink rule; the
        # construction is exact only when both rules give the same output size.
        padded = [pool_out(n + b + p, e, s, 0, 0, True)
                  for n, e, s, b, p in zip(x_shape[2:], eff, strides, begins, ends)]
        if padded != out:
            why = "asymmetric pads" if begins != ends else "pads above half the kernel"
            raise Unsupported(
                f"{op}: ceil_mode with {why}: PyTorch's ceil rule depends on the left pad "
                f"(output {out}); padding first would give {padded}")
    return rank, kernel, strides, dilations, begins, ends, ceil, native, out


def plan_max_pool(case, shapes) -> Plan:
    x_shape = shapes[0]
    rank, kernel, strides, dilations, begins, ends, ceil, native, out = _pool_geometry(
        "MaxPool", case, x_shape)
    if int(case.get("attributes", {}).get("storage_order", 0)) != 0:
        raise Unsupported("MaxPool: storage_order only affects Indices, which is not produced")
    pool = MAX_POOL[rank]
    expected = [[*x_shape[:2], *out]]
    common = f"kernel_size={_t(kernel)}, stride={_t(strides)}, dilation={_t(dilations)}, " \
             f"ceil_mode={ceil}"
    if native:
        def forward(t):
            return [pool(t[0], kernel, strides, begins, dilations, ceil)]
        op = f"F.max_pool{rank}d(X, {common}, padding={_t(begins)})"
    else:
        pad = _torch_pad(begins, ends)

        def forward(t):
            y = pool(F.pad(t[0], pad, value=-math.inf), kernel, strides, 0, dilations, ceil)
            if torch.isneginf(y).any() and not torch.isneginf(t[0]).any():
                raise RuntimeError("MaxPool construction: a window saw only padding")
            return [y]
        op = f"F.max_pool{rank}d(F.pad(X, {pad}, value=-inf), {common}, padding=0)"
    return Plan(forward, op, native, [0], expected_shapes=expected)


def sum_pool(x, kernel, strides, ceil):
    """Window sums over an already padded input (divisor 1), ceil overhang clipped."""
    if x.dim() == 3:
        y = F.avg_pool2d(x.unsqueeze(2), (1, *kernel), (1, *strides), 0, ceil, True, 1)
        return y.squeeze(2)
    pool = F.avg_pool2d if x.dim() == 4 else F.avg_pool3d
    return pool(x, kernel, strides, 0, ceil, True, 1)


def avg_pool_padded(x, kernel, strides, begins, ends, ceil, count_include_pad):
    """ONNX AveragePool by construction: window sums over the zero-padded input divided by the
    window sums of a mask that is 1 on the input (count_include_pad 0) or on input and pads
    (count_include_pad 1). The ceil overhang lies outside the padded tensor, so it never counts."""
    pad = _torch_pad(begins, ends)
    sums = sum_pool(F.pad(x, pad), kernel, strides, ceil)
    ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype)
    mask = F.pad(ones, pad, value=1.0 if count_include_pad else 0.0)
    return sums / sum_pool(mask, kernel, strides, ceil)


def plan_avg_pool(case, shapes) -> Plan:
    x_shape = shapes[0]
    attrs = Attrs(case)
    rank, kernel, strides, dilations, begins, ends, ceil, native, out = _pool_geometry(
        "AveragePool", case, x_shape)
    if dilations != [1] * rank:
        raise Unsupported("AveragePool: PyTorch avg_pool has no dilation")
    cip = bool(attrs.get("count_include_pad", 0))
    pool = AVG_POOL[rank]
    expected = [[*x_shape[:2], *out]]
    if native:
        def forward(t):
            return [pool(t[0], kernel, strides, begins, ceil, cip)]
        op = f"F.avg_pool{rank}d(X, kernel_size={_t(kernel)}, stride={_t(strides)}, " \
             f"padding={_t(begins)}, ceil_mode={ceil}, count_include_pad={cip})"
    else:
        def forward(t):
            return [avg_pool_padded(t[0], kernel, strides, begins, ends, ceil, cip)]
        pad = _torch_pad(begins, ends)
        op = (f"sum_pool(F.pad(X, {pad})) / sum_pool(F.pad(ones, {pad}, value={int(cip)})) "
              f"with sum_pool = F.avg_pool(kernel_size={_t(kernel)}, stride={_t(strides)}, "
              f"ceil_mode={ceil}, divisor_override=1)")
    return Plan(forward, op, native, [0], expected_shapes=expected)


def plan_global_pool(case, shapes) -> Plan:
    x_shape = shapes[0]
    rank = len(x_shape) - 2
    if rank not in ADAPTIVE_AVG:
        raise Unsupported(f"{case['op']}: rank {rank}")
    expected = [[*x_shape[:2], *([1] * rank)]]
    if case["op"] == "GlobalAveragePool":
        pool = ADAPTIVE_AVG[rank]
        return Plan(lambda t: [pool(t[0], 1)], f"F.adaptive_avg_pool{rank}d(X, 1)", True, [0],
                    expected_shapes=expected)
    pool = ADAPTIVE_MAX[rank]
    # adaptive max pool keeps the first maximum (its gradient goes there); amax would split ties.
    return Plan(lambda t: [pool(t[0], 1)], f"F.adaptive_max_pool{rank}d(X, 1)", True, [0],
                notes=["gradient to the first maximum (adaptive_max_pool), not amax's tie split"],
                expected_shapes=expected)


# ---------------------------------------------------------------------------------------------
# Dense, activations, softmax


def plan_gemm(case, shapes) -> Plan:
    attrs = Attrs(case)
    alpha = _float32(attrs.get("alpha", 1.0))
    beta = _float32(attrs.get("beta", 1.0))
    trans_a, trans_b = int(attrs.get("transA", 0)), int(attrs.get("transB", 0))
    has_c = len(shapes) > 2
    grads = list(range(len(shapes)))
    if alpha == 1.0 and beta == 1.0 and trans_a == 0 and trans_b == 1 and \
            (not has_c or len(shapes[2]) == 1):
        return Plan(lambda t: [F.linear(t[0], t[1], t[2] if has_c else None)],
                    f"F.linear(A, B{', C' if has_c else ''})", True, grads)

    def forward(t):
        a = t[0].t() if trans_a else t[0]
        b = t[1].t() if trans_b else t[1]
        if has_c:
            return [torch.addmm(t[2], a, b, beta=beta, alpha=alpha)]
        return [alpha * (a @ b)]
    return Plan(forward, f"torch.addmm(C, A', B', beta={beta}, alpha={alpha})", False, grads)


def plan_elementwise(case, shapes) -> Plan:
    op = case["op"]
    attrs = Attrs(case)
    if op == "Relu":
        return Plan(lambda t: [F.relu(t[0])], "F.relu(X)", True, [0])
    if op == "LeakyRelu":
        alpha = _float32(attrs.get("alpha", 0.01))
        return Plan(lambda t: [F.leaky_relu(t[0], alpha)], f"F.leaky_relu(X, {alpha!r})", True,
                    [0])
    if op == "Sigmoid":
        return Plan(lambda t: [torch.sigmoid(t[0])], "torch.sigmoid(X)", True, [0])
    if op == "Tanh":
        return Plan(lambda t: [torch.tanh(t[0])], "torch.tanh(X)", True, [0])
    axis = int(attrs.get("axis", -1))
    rank = len(shapes[0])
    if not -rank <= axis < rank:
        raise ValueError(f"{op}: axis {axis} out of range for rank {rank}")
    if op == "Softmax":
        return Plan(lambda t: [F.softmax(t[0], dim=axis)], f"F.softmax(X, dim={axis})", True, [0])
    return Plan(lambda t: [F.log_softmax(t[0], dim=axis)], f"F.log_softmax(X, dim={axis})", True,
                [0])


# ---------------------------------------------------------------------------------------------
# Losses and batch normalization


def plan_loss(case, shapes, labels) -> Plan:
    op = case["op"]
    attrs = Attrs(case)
    reduction = attrs.get("reduction", "mean")
    if reduction not in ("mean", "sum", "none"):
        raise Unsupported(f"{op}: reduction {reduction!r}")
    ignore = attrs.get("ignore_index")
    if ignore is None:
        if labels is not None and bool((labels == -100).any()):
            raise Unsupported(f"{op}: labels contain -100, which PyTorch always ignores while "
                              "the node has no ignore_index")
        ignore_arg, ignore_text = -100, ""
    else:
        ignore_arg, ignore_text = int(ignore), f", ignore_index={int(ignore)}"
    has_w = len(shapes) > 2
    fn = F.cross_entropy if op == "SoftmaxCrossEntropyLoss" else F.nll_loss
    name = "F.cross_entropy" if op == "SoftmaxCrossEntropyLoss" else "F.nll_loss"

    def forward(t):
        return [fn(t[0], t[1], weight=t[2] if has_w else None, ignore_index=ignore_arg,
                   reduction=reduction)]
    notes = ["gradient for X only: PyTorch's nll_loss is not differentiable in weight"] \
        if has_w else []
    return Plan(forward, f"{name}(X, T{', weight=W' if has_w else ''}{ignore_text}, "
                f"reduction={reduction!r})", True, [0], notes=notes)


def plan_batch_norm(case, shapes) -> Plan:
    attrs = Attrs(case)
    eps = _float32(attrs.get("epsilon", 1e-5))
    if int(attrs.get("training_mode", 0)) != 0:
        m = _float32(attrs.get("momentum", 0.9))  # ONNX momentum = 1 - PyTorch's
        dims = [0] + list(range(2, len(shapes[0])))

        def train_forward(t):
            y = F.batch_norm(t[0], t[3].detach().clone(), t[4].detach().clone(), t[1], t[2], True,
                             1.0 - m, eps)
            # The running outputs as functions of X and the inputs (autograd gives their share of
            # the gradients): running_mean is PyTorch's buffer update; running_var is the ONNX
            # spec's, with the biased batch variance (PyTorch's buffer takes the unbiased one).
            mean = t[0].mean(dim=dims)
            var = t[0].var(dim=dims, unbiased=False)
            return [y, m * t[3] + (1.0 - m) * mean, m * t[4] + (1.0 - m) * var]
        return Plan(train_forward, f"F.batch_norm(X, ..., training=True, momentum={1.0 - m!r}, "
                    f"eps={eps!r}); running_mean = {m!r}·input_mean + (1 - {m!r})·mean(X), "
                    f"running_var = {m!r}·input_var + (1 - {m!r})·var(X, unbiased=False)",
                    False, [0, 1, 2, 3, 4],
                    notes=["running_var by the ONNX spec (biased batch variance); PyTorch's "
                           "BatchNorm buffer uses the unbiased variance"])
    c = shapes[0][1]
    view = [1, c] + [1] * (len(shapes[0]) - 2)

    def forward(t):
        # running_mean / running_var are not differentiable in F.batch_norm: pass them detached.
        # momentum 0.1 exports as ONNX momentum 0.9 (the default); it has no effect in eval.
        return [F.batch_norm(t[0], t[3].detach(), t[4].detach(), t[1], t[2], False, 0.1, eps)]

    def custom_grads(t, grad_outputs):
        mean = t[3].detach().clone().requires_grad_(True)
        var = t[4].detach().clone().requires_grad_(True)
        y = (t[0].detach() - mean.view(view)) / torch.sqrt(var.view(view) + eps) \
            * t[1].detach().view(view) + t[2].detach().view(view)
        g_mean, g_var = torch.autograd.grad([y], [mean, var], grad_outputs)
        return {3: g_mean, 4: g_var}
    return Plan(forward, f"F.batch_norm(X, input_mean, input_var, scale, B, training=False, "
                f"eps={eps!r})", True, [0, 1, 2], custom_grads=custom_grads,
                notes=["input_mean/input_var gradients: autograd of (X - mean) / sqrt(var + eps)"
                       " * scale + B (F.batch_norm is not differentiable in running stats)"])


# ---------------------------------------------------------------------------------------------
# The other CNN operators: Clip (ReLU6), the hard activations, reductions, Gather, Split, Expand


def _input_index(case, name):
    names = [spec["name"] for spec in case.get("inputs", [])]
    return names.index(name) if name in names else None


def plan_clip(case, shapes) -> Plan:
    lo_at, hi_at = _input_index(case, "min"), _input_index(case, "max")

    def bounds(t):
        lo = float(t[lo_at].item()) if lo_at is not None else -math.inf
        hi = float(t[hi_at].item()) if hi_at is not None else math.inf
        return lo, hi

    def forward(t):
        lo, hi = bounds(t)
        if lo > hi:
            # Crossed bounds give max everywhere; clamp's x-gradient is then 0, as hardtanh's
            # rule gives (hardtanh itself is not defined there).
            return [torch.clamp(t[0], lo, hi)]
        return [F.hardtanh(t[0], lo, hi)]
    return Plan(forward, "F.hardtanh(X, min, max) (torch.clamp(X, min, max) when min > max)",
                False, [0],
                notes=["Clip differentiated as F.hardtanh / F.relu6 (what torch.onnx exports as "
                       "Clip): gradient blocked at the bounds; the bounds' own gradients come "
                       "from the ONNX Runtime adjoint only (hardtanh's bounds are numbers)"])


def plan_hard_activation(case, shapes) -> Plan:
    attrs = Attrs(case)
    if case["op"] == "HardSwish":
        return Plan(lambda t: [F.hardswish(t[0])], "F.hardswish(X)", True, [0])
    alpha = _float32(attrs.get("alpha", 0.2))
    beta = _float32(attrs.get("beta", 0.5))
    if alpha == _float32(1 / 6) and beta == 0.5:
        return Plan(lambda t: [F.hardsigmoid(t[0])], "F.hardsigmoid(X)", True, [0])
    # hardtanh's gradient is 0 at the kinks, like hardsigmoid_backward's.
    return Plan(lambda t: [F.hardtanh(alpha * t[0] + beta, 0.0, 1.0)],
                f"F.hardtanh({alpha!r}·X + {beta!r}, 0, 1)", False, [0])


def plan_reduce(case, shapes, labels) -> Plan:
    attrs = Attrs(case)
    rank = len(shapes[0])
    keep = bool(int(attrs.get("keepdims", 1)))
    if case["op"] == "ReduceSum":
        given = [int(v) for v in labels.reshape(-1)] if labels is not None else []
    else:
        given = attrs.ints("axes", [])
    if not given and int(attrs.get("noop_with_empty_axes", 0)) == 1:
        return Plan(lambda t: [t[0].clone()], "X (noop_with_empty_axes, no axes)", False, [0])
    dims = tuple(a % rank for a in given) if given else tuple(range(rank))
    fn = torch.sum if case["op"] == "ReduceSum" else torch.mean
    name = "torch.sum" if case["op"] == "ReduceSum" else "torch.mean"
    return Plan(lambda t: [fn(t[0], dim=dims, keepdim=keep)],
                f"{name}(X, dim={dims}, keepdim={keep})", False, [0])


def plan_gather(case, shapes, labels) -> Plan:
    attrs = Attrs(case)
    xs = shapes[0]
    axis = int(attrs.get("axis", 0)) % len(xs)
    size = xs[axis]

    def forward(t):
        idx = t[1]
        flat = torch.where(idx < 0, idx + size, idx).reshape(-1)
        y = torch.index_select(t[0], axis, flat)
        return [y.reshape(list(xs[:axis]) + list(idx.shape) + list(xs[axis + 1:]))]
    return Plan(forward, f"torch.index_select(X, {axis}, indices mod {size}) reshaped", False,
                [0])


def plan_split(case, shapes, labels) -> Plan:
    attrs = Attrs(case)
    xs = shapes[0]
    axis = int(attrs.get("axis", 0)) % len(xs)
    outputs = int(case.get("outputs", 1))
    if labels is not None:
        sizes = [int(v) for v in labels.reshape(-1)]
    else:
        if xs[axis] % outputs:
            raise ValueError(f"Split: axis {axis} of {xs} does not split into {outputs} parts")
        sizes = [xs[axis] // outputs] * outputs
    return Plan(lambda t: list(torch.split(t[0], sizes, dim=axis)),
                f"torch.split(X, {sizes}, dim={axis})", False, [0])


def plan_expand(case, shapes, labels) -> Plan:
    target = tuple(torch.broadcast_shapes(tuple(shapes[0]), tuple(int(v) for v in labels)))
    return Plan(lambda t: [t[0].expand(target).clone()], f"X.expand({target})", False, [0])


def make_plan(case: dict, shapes: List[List[int]], labels=None) -> Plan:
    op = case["op"]
    if op == "Conv":
        return plan_conv(case, shapes)
    if op == "ConvTranspose":
        return plan_conv_transpose(case, shapes)
    if op == "MaxPool":
        return plan_max_pool(case, shapes)
    if op == "AveragePool":
        return plan_avg_pool(case, shapes)
    if op in ("GlobalAveragePool", "GlobalMaxPool"):
        return plan_global_pool(case, shapes)
    if op == "Gemm":
        return plan_gemm(case, shapes)
    if op in ("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"):
        return plan_elementwise(case, shapes)
    if op in ("SoftmaxCrossEntropyLoss", "NegativeLogLikelihoodLoss"):
        return plan_loss(case, shapes, labels)
    if op == "BatchNormalization":
        return plan_batch_norm(case, shapes)
    if op == "Clip":
        return plan_clip(case, shapes)
    if op in ("HardSigmoid", "HardSwish"):
        return plan_hard_activation(case, shapes)
    if op in ("ReduceSum", "ReduceMean"):
        return plan_reduce(case, shapes, labels)
    if op == "Gather":
        return plan_gather(case, shapes, labels)
    if op == "Split":
        return plan_split(case, shapes, labels)
    if op == "Expand":
        return plan_expand(case, shapes, labels)
    raise Unsupported(f"no PyTorch mapping for ONNX op {op}")
