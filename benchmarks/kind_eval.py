"""Call-kind accuracy per intent on held-out phrasings (issue 14 item 1).

Scores the call kind of ``analyze_calls`` — the meaning rules alone (``rules``) and the rules
combined with the bundled classifier (``auto``, the default) — on phrasings that were written
apart from the rules' lexicon and the classifier's training data (``benchmarks/kind_eval/``,
see its README for how each set was kept apart and when it was scored blind). Every dialog is
scored as written and in four speech-recognition error styles (dropped endings, merged words,
numbers as digits/words, vowel swaps), with speaker labels and without.

Prints, per held-out file: accuracy per intent for each method, style and labelling, and the
intent x predicted-kind confusion table (clean and all styles pooled, labelled), plus the
leakage check (test turns sharing a 4-lemma run with the training phrasings or the lexicon).

Run: ``python benchmarks/kind_eval.py [FILE.yaml ...] [--navec]`` (default: every
``benchmarks/kind_eval/test*.yaml``; there is none while no blind set is pending — the spent
ones are development data in ``callkit/data/``). A file is in the format of
``callkit/data/kind_test4.yaml``: intent -> ``kind`` and ``dialogs``, each dialog a list of
``"E: …"`` / ``"C: …"`` turns; it is read from anywhere, nothing is copied. ``--navec`` also scores a classifier on averaged navec
word vectors (needs ``pip install natasha``; the vectors ship inside its wheel).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from callkit.profile import profile_from_dict
from callkit.speech import analyze_calls
from callkit.speech.evaluation import kind_scores, overlap, phrasing_utterances, read_phrasings
from callkit.speech.kind import CONCEPTS, bundled_phrasings, default_kind_model
from callkit.speech.synthetic import ASR_STYLES

HERE = Path(__file__).resolve().parent / "kind_eval"
PROFILE = profile_from_dict({"client": "ООО Фильтр-Сервис", "slug": "eval"}, check_files=False)


def _navec_model(train: pd.DataFrame):
    import importlib.util

    import numpy as np
    from navec import Navec
    from sklearn.linear_model import LogisticRegression

    from callkit.speech.text import FUNCTION_WORDS, lemma, tokenize

    t = time.perf_counter()
    spec = importlib.util.find_spec("natasha")
    tar = Path(list(spec.submodule_search_locations)[0]) / "data/emb/navec_news_v1_1B_250K_300d_100q.tar"
    nv = Navec.load(tar)
    print(f"navec: {tar.name} ({tar.stat().st_size / 1e6:.1f} MB) loaded in {time.perf_counter() - t:.1f} s")

    def emb(u: pd.DataFrame) -> pd.DataFrame:
        out = {}
        for cid, g in u.groupby("call_id", sort=False):
            vs = [nv[w] for tok in tokenize(" ".join(g["text"])) for w in (tok, lemma(tok))
                  if lemma(tok) not in FUNCTION_WORDS and w in nv][:400]
            out[cid] = np.mean(vs, axis=0) if vs else np.zeros(300)
        return pd.DataFrame(out).T

    us, labs = zip(*(phrasing_utterances(train, style=s, seed=1) for s in (None, *ASR_STYLES)))
    u, lab = pd.concat(us), pd.concat(labs)
    clf = LogisticRegression(C=3, max_iter=3000).fit(emb(u).loc[lab.call_id].to_numpy(), lab["kind"])
    return lambda u: pd.Series(clf.predict(emb(u).to_numpy()), index=emb(u).index)


def _row(acc: pd.DataFrame) -> str:
    return " ".join(f"{i}={a:.2f}" for i, a in zip(acc["intent"], acc["accuracy"]))


def evaluate(path: Path, navec=None, shared: frozenset = frozenset()) -> None:
    """``shared``: the dialogs with a turn that shares a 5-lemma run with the development data;
    the figures are printed once more without them (what a shared formula could have given)."""
    ph = read_phrasings(path)
    print(f"\n== {path.name}: {ph['dialog_id'].nunique()} dialogs, {ph['intent'].nunique()} intents")
    pooled = {"auto": [], "rules": []}
    for style in (None, *ASR_STYLES):
        for labelled in (True, False):
            u, lab = phrasing_utterances(ph, style=style, labelled=labelled)
            pc = analyze_calls(u, PROFILE).per_call.set_index("call_id")
            preds = {"auto": pc["call_kind"], "rules": pc["call_kind_rules"]}
            if navec is not None:
                preds["navec"] = navec(u)
            for name, pred in preds.items():
                acc, _ = kind_scores(pred, lab)
                tag = f"{style or 'clean':8s} {'labelled' if labelled else 'no labels':9s} {name:5s}"
                print(f"{tag} all={acc.iloc[-1]['accuracy']:.3f} | {_row(acc.iloc[:-1])}")
                if labelled and name in pooled:
                    pooled[name].append((pred, lab))
    for name, parts in pooled.items():
        pred = pd.concat([p for p, _ in parts])
        lab = pd.concat([lb for _, lb in parts], ignore_index=True)
        acc, conf = kind_scores(pred, lab)
        conf.insert(0, "accuracy", acc.set_index("intent")["accuracy"].reindex(conf.index).round(3))
        print(f"\n{name}: all five forms pooled, labelled — accuracy {acc.iloc[-1]['accuracy']:.3f}, "
              f"confusion (rows: intent, columns: predicted kind)")
        print(conf.to_string())
    if shared:
        u, lab = phrasing_utterances(ph, labelled=True)
        pred = analyze_calls(u, PROFILE).per_call.set_index("call_id")["call_kind"]
        apart = ~lab["dialog_id"].isin(list(shared))
        acc, _ = kind_scores(pred, lab[apart])
        print(f"\nauto, as written, labelled, on the {int(apart.sum())} dialogs none of whose turns shares "
              f"a 5-lemma run (the {len(shared)} others left out): all={acc.iloc[-1]['accuracy']:.3f} | "
              f"{_row(acc.iloc[:-1])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--navec", action="store_true")
    a = ap.parse_args()
    files = a.files or sorted(HERE.glob("test*.yaml"))
    if not files:
        ap.error(f"no held-out set in {HERE}: give the YAML file(s) to score")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        ap.error(f"no such file: {', '.join(missing)}")
    train = bundled_phrasings()
    t = time.perf_counter()
    m = default_kind_model()
    meta = getattr(m, "meta_", {})
    print(f"bundled call-kind model ready in {time.perf_counter() - t:.1f} s: fitted on "
          f"{meta.get('dialogs', train['dialog_id'].nunique())} dialogs of "
          f"{', '.join(meta.get('phrasings', []))} in the forms {', '.join(meta.get('forms', []))}")
    lexicon = [p.lstrip("=~") for c in CONCEPTS for p in c.phrases]
    shared = {}
    for f in files:
        test = read_phrasings(f)
        strict = overlap(test, list(train["text"]) + lexicon, n=5, min_words=4)
        loose = overlap(test, list(train["text"]) + lexicon, n=4, min_words=4)
        print(f"leakage {f.name}: {len(strict)} of {len(test)} test turns share a 5-lemma run or "
              f"their whole text (4+ words) with the training phrasings or the lexicon; "
              f"{len(loose)} share a 4-lemma run: "
              + "; ".join(sorted(set(loose["shared"]))))
        shared[f] = frozenset(strict["dialog_id"])
    navec = _navec_model(train) if a.navec else None
    for f in files:
        evaluate(f, navec, shared[f])


if __name__ == "__main__":
    main()
