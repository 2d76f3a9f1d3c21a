"""Topics: the profile's topics counted over calls, and the most distinctive terms per group.

Distinctive terms: every call is a document of lemmas (function words, numbers and words
shorter than 3 letters left out) weighted by TF-IDF across calls; a group's (department's or
manager's) score for a term is its mean weight over the group's calls minus the mean over all
calls, so terms everyone uses score near zero and a group's own vocabulary comes first.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from callkit import schema
from callkit.speech.text import FUNCTION_WORDS

__all__ = ["topic_summary", "distinctive_terms"]


def topic_summary(topic_hits: pd.DataFrame, *, calls: int) -> pd.DataFrame:
    """Calls and mentions per topic.

    Parameters
    ----------
    topic_hits
        Long table ``call_id, topic, mentions`` (one row per call and topic mentioned).
    calls
        Number of transcribed calls (the denominator of ``share``).

    Returns
    -------
    DataFrame
        ``topic, calls, share, mentions`` sorted by calls, most first.

    Examples
    --------
    >>> h = pd.DataFrame({"call_id": ["a", "a", "b"], "topic": ["price", "delivery", "price"],
    ...                   "mentions": [2, 1, 1]})
    >>> topic_summary(h, calls=4).values.tolist()
    [['price', 2, 0.5, 3], ['delivery', 1, 0.25, 1]]
    """
    cols = ["topic", "calls", "share", "mentions"]
    if topic_hits.empty:
        return pd.DataFrame(columns=cols)
    g = topic_hits.groupby("topic", sort=False).agg(calls=(schema.CALL_ID, "nunique"),
                                                    mentions=("mentions", "sum")).reset_index()
    g["share"] = g["calls"] / calls if calls else float("nan")
    g = g.sort_values(["calls", "mentions"], ascending=False, kind="stable").reset_index(drop=True)
    return g[cols]


def distinctive_terms(docs: pd.Series, groups: pd.Series | pd.DataFrame, *, by: str = "group",
                      top: int = 10, min_df: int = 1) -> pd.DataFrame:
    """The ``top`` most distinctive lemmas of each group (TF-IDF over calls, group mean minus
    overall mean; only over-represented terms are listed).

    Parameters
    ----------
    docs
        Lemma document per call, indexed by ``call_id`` (see ``kind.call_documents``).
    groups
        Group per call (same index), e.g. the employee or the department; NA calls are left
        out. A DataFrame gives several groupings at once (each column is one, named by it).
    by
        Name written in the ``by`` column for a Series ``groups``.
    top
        Terms kept per group.
    min_df
        A term must occur in at least this many calls.

    Returns
    -------
    DataFrame
        ``by, group, term, score, rank`` (rank 1 = most distinctive).

    Examples
    --------
    >>> d = pd.Series(["фильтр цена скидка", "фильтр доставка срок", "фильтр цена"],
    ...               index=["a", "b", "c"])
    >>> g = pd.Series(["Анна", "Павел", "Анна"], index=["a", "b", "c"])
    >>> t = distinctive_terms(d, g, top=1)
    >>> t[["group", "term"]].values.tolist()
    [['Анна', 'цена'], ['Павел', 'доставка']]
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    cols = ["by", "group", "term", "score", "rank"]
    gdf = groups.to_frame(by) if isinstance(groups, pd.Series) else groups
    gdf = gdf.reindex(docs.index).astype("string")
    ok = gdf.notna().any(axis=1).to_numpy()
    if not ok.any():
        return pd.DataFrame(columns=cols)
    d = docs.astype("string").fillna("")[ok]

    def analyzer(doc: str) -> list[str]:
        return [w for w in doc.split() if len(w) >= 3 and w not in FUNCTION_WORDS and not w.isdigit()]

    vec = TfidfVectorizer(analyzer=analyzer, min_df=min_df, sublinear_tf=True)
    try:
        x = vec.fit_transform(d.to_numpy(dtype=object))
    except ValueError:  # empty vocabulary
        return pd.DataFrame(columns=cols)
    terms = vec.get_feature_names_out()
    overall = np.asarray(x.mean(axis=0)).ravel()
    rows = []
    for col in gdf.columns:
        labels = gdf[col][ok].to_numpy(dtype=object)
        present = pd.notna(labels)
        for grp in sorted(set(labels[present])):
            diff = np.asarray(x[labels == grp].mean(axis=0)).ravel() - overall
            order = sorted(np.flatnonzero(diff > 1e-12), key=lambda i: (-diff[i], terms[i]))
            rows += [(col, grp, terms[i], float(diff[i]), r) for r, i in enumerate(order[:top], start=1)]
    return pd.DataFrame(rows, columns=cols)
