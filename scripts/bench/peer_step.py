"""
The PyTorch CPU peer of the base policy's training step (bench suite `peer`): a pre-LN decoder of the same shapes
(rows x (image tokens + text tokens), width, layers, heads, MLP ratio, vocabulary), image tokens from a linear
patch embedding, full attention over the image and causal over the text, cross-entropy on the completion
positions, backward and an Adam update. Prints one JSON line: the mean step time over `repeats` timed steps after
a warm-up, the plain matMul rate at the MLP's shape and whether BLAS looks like the reference one.

  python3 scripts/bench/peer_step.py '{"rows": 32, "image_tokens": 64, "text_tokens": 43, "completion": 40,
      "d": 128, "layers": 4, "heads": 4, "mlp": 4, "vocab": 541, "patch_dim": 192, "threads": 1, "repeats": 3}'
"""
import json
import os
import sys
import time

cfg = json.loads(sys.argv[1])
# torch.set_num_threads sets PyTorch's own pool only: Debian's torch calls OpenBLAS, whose pthread build starts one
# thread per core unless told before it loads. Measured here: a "1-thread" step used both cores (308 ms, matMul
# 190 GFLOP/s) against 421 ms and 90 GFLOP/s with OpenBLAS held to one thread.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(cfg["threads"])

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(cfg["threads"])
torch.manual_seed(1)
rows, n_img, n_txt, d = cfg["rows"], cfg["image_tokens"], cfg["text_tokens"], cfg["d"]
T = n_img + n_txt


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.fc1, self.fc2 = nn.Linear(d, cfg["mlp"] * d), nn.Linear(cfg["mlp"] * d, d)

    def forward(self, x, mask):
        b, t, _ = x.shape
        h = cfg["heads"]
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) / (d // h) ** 0.5
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Peer(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = nn.Linear(cfg["patch_dim"], d)
        self.tok = nn.Embedding(cfg["vocab"], d)
        self.pos = nn.Parameter(torch.zeros(T, d))
        self.blocks = nn.ModuleList([Block() for _ in range(cfg["layers"])])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, cfg["vocab"])

    def forward(self, patches, text, mask):
        x = torch.cat([self.patch(patches), self.tok(text)], 1) + self.pos
        for blk in self.blocks:
            x = blk(x, mask)
        return self.head(self.ln(x[:, -cfg["completion"] - 1 : -1]))


# Image tokens see each other; text tokens see the image and the text before them.
mask = torch.ones(T, T, dtype=torch.bool).tril()
mask[:n_img, :n_img] = True
model = Peer()
opt = torch.optim.Adam(model.parameters(), lr=1e-4)
patches = torch.randn(rows, n_img, cfg["patch_dim"])
text = torch.randint(0, cfg["vocab"], (rows, n_txt))
targets = text[:, -cfg["completion"] :]


def step():
    opt.zero_grad()
    logits = model(patches, text, mask)
    F.cross_entropy(logits.reshape(-1, cfg["vocab"]), targets.reshape(-1)).backward()
    opt.step()


step()
t0 = time.perf_counter()
for _ in range(cfg["repeats"]):
    step()
step_ms = (time.perf_counter() - t0) / cfg["repeats"] * 1000

a, b = torch.randn(rows * T, d), torch.randn(d, cfg["mlp"] * d)
best = float("inf")
for _ in range(6):
    t = time.perf_counter()
    a @ b
    best = min(best, time.perf_counter() - t)
gflops = 2 * rows * T * d * cfg["mlp"] * d / best / 1e9
print(json.dumps({"step_ms": step_ms, "matmul_gflops": gflops, "threads": torch.get_num_threads(), "torch": torch.__version__, "reference_blas": gflops < 20}))
