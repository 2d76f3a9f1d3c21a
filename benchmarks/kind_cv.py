"""Call-kind model choice by cross-validation by file on the development phrasings (issue 14).

Each bundled phrasing file (``callkit/data/kind_*.yaml``, see ``benchmarks/kind_eval/README.md``)
was written at another time, with new vocabulary, several by another hand: leaving one *file*
out, training on the others and scoring it is the closest the development data comes to a
new writer's phrasings. Held-out sets (``benchmarks/kind_eval/test*.yaml``, or a blind set
kept elsewhere) are not read.

For each variant the script prints the accuracy of the call kind over the left-out files
(every dialog as written and in the four recognition-error styles, with and without speaker
labels, pooled), per file, and the worst intent; for the bundled choice also the accuracy per
intent and file. The variants are the steps from the first pass's model to the bundled one:

- ``rules``: the meaning rules alone (their lexicon was built on the first three files, so
  those folds flatter them);
- ``first pass``: TF-IDF over lemmas + concept cues, logistic regression over the 3 kinds,
  combined as in the first pass (the classifier overrules the rules' weighed kind only when
  p >= 0.75) — and the same model deciding wherever the rules have no structural override;
- ``KindModel`` steps: over kinds, over intents, + the purpose turn, + character n-grams (the
  bundled choice), and its neighbours (who-said-what features are measured in the README).

Run: ``python benchmarks/kind_cv.py [--quick]`` (``--quick``: the bundled variant only).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from callkit.profile import profile_from_dict
from callkit.speech.analyze import kind_evidence
from callkit.speech.evaluation import phrasing_utterances
from callkit.speech.kind import (
    BUNDLED_CLIENT,
    BUNDLED_PARAMS,
    BUNDLED_PHRASINGS,
    TRAIN_FORMS,
    CallKindClassifier,
    KindModel,
    bundled_phrasings,
    call_documents,
    combine_kinds,
)
from callkit.speech.synthetic import ASR_STYLES

PROFILE = profile_from_dict({"client": BUNDLED_CLIENT, "slug": "cv"}, check_files=False)


def _forms(ph: pd.DataFrame, styles, seed: int, labelled_too: bool) -> pd.DataFrame:
    """Evidence + labels of every dialog in each style (and unlabelled when asked)."""
    parts = []
    for style in styles:
        for labelled in ((True, False) if labelled_too else (True,)):
            u, lab = phrasing_utterances(ph, style=style, seed=seed, labelled=labelled)
            ev = kind_evidence(u, PROFILE)
            lab = lab.set_index("call_id").reindex(ev.index)
            d = ev.join(lab[["dialog_id", "intent", "kind", "style"]])
            d["labelled"] = labelled
            d["docs"] = call_documents(u).reindex(ev.index).to_numpy()
            parts.append(d)
    return pd.concat(parts)


def _decide(ev: pd.DataFrame, proba: list[dict[str, float]], confident: float) -> np.ndarray:
    return np.array([combine_kinds(k, b, p, n, confident=confident) for k, b, p, n in
                     zip(ev["rule_kind"], ev["basis"], proba, ev["content_words"])])


def run(variants: dict[str, dict], train_all: dict[str, pd.DataFrame],
        test_all: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out: dict[str, list[pd.DataFrame]] = {v: [] for v in variants}
    for f in test_all:
        te = test_all[f]
        for name, spec in variants.items():
            tr = pd.concat([d for g, d in train_all.items() if g != f])
            tr = tr[tr["style"].isin(spec.get("forms", ["clean", *ASR_STYLES]))]
            if spec["model"] == "rules":
                pred = te["rule_kind"].to_numpy()
            elif spec["model"] == "first":
                clf = CallKindClassifier().fit(tr["docs"].to_numpy(), tr["kind"].to_numpy())
                p = clf.predict_proba(pd.Series(te["docs"].to_numpy()))
                pred = _decide(te, p.to_dict("records"), spec["confident"])
            else:
                m = KindModel(**spec["params"]).fit(list(tr["kind_input"]), tr["intent"], tr["kind"])
                p = m.predict_proba(list(te["kind_input"]))
                pred = _decide(te, p.to_dict("records"), spec.get("confident", 0.0))
            r = te[["intent", "kind", "style", "labelled"]].assign(file=f, predicted=pred)
            r["ok"] = r["predicted"] == r["kind"]
            out[name].append(r)
    return {k: pd.concat(v) for k, v in out.items()}


def _line(name: str, r: pd.DataFrame) -> str:
    by_file = r.groupby("file", sort=False)["ok"].mean()
    by_int = r.groupby("intent", sort=False)["ok"].mean()
    return (f"{name:46s} all={r['ok'].mean():.3f} worst intent {by_int.min():.2f} "
            f"({by_int.idxmin()}) | " + " ".join(f"{k}={v:.3f}" for k, v in by_file.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    t0 = time.perf_counter()
    ph = bundled_phrasings()
    files = [n.removeprefix("kind_").removesuffix(".yaml") for n in BUNDLED_PHRASINGS]
    ph["set"] = ph["file"].str.removeprefix("kind_").str.removesuffix(".yaml")
    train_styles = [None, *ASR_STYLES]
    train_all = {f: _forms(ph[ph["set"] == f], train_styles, 1, False) for f in files}
    test_all = {f: _forms(ph[ph["set"] == f], [None, *ASR_STYLES], 0, True) for f in files}
    bundled_forms = [f or "clean" for f in TRAIN_FORMS]
    B = dict(BUNDLED_PARAMS)
    variants = {
        "rules": {"model": "rules"},
        "first pass (kinds, p>=0.75 to overrule)": {"model": "first", "confident": 0.75},
        "first pass model deciding": {"model": "first", "confident": 0.0},
        "KindModel kinds, words only, C=4": {"model": "km", "params": {
            **B, "target": "kind", "char_ngrams": None, "purpose": False, "C": 4.0}},
        "KindModel intents, words only": {"model": "km", "params": {
            **B, "char_ngrams": None, "purpose": False}},
        "KindModel intents, words + purpose turn": {"model": "km", "params": {
            **B, "char_ngrams": None}},
        "bundled: + char 2-4-grams": {"model": "km", "params": B, "forms": bundled_forms},
        "bundled, p>=0.75 to overrule the rules": {"model": "km", "params": B,
                                                   "forms": bundled_forms, "confident": 0.75},
        "bundled, no purpose turn": {"model": "km", "params": {**B, "purpose": False},
                                     "forms": bundled_forms},
        "bundled, char 3-5": {"model": "km", "params": {**B, "char_ngrams": (3, 5)},
                              "forms": bundled_forms},
        "bundled, C=5": {"model": "km", "params": {**B, "C": 5.0}, "forms": bundled_forms},
        "bundled, trained on all 5 forms": {"model": "km", "params": B},
        "bundled, trained as written only": {"model": "km", "params": B, "forms": ["clean"]},
    }
    if a.quick:
        variants = {k: v for k, v in variants.items() if k.startswith("bundled: ")}
    n = sum(d["dialog_id"].nunique() for d in test_all.values())
    print(f"{n} development dialogs in {len(files)} files; each left out in turn, scored in 5 "
          f"forms x with/without labels; training forms as written + {', '.join(ASR_STYLES)} "
          f"unless said ({time.perf_counter() - t0:.0f} s to prepare)")
    res = run(variants, train_all, test_all)
    for name, r in res.items():
        print(_line(name, r), flush=True)
    best = res[[k for k in res if k.startswith("bundled: ")][0]]
    print("\nbundled choice, accuracy per intent (rows) and left-out file (columns):")
    tab = best.pivot_table(index="intent", columns="file", values="ok", aggfunc="mean",
                           sort=False)
    tab["all"] = best.groupby("intent", sort=False)["ok"].mean()
    print(tab.round(2).to_string())
    print(f"\n({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
