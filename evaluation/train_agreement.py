"""Build the citation model shipped in src/newsbrief/data/agreement.json.

    python -m evaluation.train_agreement

Training data: the development part of MRPC (``evaluation.paraphrase_mrpc.split``; the
held-out part is never read here). The model is a logistic regression over
``agreement.FEATURES`` (standardised) and word indicators (``agreement.word_terms``: a
stem in both sentences, or in one only) of the stems seen in at least ``MIN_PAIRS``
training pairs, so that a word of one old news season does not get a weight of its own.
The regularisation and the indicators' scale were chosen by 5-fold cross-validation on
the development part (accuracy at precision 0.85 and at 0.5; docs/accuracy.md):

| C | indicator scale | min pairs | accuracy at 0.5 | accuracy at precision 0.85 |
|---|---|---|---|---|
| 1.0 | (no indicators) | - | 0.766 | 0.743 |
| 0.1 | 1.0 | 3 | 0.768 | 0.758 |
| 0.3 | 0.5 | 3 | 0.773 | 0.764 |
| 0.3 | 0.5 | 10 | 0.771 | 0.764 |
| 0.3 | 0.5 | 30 | 0.768 | 0.761 |
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from newsbrief.agreement import FEATURES

__all__ = ["INDICATOR_SCALE", "MIN_PAIRS", "OUT", "C", "fit", "main"]

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/newsbrief/data/agreement.json"
C = 0.3
"""Inverse regularisation strength of the logistic regression (cross-validated)."""
INDICATOR_SCALE = 0.5
"""Value of a word indicator against the standardised dense features (cross-validated)."""
MIN_PAIRS = 10
"""Least number of training pairs a stem must occur in to get a weight."""


def fit(x: np.ndarray, terms: Sequence[Sequence[str]], y: np.ndarray) -> dict[str, Any]:
    """A logistic regression in the JSON form ``agreement.model_from_json`` reads."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    counts: Counter[str] = Counter()
    for ts in terms:
        counts.update({t.split(":", 1)[1] for t in ts})
    kept = sorted({t for ts in terms for t in ts if counts[t.split(":", 1)[1]] >= MIN_PAIRS})
    column = {t: j for j, t in enumerate(kept)}
    rows = [i for i, ts in enumerate(terms) for t in ts if t in column]
    cols = [column[t] for ts in terms for t in ts if t in column]
    words = sp.csr_matrix((np.full(len(rows), INDICATOR_SCALE), (rows, cols)),
                          shape=(len(terms), len(kept)))
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    design = sp.hstack([sp.csr_matrix((x - mean) / scale), words]).tocsr()
    lr = LogisticRegression(C=C, max_iter=5000).fit(design, y)
    coef = lr.coef_[0]
    return {
        "features": list(FEATURES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef[: len(FEATURES)]],
        "words": {t: round(float(w) * INDICATOR_SCALE, 5)
                  for t, w in zip(kept, coef[len(FEATURES):], strict=True)
                  if abs(w) * INDICATOR_SCALE >= 1e-4},
        "intercept": round(float(lr.intercept_[0]), 6),
        "low": [round(float(v), 6) for v in x.min(axis=0)],
        "high": [round(float(v), 6) for v in x.max(axis=0)],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Fit on MRPC's development part and write the model."""
    from evaluation.paraphrase_mrpc import DATA, feature_matrix, load_pairs, split

    p = argparse.ArgumentParser(prog="python -m evaluation.train_agreement",
                                description="Fit data/agreement.json on MRPC's dev part.")
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    pairs = load_pairs(args.data)
    dev, _ = split(pairs)
    chosen = [pairs[i] for i in dev]
    x, terms, _ = feature_matrix(chosen)
    model = fit(x, terms, np.array([q.label for q in chosen]))
    model = {
        "about": "newsbrief citation model: does one sentence say what another says; logistic "
                 "regression fitted by evaluation/train_agreement.py on the development part "
                 f"of MRPC ({len(chosen)} pairs)",
        **model,
    }
    args.out.write_text(json.dumps(model, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(model['words'])} word weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
