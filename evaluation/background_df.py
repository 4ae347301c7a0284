"""Build ``src/newsbrief/data/background_df.npz``: document frequencies of news text, the
background against which ``newsbrief.input_stories`` weighs the terms of a brief's input.

A store's TF-IDF knows the document frequencies of everything stored; a brief's input
alone (five articles on one event) would make the words the articles share (Russia,
Syria, strikes) the least weighty, so that grouping splits one story. The background
is the Multi-News train file's articles (featurized as the store featurizes them),
skipping its first ``HELD_OUT`` clusters, which are kept for measuring the grouping.
Only terms in two or more documents are kept (a term in one document weighs as an
unseen one).

    .venv/bin/python -m evaluation.background_df \
        ../shared/data/multinews/train5622-truncated.jsonl.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

import numpy as np

from newsbrief.model import Article
from newsbrief.story_features import DocFreq, Features, featurize_batch

HELD_OUT = 1500
"""Clusters at the start of the file left out of the background (measuring data)."""
OUT = Path(__file__).resolve().parents[1] / "src/newsbrief/data/background_df.npz"


def main() -> None:
    """Featurize the train file's articles and save their document frequencies."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="train5622-truncated.jsonl.gz")
    args = parser.parse_args()
    articles: list[Article] = []
    with gzip.open(args.train, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n < HELD_OUT:
                continue
            record = json.loads(line)
            for k, text in enumerate(record["document"].split("|||||")):
                if text.strip():
                    articles.append(Article(f"a{k}", "train", f"{record['id']}#{k}", text))
    docfreq = DocFreq()
    for start in range(0, len(articles), 2000):
        docfreq.add(f for f in featurize_batch(articles[start : start + 2000])
                    if isinstance(f, Features))
    terms = np.flatnonzero(docfreq.df >= 2).astype(np.int32)
    np.savez_compressed(OUT, terms=terms, df=docfreq.df[terms].astype(np.int32),
                        n_docs=np.asarray(docfreq.n_docs))
    print(f"{OUT}: {docfreq.n_docs} documents, {len(terms)} terms")


if __name__ == "__main__":
    main()
