"""Load tfrazor's safetensors exports into PyTorch and compare logits (run by torch_roundtrip.test.ts).

Usage: python3 torch_roundtrip.py CASES.json. Each case names a subnet.safetensors, a
supernet.safetensors, the subnet graph (tfrazor's FixedNet nodes), an NCHW input and tfrazor's
logits. For each case: build the network from nn.Conv2d / nn.BatchNorm2d / nn.Linear at the
graph's module paths, load_state_dict(strict=True), compare logits; and check that each subnet
tensor is the first channels / kernel centre of the supernet tensor of the same name.
Exit 77 (printing SKIP) where torch is not importable.
"""
import json
import struct
import sys

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as e:  # noqa: BLE001 - any import failure means "no torch here"
    print(f"SKIP: import torch failed ({e.__class__.__name__}: {e})")
    sys.exit(77)

DTYPES = {"F32": torch.float32, "I64": torch.int64}


def load_safetensors(path):
    """The safetensors format read directly (the `safetensors` package is not in Debian)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, h in header.items():
        b, e = h["data_offsets"]
        buf = bytearray(data[8 + n + b : 8 + n + e])
        out[name] = torch.frombuffer(buf, dtype=DTYPES[h["dtype"]]).reshape(h["shape"]).clone()
    return out


class GraphNet(nn.Module):
    def __init__(self, nodes):
        super().__init__()
        self.nodes = nodes
        for n in nodes:
            if n["op"] == "conv2d":
                m = nn.Conv2d(n["in_channels"], n["out_channels"], n["kernel_size"], n["stride"], n["padding"], groups=n.get("groups", 1), bias=False)
            elif n["op"] == "batch_norm":
                m = nn.BatchNorm2d(n["channels"], eps=n["eps"])
            elif n["op"] == "linear":
                m = nn.Linear(n["in_features"], n["out_features"], bias=n["bias"])
            else:
                continue
            self._place(n["name"], m)

    def _place(self, path, module):
        parent = self
        *heads, last = path.split(".")
        for h in heads:
            if not hasattr(parent, h):
                parent.add_module(h, nn.Module())
            parent = getattr(parent, h)
        parent.add_module(last, module)

    def forward(self, x):
        values = {"input": x}
        for n in self.nodes:
            a = values[n["inputs"][0]]
            op = n["op"]
            if op in ("conv2d", "batch_norm", "linear"):
                y = self.get_submodule(n["name"])(a)
            elif op == "relu":
                y = F.relu(a)
            elif op == "relu6":
                y = F.relu6(a)
            elif op == "add":
                y = a + values[n["inputs"][1]]
            elif op == "max_pool":
                y = F.max_pool2d(a, n["size"], n["stride"], n["padding"])
            elif op == "global_avg_pool":
                y = a.mean((2, 3))
            else:
                raise ValueError(f"unknown op {op}")
            values[n["name"]] = y
        return values[self.nodes[-1]["name"]]


def slice_of(sup, shape):
    """The subnet slice of a supernet tensor: first channels, centre of the kernel."""
    if len(shape) == 4:
        off = (sup.shape[2] - shape[2]) // 2
        return sup[: shape[0], : shape[1], off : off + shape[2], off : off + shape[3]]
    return sup[tuple(slice(0, s) for s in shape)]


def main():
    cases = json.load(open(sys.argv[1]))
    worst = 0.0
    for c in cases:
        state = load_safetensors(c["subnet"])
        net = GraphNet(c["nodes"])
        net.load_state_dict(state, strict=True)
        net.eval()
        x = torch.tensor(c["input"], dtype=torch.float32).reshape(c["input_shape"])
        with torch.no_grad():
            got = net(x)
        want = torch.tensor(c["logits"], dtype=torch.float32).reshape(got.shape)
        diff = (got - want).abs().max().item()
        worst = max(worst, diff)
        sup = load_safetensors(c["supernet"])
        for name, t in state.items():
            if name.endswith("num_batches_tracked"):
                continue
            if not torch.equal(slice_of(sup[name], list(t.shape)), t):
                print(f"FAIL {c['name']}: {name} is not the subnet slice of the supernet tensor")
                sys.exit(1)
        print(f"{c['name']}: {len(state)} tensors loaded strictly, max |logit diff| {diff:.2e}")
    print(json.dumps({"max_abs_diff": worst, "cases": len(cases)}))
    sys.exit(0 if worst < 1e-4 else 1)


main()
