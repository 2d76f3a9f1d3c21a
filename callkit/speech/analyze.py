"""The speech audit of a set of calls: :func:`analyze_calls` -> :class:`SpeechResult`.

One pass over the utterances builds, per call, the token/lemma sequence with speaker and time
of every word, finds all profile phrases at once (:class:`~callkit.speech.match.PhraseMatcher`),
counts stop words and profanity, and derives the call kind, result, script score, topics and
dialog metrics. Outputs follow DESIGN §5 (``speech.csv``, ``checklist.csv``).

Per-call columns (``SpeechResult.per_call``):

- ``call_kind`` negotiation / navigation / unknown (``call_kind_rules``: the meaning rules'
  answer, :func:`callkit.speech.kind.kind_from_concepts`; ``kind_concepts`` the concepts found,
  ``navigation_cues`` / ``negotiation_cues`` how many distinct ones point each way);
- ``call_result`` a key of the profile's ``call_results`` (most valuable said) or ``none``;
- ``script_score`` share of script stages the employee said (0..1; ``stages_hit`` of
  ``stages_total``), ``questions_hit`` of ``questions_total`` mandatory questions;
- ``profanity`` profane words said by the employee, ``profanity_mat`` those that are мат,
  ``profanity_words`` masked; ``client_profanity`` the client's;
- ``stop_words`` stop phrases said by the employee (``stop_word_list``), ``client_stop_words``;
- ``competitor_mentions`` by the employee, ``client_mentions_competitor`` by the client;
  ``topics`` the profile topics mentioned;
- who said it: ``speaker_labels`` is ``labelled`` (every utterance has employee/client),
  ``partial`` or ``none``. Everything that judges the employee counts only the employee's
  utterances; words of an utterance without a speaker go to ``unattributed_*`` and count
  against nobody. With no labels at all (``none``) the employee's and the client's counts,
  ``script_score``, ``stages_hit``, ``questions_hit``, ``advantages_hit`` and
  ``materials_hit`` are NA (unknown — not zero, not a violation) and the employee-only
  checklist items of the call are not listed; ``call_result_by`` says who said the result;
- ``decision_makers_hit`` of ``decision_makers_total`` roles whose cues were said (either side),
  ``advantages_hit`` of ``advantages_total`` advantages and ``materials_hit`` of
  ``materials_total`` materials the employee named (the brief's issue-6 keys; totals are 0
  when the profile has none);
- ``words``, ``unknown_word_share`` (Cyrillic words the dictionary does not know — a
  recognition-quality signal); dialog metrics as in :mod:`callkit.speech.dialog`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from callkit import schema
from callkit.errors import InputError
from callkit.profile import Profile
from callkit.speech.checklist import (
    ADVANTAGE,
    BRIEF_KINDS,
    CHECKLIST_COLUMNS,
    COMPETITOR,
    DECISION_MAKER,
    MATERIAL,
    QUESTION,
    RESULT,
    STAGE,
    checklist_items,
    compliance,
)
from callkit.speech.dialog import DIALOG_COLUMNS, dialog_metrics
from callkit.speech.kind import (
    CONCEPTS,
    NAVIGATION,
    NEGOTIATION,
    SMALL_TALK,
    CallKindClassifier,
    KindInput,
    combine_kinds,
    default_kind_model,
    rule_decision,
)
from callkit.speech.load import (
    CLIENT_SPEAKER,
    EMPLOYEE_SPEAKER,
    SPEAKER,
    TEXT,
    UNKNOWN_SPEAKER,
    UTT_END,
    UTT_START,
)
from callkit.speech.match import PhraseMatcher
from callkit.speech.profanity import MAT, mask_word, profanity_kind
from callkit.speech.result import NONE, pick_result
from callkit.speech.text import FUNCTION_WORDS, is_known_word, lemma, split_merged, tokenize
from callkit.speech.topics import distinctive_terms, topic_summary
from callkit.speech.verdict import SpeechVerdict, speech_verdict

__all__ = ["SpeechResult", "analyze_calls", "kind_evidence", "kind_inputs", "PER_CALL_COLUMNS", "SPEECH_CSV_COLUMNS",
           "SPEECH_FILE_COLUMNS", "SPEAKER_COLUMNS", "LABELLED", "PARTIAL", "UNLABELLED"]

LABELLED, PARTIAL, UNLABELLED = "labelled", "partial", "none"

#: DESIGN §5 speech.csv columns, in order; ``per_call`` starts with them.
SPEECH_CSV_COLUMNS: tuple[str, ...] = (
    schema.CALL_ID, schema.EMPLOYEE, "call_kind", "call_result", "script_score", "profanity",
    "stop_words", "talk_ratio",
)
#: Who-said-it columns written to speech.csv after the DESIGN ones: ``speaker_labels``
#: (``labelled`` / ``partial`` / ``none``), the employee's competitor mentions, then what the
#: client said and what was said by an unlabelled speaker (counted against nobody).
SPEAKER_COLUMNS: tuple[str, ...] = (
    "speaker_labels", "competitor_mentions", "client_mentions_competitor", "client_profanity",
    "client_stop_words", "unattributed_competitor_mentions", "unattributed_profanity",
    "unattributed_stop_words", "call_result_by",
)
SPEECH_FILE_COLUMNS: tuple[str, ...] = SPEECH_CSV_COLUMNS + SPEAKER_COLUMNS
PER_CALL_COLUMNS: tuple[str, ...] = SPEECH_FILE_COLUMNS + (
    schema.DEPARTMENT, "stages_hit", "stages_total", "questions_hit", "questions_total",
    "decision_makers_hit", "decision_makers_total", "advantages_hit",
    "advantages_total", "materials_hit", "materials_total", "profanity_mat", "profanity_words",
    "stop_word_list", "topics", "words", "unknown_word_share", "navigation_cues",
    "negotiation_cues", "kind_concepts", "content_words", "call_kind_rules",
) + tuple(c for c in DIALOG_COLUMNS if c != "talk_ratio")

_STOP, _TOPIC, _KIND = "stop_word", "topic", "kind"
_BARE_NO_CONCEPT, _BARE_NO = "bare_no", frozenset({"нет", "не", "неа", "нету"})
_BARE_NO_WORDS = _BARE_NO | {"девушка", "мужчина", "женщина", "молодой", "человек"}
#: ... and the caller's bare "ой" after it: he sees he dialled wrong (an apology)
_OOPS = frozenset({"ой", "упс", "ай"})
#: "алло это аэроклимат" - "да": a bare yes to the caller's "is this …?" (concept "confirmed")
_CONFIRMED, _YES = "confirmed", frozenset({"да", "ага", "угу", "верно", "точно", "конечно",
                                           "именно"})
_YES_WORDS = _YES | {"так", "совершенно", "правильно", "слушать", "мы", "это", "она", "он", "вы",
                     "сюда"}
#: ... and to "is anyone there?" ("вы там есть кто" — "да есть", "есть я")
_HERE = frozenset({"есть", "я", "тут", "здесь", "на", "место", "слушать"})
#: the verbs such a check may say ("я туда попал", "есть кто")
_CHECK_VERBS = frozenset({"попасть", "быть", "есть", "слушать", "дозвониться"})
#: words that name nothing (what follows "это" must name something: "это аэроклимат")
_PLAIN = FUNCTION_WORDS | SMALL_TALK
#: what a caller who only checked may say after the yes ("понял, потом наберу")
_LATER = frozenset({"набрать", "понять", "отлично", "попозже", "тогда", "обратиться", "все",
                    "связаться", "значит", "ладный"})
#: goods just received or shipped ("плитку мы получили, пришлите акт"; concept "received",
#: found from the words): a past form of these verbs whose object is no document ("получили
#: ваши документы" is the documents, not the goods)
_RECEIVED, _RECEIVED_FORMS = "received", ("получил", "получен", "отгрузил", "доставил", "привезл",
                                               "забрал")
_DOC_WORDS = frozenset({"документ", "упд", "акт", "накладная", "накладный", "счет", "оригинал",
                        "скан", "копия", "письмо", "реквизит", "договор", "экземпляр", "фактура",
                        "карточка", "платежка", "деньга", "оплата", "предоплата"})
_RECEIVED_SKIP = frozenset({"мы", "уже", "вчера", "сегодня", "ваш", "все", "вы", "от", "вас",
                            "наш", "только", "я", "они", "не", "эти", "этот", "тот"})
#: an invoice phrase sharing its "счёт" with a bank account's ("рублевый счет я пришлю") is no
#: invoice: the word is the account
_ACCOUNT_TERM = "счет"
#: call-kind concepts whose words are no content: a recording (voicemail, IVR), "I can't talk"
_RECORDING = frozenset({"voicemail", "ivr", "busy", "pocket"})
#: ... of which an IVR's: its whole turn is no content (a menu naming departments; voicemail
#: phrases are said by people too: "вы неправильно набрали номер")
_WHOLE_TURN = frozenset({"ivr"})
#: ... and a pocket dial's or a caller's talking to someone else ("ой это я не вам"), in any turn
_POCKET = "pocket"
#: content words the other side must say after the employee's opening turn for what that turn
#: names to count ("та щас ну" after "электрика оптом" is no answer)
_MIN_ANSWER = 2
#: the verbs of a self-introduction (the employee's opening turn)
_INTRO_VERBS = frozenset({"беспокоить", "звать", "слушать", "приветствовать", "здравствовать"})
_COUNT_COLUMNS = ("profanity", "stop_words", "competitor_mentions", "client_mentions_competitor",
                  "client_profanity", "client_stop_words", "unattributed_competitor_mentions",
                  "unattributed_profanity", "unattributed_stop_words", "stages_hit",
                  "questions_hit", "advantages_hit", "materials_hit", "profanity_mat")
_SNIPPET_WORDS = 4
_KIND_OPENING = 150   # words of a call the call-kind model reads
#: profile-independent: the model's cues (an IVR greeting is none: a person may follow it)
_CONCEPT_NAMES = frozenset(c.name for c in CONCEPTS) - {"ivr"}


@dataclass
class SpeechResult:
    """Everything the speech audit found.

    Attributes
    ----------
    per_call
        One row per transcribed call, :data:`PER_CALL_COLUMNS` (first the speech.csv ones).
    checklist
        Long: ``call_id, kind, item, hit, at_s, snippet, speaker`` — every checklist item of
        every call, hit or miss; ``at_s`` seconds from the call start; snippets masked.
    by_manager
        One row per employee: calls, negotiation calls, mean script score and the hit rate of
        every stage / question (``stage:<name>``, ``question:<text>``), result rate, calls with
        profanity, stop words per call, mean talk ratio; when the profile has them,
        ``decision_maker_rate`` (negotiations where any decision-maker cue was said),
        ``advantage_rate`` (mean share of the advantages the employee named),
        ``material_rate`` (negotiations where the employee used any material) and per item
        ``decision_maker:<role>``, ``advantage:<name>``, ``material:<name>``.
    compliance
        Long hit rates per employee, department and overall (see ``checklist.compliance``).
    topics
        ``topic, calls, share, mentions`` for the profile's topics.
    topic_hits
        Long ``call_id, topic, mentions``.
    terms
        Most distinctive terms per department and per employee (``by, group, term, score, rank``).
    profanity
        One row per profane word: ``call_id, speaker, at_s, word`` (masked), ``kind``.
    verdict
        Does speech analytics pay off (:class:`~callkit.speech.verdict.SpeechVerdict`).
    """

    per_call: pd.DataFrame
    checklist: pd.DataFrame
    by_manager: pd.DataFrame
    compliance: pd.DataFrame
    topics: pd.DataFrame
    topic_hits: pd.DataFrame
    terms: pd.DataFrame
    profanity: pd.DataFrame
    verdict: SpeechVerdict
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def speech(self) -> pd.DataFrame:
        """``per_call`` under the name of its output file (``speech.csv``)."""
        return self.per_call

    def speech_csv(self) -> pd.DataFrame:
        """``speech.csv``: the DESIGN §5 columns, then :data:`SPEAKER_COLUMNS`."""
        return self.per_call[list(SPEECH_FILE_COLUMNS)].copy()

    def checklist_csv(self) -> pd.DataFrame:
        """``checklist.csv``: the DESIGN §5 columns, then ``speaker`` (who said the hit)."""
        return self.checklist[[schema.CALL_ID, "kind", "item", "hit", "at_s", "snippet",
                               "speaker"]].copy()


def _check_utterances(u: pd.DataFrame) -> None:
    need = [schema.CALL_ID, SPEAKER, UTT_START, UTT_END, TEXT]
    missing = [c for c in need if c not in u.columns]
    if missing:
        raise InputError(f"Utterance table lacks column(s) {missing}; expected {need} "
                         "(see callkit.speech.load_transcripts)")
    for c in (UTT_START, UTT_END):
        if not pd.api.types.is_numeric_dtype(u[c]):
            raise InputError(f"Utterance column {c!r} has dtype {u[c].dtype}; expected seconds "
                             "as numbers")


def _phrases(profile: Profile) -> tuple[list[tuple[str, str, str]], list[Any]]:
    items = checklist_items(profile)
    triples: list[tuple[str, str, str]] = []
    for it in items:
        triples += [(it.kind, it.item, p) for p in it.phrases]
    triples += [(_STOP, s, s) for s in profile.stop_words]
    for topic, ps in profile.topics.items():
        triples += [(_TOPIC, topic, p) for p in ps]
    # call-kind concepts (callkit.speech.kind): built-in, the profile's cues, its results
    triples += [(_KIND, c.name, p) for c in CONCEPTS for p in c.phrases]
    triples += [(_KIND, "profile_navigation", p) for p in profile.navigation]
    triples += [(_KIND, "profile_negotiation", p) for p in profile.negotiation]
    triples += [(_KIND, RESULT, p) for it in items if it.kind == RESULT for p in it.phrases]
    return triples, items


class _Engine:
    def __init__(self, profile: Profile) -> None:
        triples, self.items = _phrases(profile)
        self.matcher = PhraseMatcher(triples)
        self.employee_only = {(it.kind, it.item) for it in self.items if it.employee_only}
        self.employee_only |= {(_STOP, s) for s in profile.stop_words}
        self.result_order = [it.item for it in self.items if it.kind == RESULT]
        # lemmas that say nothing about the call kind: function words, phone small talk and
        # the client company's own name (said in every greeting; "Фильтр-Сервис" is said
        # "фильтр сервис" too)
        name = tokenize(profile.client)
        name += [p for t in name if "-" in t for p in t.split("-")]
        self.quiet = FUNCTION_WORDS | SMALL_TALK | {lemma(t) for t in name}
        self.stages = [it.item for it in self.items if it.kind == STAGE]
        self.questions = [it.item for it in self.items if it.kind == QUESTION]
        self.brief_items = {k: [it.item for it in self.items if it.kind == k] for k in BRIEF_KINDS}
        # per distinct token: (lemma, profanity kind or None, known to the dictionary (0/1),
        # Cyrillic (0/1), ids of the phrase terms it may stand for)
        self.info: dict[str, tuple[str, str | None, int, int, tuple[int, ...]]] = {}

    def add(self, tok: str) -> tuple[str, str | None, int, int, tuple[int, ...]]:
        cyr = "а" <= tok[0] <= "я"
        lem = lemma(tok)
        known = int(cyr and is_known_word(tok))
        ids = self.matcher.term_ids(lem)
        if cyr and not known and lem != tok:
            # the dictionary does not know the word: its guessed lemma may be wrong, so the
            # surface form may match a phrase term too
            ids = tuple(sorted(set(ids) | set(self.matcher.term_ids(tok))))
        surf = self.matcher.surface_ids(tok)
        if surf:
            ids = tuple(sorted(set(ids) | set(surf)))
        got = (lem, profanity_kind(tok), known, int(cyr), ids)
        self.info[tok] = got
        return got


def _who(speaker: str) -> str:
    return speaker if speaker in (EMPLOYEE_SPEAKER, CLIENT_SPEAKER) else UNKNOWN_SPEAKER


def _snippet(toks: list[str], lo: int, hi: int, a: int, b: int) -> str:
    s = max(lo, a - _SNIPPET_WORDS)
    e = min(hi, b + _SNIPPET_WORDS + 1)
    return " ".join(mask_word(t) if profanity_kind(t) else t for t in toks[s:e])


def analyze_calls(utterances: pd.DataFrame, profile: Profile, *, calls: pd.DataFrame | None = None,
                  kind_model: CallKindClassifier | str | None = "auto", lang: str | None = None,
                  top_terms: int = 10, n_jobs: int = 1) -> SpeechResult:
    """Analyse transcribed calls against the client's brief.

    Parameters
    ----------
    utterances
        Generic utterance table ``call_id, speaker, start, end, text`` (from
        :func:`callkit.speech.load_transcripts`); may also carry ``employee``/``department``.
        A canonical call table is accepted here too (``analyze_calls(calls, profile=p)``):
        the transcripts are then loaded from ``profile.transcripts`` and joined to it.
    profile
        The client profile: script, mandatory questions, call results, competitors, deal
        terms, stop words, topics, navigation/negotiation cues.
    calls
        Canonical call table; when given, ``employee`` and ``department`` come from it.
    kind_model
        ``"auto"`` (default): the meaning rules combined with the bundled classifier
        (:func:`~callkit.speech.kind.combine_kinds`, :func:`~callkit.speech.kind.default_kind_model`:
        the rules' structural decisions stand, the learned model decides the rest);
        a fitted :class:`~callkit.speech.kind.CallKindClassifier`: its prediction is the call
        kind; None: the rules alone. The rules' own answer is always in ``call_kind_rules``.
    lang
        Language of the verdict text (default: the profile's).
    top_terms
        Distinctive terms kept per department and per employee.
    n_jobs
        Worker processes for the per-call scan (calls are split between them); 1 = in process.

    Returns
    -------
    SpeechResult
    """
    if TEXT not in utterances.columns and schema.START in utterances.columns and calls is None:
        # called as analyze_calls(calls, profile=...): the transcripts come from the profile
        if profile.transcripts is None:
            raise InputError("analyze_calls got a call table but the profile has no "
                             "'transcripts' file; pass the utterance table first")
        from callkit.speech.load import load_transcripts

        calls = utterances
        utterances = load_transcripts(profile.transcripts, calls=calls).utterances
    _check_utterances(utterances)
    eng = _Engine(profile)
    if n_jobs > 1 and len(utterances) > 2000:
        scans = _parallel_scan(utterances, profile, n_jobs)
        rows, check_rows, topic_rows, prof_rows, docs, cue_docs = ([], [], [], [], {}, {})
        for sc in scans:
            rows += sc[0]
            check_rows += sc[1]
            topic_rows += sc[2]
            prof_rows += sc[3]
            docs.update(sc[4])
            cue_docs.update(sc[5])
        dm = pd.concat([sc[6] for sc in scans])
    else:
        rows, check_rows, topic_rows, prof_rows, docs, cue_docs = _scan(utterances, eng)
        dm = dialog_metrics(utterances)
    return _assemble(utterances, profile, eng, calls, kind_model, lang, top_terms,
                     rows, check_rows, topic_rows, prof_rows, docs, cue_docs, dm)


def _scan_chunk(args: tuple[pd.DataFrame, Profile]) -> tuple[Any, ...]:
    chunk, profile = args
    eng = _Engine(profile)
    return (*_scan(chunk, eng), dialog_metrics(chunk))


def _parallel_scan(utterances: pd.DataFrame, profile: Profile, n_jobs: int) -> list[tuple[Any, ...]]:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    ids = utterances[schema.CALL_ID].astype("string").fillna("")
    uniq = pd.unique(ids.to_numpy(dtype=object))
    part = pd.Series(np.arange(len(uniq)) % n_jobs, index=uniq)
    which = part.reindex(ids.to_numpy(dtype=object)).to_numpy()
    chunks = [(utterances.loc[which == j], profile) for j in range(n_jobs)]
    try:
        ctx = mp.get_context("fork")
    except ValueError:  # platforms without fork
        ctx = mp.get_context()
    with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as ex:
        return list(ex.map(_scan_chunk, chunks))


def _scan(utterances: pd.DataFrame, eng: _Engine) -> tuple[Any, ...]:
    m = eng.matcher
    phrases = m.phrases
    u = utterances.sort_values([schema.CALL_ID, UTT_START, UTT_END], kind="stable")
    ids = u[schema.CALL_ID].astype("string").fillna("").to_numpy(dtype=object)
    spk = [_who(x) for x in   # employee / client / unknown, once per utterance
           u[SPEAKER].astype("string").str.lower().fillna("unknown").to_numpy(dtype=object).tolist()]
    st = u[UTT_START].to_numpy(dtype=float).tolist()   # Python floats: fast scalar arithmetic
    en = u[UTT_END].to_numpy(dtype=float).tolist()
    txt = u[TEXT].astype("string").fillna("").to_numpy(dtype=object).tolist()
    bounds = (np.flatnonzero(np.r_[True, ids[1:] != ids[:-1], True]).tolist() if len(ids)
              else [0])
    ids = ids.tolist()

    rows: list[dict[str, Any]] = []
    check_rows: list[tuple[Any, ...]] = []
    topic_rows: list[tuple[str, str, int]] = []
    prof_rows: list[tuple[Any, ...]] = []
    docs: dict[str, str] = {}
    cue_docs: dict[str, KindInput] = {}
    stage_set = set(eng.stages)
    n_stages, n_questions = len(eng.stages), len(eng.questions)
    n_brief = {k: len(v) for k, v in eng.brief_items.items()}
    quiet = eng.quiet
    info = eng.info
    for a, b in zip(bounds[:-1], bounds[1:]):
        cid = ids[a]
        toks: list[str] = []
        tutt: list[int] = []
        ubounds: list[tuple[int, int]] = []
        for k in range(a, b):
            tk = tokenize(txt[k])
            tk = [x for t in tk for x in split_merged(t)]   # ASR-glued "вналичии"
            n0 = len(toks)
            toks += tk
            tutt += [k - a] * len(tk)
            ubounds.append((n0, len(toks)))

        def tok_time(i: int, a: int = a, tutt: list[int] = tutt,
                     ubounds: list[tuple[int, int]] = ubounds) -> float:
            j = tutt[i]
            lo, hi = ubounds[j]
            return round(st[a + j] + (en[a + j] - st[a + j]) * (i - lo) / (hi - lo), 2)

        who_utt = spk[a:b]
        n_lab = sum(1 for w in who_utt if w == EMPLOYEE_SPEAKER or w == CLIENT_SPEAKER)
        labels = LABELLED if n_lab == len(who_utt) else (PARTIAL if n_lab else UNLABELLED)
        judged = labels != UNLABELLED   # employee-only checks can be judged
        lems: list[str] = []
        pos: dict[int, list[int]] = {}   # phrase-term id -> token positions
        prof = {EMPLOYEE_SPEAKER: 0, CLIENT_SPEAKER: 0, UNKNOWN_SPEAKER: 0}
        prof_mat = 0
        prof_words: list[str] = []
        known = total = 0
        for i, t in enumerate(toks):
            inf = info.get(t)
            if inf is None:
                inf = eng.add(t)
            lems.append(inf[0])
            for tid in inf[4]:
                if tid in pos:
                    pos[tid].append(i)
                else:
                    pos[tid] = [i]
            known += inf[2]
            total += inf[3]
            if inf[1]:
                who = spk[a + tutt[i]]
                prof[who] += 1
                if who == EMPLOYEE_SPEAKER:
                    prof_mat += inf[1] == MAT
                    prof_words.append(mask_word(t))
                prof_rows.append((cid, who, tok_time(i), mask_word(t), inf[1]))
        # phrases: counted per speaker; employee-only items only when the employee said them;
        # an item's first hit is the employee's when they said it (what they are judged on)
        first: dict[tuple[str, str], tuple[int, int]] = {}
        emp_first: dict[tuple[str, str], tuple[int, int]] = {}
        counts: Counter[tuple[str, str, str]] = Counter()
        concepts: dict[str, list[tuple[int, str]]] = {}
        recorded: set[int] = set()   # token positions of a recording's words (no content)
        invoices: list[tuple[int, int, str]] = []   # invoice phrases, kept unless on an account
        accounts: list[tuple[int, int]] = []
        for mt in m.find((), positions=pos, breaks=[lo for lo, _ in ubounds[1:]]):
            if tutt[mt.start] != tutt[mt.end]:
                continue  # a phrase never spans two utterances
            ph = phrases[mt.phrase]
            who = spk[a + tutt[mt.start]]
            if ph.kind == _KIND:
                if ph.item in _WHOLE_TURN and tutt[mt.start] > 1:
                    continue   # an IVR greets at the start; "вы дозвонились в другое место" later is a person
                if ph.item == "invoice":
                    invoices.append((mt.start, mt.end, who))
                    continue
                if ph.item == "requisites" and _ACCOUNT_TERM in ph.terms:
                    accounts.append((mt.start, mt.end))
                concepts.setdefault(ph.item, []).append((mt.start, who))
                if ph.item in _WHOLE_TURN or ph.item == _POCKET:   # a machine's whole turn (an
                    recorded.update(range(*ubounds[tutt[mt.start]]))   # IVR menu) or a pocket dial's
                elif ph.item in _RECORDING:
                    recorded.update(range(mt.start, mt.end + 1))
                continue
            key = (ph.kind, ph.item)
            counts[(ph.kind, ph.item, who)] += 1
            if key in eng.employee_only and who != EMPLOYEE_SPEAKER:
                continue
            if key not in first or mt.start < first[key][0]:
                first[key] = (mt.start, mt.end)
            if who == EMPLOYEE_SPEAKER and (key not in emp_first or mt.start < emp_first[key][0]):
                emp_first[key] = (mt.start, mt.end)
        first.update(emp_first)
        for s_, e_, who in invoices:
            if not any(s_ <= ae and as_ <= e_ for as_, ae in accounts):
                concepts.setdefault("invoice", []).append((s_, who))
        checked = 0   # the yes of a call that is only a check (its question names no content)
        for j in range(1, len(ubounds)):   # "алло аптека" - "нет": a bare no to a named thing
            lo, hi = ubounds[j]
            if (hi > lo and lems[lo] in _BARE_NO and all(x in _BARE_NO_WORDS for x in lems[lo:hi])
                    and any(x not in quiet for x in lems[ubounds[j - 1][0]:ubounds[j - 1][1]])):
                concepts.setdefault(_BARE_NO_CONCEPT, []).append((lo, who_utt[j]))
                nxt = ubounds[j + 1] if j + 1 < len(ubounds) else (0, 0)
                if nxt[1] > nxt[0] and all(x in _OOPS for x in lems[nxt[0]:nxt[1]]):
                    # ... answered by a bare "ой": the caller sees he dialled wrong (an apology)
                    concepts.setdefault("apology", []).append((nxt[0], who_utt[j + 1]))
            elif (hi > lo and lems[lo] in _BARE_NO and j + 1 < len(ubounds)
                  and ubounds[j + 1][1] > ubounds[j + 1][0]
                  and all(x in _OOPS for x in lems[ubounds[j + 1][0]:ubounds[j + 1][1]])):
                # "а это не аптека" — "нет это автосалон" — "ой": the caller's bare "ой" after
                # a no is his apology too
                concepts.setdefault("apology", []).append((ubounds[j + 1][0], who_utt[j + 1]))
            if _confirmed(j, ubounds, who_utt, lems, quiet, recorded):
                concepts.setdefault(_CONFIRMED, []).append((lo, who_utt[j]))
                qlo, qhi = ubounds[j - 1]
                if ((j == 1 or (j == 2 and who_utt[0] != CLIENT_SPEAKER))
                        and sum(lems[i] not in quiet for i in range(qlo, qhi)) <= 6
                        and not any(_is_verb(toks[i]) and lems[i] not in _CHECK_VERBS
                                    for i in range(qlo, qhi))):
                    # the call is the check alone (the employee's opening, "is this …?" or
                    # "anyone there?", the yes): what the caller names in it is the company's
                    # name or place ("это служба доставки", "на складе кто есть"), no content
                    checked = lo
        if checked:
            concepts = {k: v for k, v in ((k, [h for h in v if k in _RECORDING or h[0] >= checked])
                                          for k, v in concepts.items()) if v}
        for i, t in enumerate(toks):   # "плитку мы получили": goods received, not documents
            if (t.startswith(_RECEIVED_FORMS) and not t.startswith("получилос")
                    and (i == 0 or lems[i - 1] != "не") and not _doc_object(i, lems, ubounds[tutt[i]])):
                concepts.setdefault(_RECEIVED, []).append((i, who_utt[tutt[i]]))
        if recorded:   # what a recording says (an IVR's opening hours) is no call-kind concept
            concepts = {k: v for k, v in ((k, [h for h in v if k in _RECORDING or h[0] not in recorded])
                                          for k, v in concepts.items()) if v}
        # the employee's opening turn (the greeting, the company's name: "электрика оптом",
        # "вас беспокоит компания фаворит") is no content; what it names counts only when the
        # other side answers with something ("та щас ну", a recording or "не удобно" is nothing)
        opening = 0
        if len(ubounds) > 1:
            after = ubounds[0][1]
            rest = sum(1 for i in range(after, len(lems)) if lems[i] not in quiet and i not in recorded)
            # only a recording answers (or, from the employee's opening, "I can't talk")
            machine = ("voicemail", "ivr") if who_utt[0] != EMPLOYEE_SPEAKER else _RECORDING
            answered = rest > 0 or not any(h[0] >= after for k in machine for h in concepts.get(k, ()))
            named = any(h[0] < after for v in concepts.values() for h in v)
            opening = _opening(ubounds, who_utt, toks, lems, answered, named)
        if opening and rest < _MIN_ANSWER and not any(
                h[0] >= opening for k, v in concepts.items() if k not in _RECORDING for h in v):
            concepts = {k: v for k, v in ((k, [h for h in v if k in _RECORDING or h[0] >= opening])
                                          for k, v in concepts.items()) if v}
        hits_by_kind: dict[str, set[str]] = {}
        for kind, item in first:
            hits_by_kind.setdefault(kind, set()).add(item)
        for it in eng.items:
            key = (it.kind, it.item)
            if it.employee_only and not judged:
                continue  # nobody is known to be the employee: the check is unknown, not missed
            if key in first:
                s_, e_ = first[key]
                lo, hi = ubounds[tutt[s_]]
                check_rows.append((cid, it.kind, it.item, True, tok_time(s_),
                                   _snippet(toks, lo, hi, s_, e_), spk[a + tutt[s_]]))
            else:
                check_rows.append((cid, it.kind, it.item, False, np.nan, "", pd.NA))
        by_who: dict[tuple[str, str], int] = Counter()
        for (kind, item, who), c in counts.items():
            by_who[(kind, who)] += c
            if kind == _TOPIC:
                topic_rows.append((cid, item, c))
        nav = sum(1 for c in CONCEPTS if c.kind == NAVIGATION and c.name in concepts)
        neg = sum(1 for c in CONCEPTS if c.kind == NEGOTIATION and c.name in concepts)
        stop_items = [item for (kind, item, who), c in counts.items()
                      if kind == _STOP and who == EMPLOYEE_SPEAKER for _ in range(c)]
        results = hits_by_kind.get(RESULT, set())
        result_by = {item: spk[a + tutt[first[(RESULT, item)][0]]] for item in results}

        def emp(v: Any, judged: bool = judged) -> Any:
            return v if judged else pd.NA

        rows.append({
            schema.CALL_ID: cid,
            "concepts": concepts,
            "labelled": judged,
            "result_hits": results,
            "result_by": result_by,
            "script_score": (len(hits_by_kind.get(STAGE, set()) & stage_set) / n_stages
                             if n_stages and judged else np.nan),
            "profanity": emp(prof[EMPLOYEE_SPEAKER]),
            "stop_words": emp(len(stop_items)),
            "speaker_labels": labels,
            "competitor_mentions": emp(by_who[(COMPETITOR, EMPLOYEE_SPEAKER)]),
            "client_mentions_competitor": emp(by_who[(COMPETITOR, CLIENT_SPEAKER)]),
            "client_profanity": emp(prof[CLIENT_SPEAKER]),
            "client_stop_words": emp(by_who[(_STOP, CLIENT_SPEAKER)]),
            "unattributed_competitor_mentions": by_who[(COMPETITOR, UNKNOWN_SPEAKER)],
            "unattributed_profanity": prof[UNKNOWN_SPEAKER],
            "unattributed_stop_words": by_who[(_STOP, UNKNOWN_SPEAKER)],
            "stages_hit": emp(len(hits_by_kind.get(STAGE, ()))),
            "stages_total": n_stages,
            "questions_hit": emp(len(hits_by_kind.get(QUESTION, ()))),
            "questions_total": n_questions,
            "decision_makers_hit": len(hits_by_kind.get(DECISION_MAKER, ())),
            "decision_makers_total": n_brief[DECISION_MAKER],
            "advantages_hit": emp(len(hits_by_kind.get(ADVANTAGE, ()))),
            "advantages_total": n_brief[ADVANTAGE],
            "materials_hit": emp(len(hits_by_kind.get(MATERIAL, ()))),
            "materials_total": n_brief[MATERIAL],
            "profanity_mat": emp(prof_mat),
            "profanity_words": "; ".join(prof_words),
            "stop_word_list": "; ".join(stop_items),
            "topics": "; ".join(sorted(hits_by_kind.get(_TOPIC, ()))),
            "words": len(toks),
            "unknown_word_share": 1 - known / total if total else np.nan,
            "navigation_cues": nav,
            "negotiation_cues": neg,
            "kind_concepts": "; ".join(sorted(concepts)),
            "content_words": (rest if opening else
                              len(lems) - sum(map(quiet.__contains__, lems))
                              - sum(1 for i in recorded if lems[i] not in quiet)),
        })
        docs[cid] = " ".join(lems)
        cue_docs[cid] = _kind_input(toks, lems, ubounds, who_utt, concepts, quiet, recorded)
    return rows, check_rows, topic_rows, prof_rows, docs, cue_docs


def _confirmed(j: int, ubounds: list[tuple[int, int]], who_utt: list[str], lems: list[str],
               quiet: frozenset[str], recorded: set[int]) -> bool:
    """Turn ``j`` is a bare yes ("да", "да это мы", "да типография") to the caller's check
    that he reached the company or that someone is there — the turn before says "это" and names
    something ("алло это аэроклимат"), asks whether he got through to the right place ("я туда
    попал в автозапчасти") or whether anyone is there ("вы там есть кто", "на складе кто есть"
    — "есть я") — and nothing of content follows it (small talk, "позже наберу"): the caller
    only checked."""
    lo, hi = ubounds[j]
    plo, phi = ubounds[j - 1]
    if hi == lo or phi == plo or hi - lo > 8:
        return False
    answer = lems[lo:hi]
    if not (_YES.intersection(answer) or "есть" in answer):
        return False
    ask = lems[plo:phi]
    if not all(x in _YES_WORDS or x in _HERE or x in ask for x in answer):
        return False   # (most turns end here: a yes with words of its own)
    if (who_utt[j - 1] in (EMPLOYEE_SPEAKER, CLIENT_SPEAKER) and who_utt[j] in (
            EMPLOYEE_SPEAKER, CLIENT_SPEAKER)) and (who_utt[j - 1], who_utt[j]) != (
            CLIENT_SPEAKER, EMPLOYEE_SPEAKER):
        return False
    presence = "кто" in ask and ("есть" in ask or "там" in ask)
    reached = "попасть" in ask and "не" not in ask and ("туда" in ask or "правильно" in ask)
    named = [i + 1 for i in range(plo, phi - 1) if lems[i] == "это" and lems[i + 1] not in _PLAIN]
    if not (presence or reached or named):
        return False
    # the yes may repeat the name asked ("это типография" — "да типография"), not a verb of it
    # ("это вы продаёте цемент" — "да продаём" is about the goods)
    echo = {lems[i] for i in range(named[0], phi)} if named else set()
    here = _HERE if presence else frozenset()
    if not (_YES.intersection(answer) or (presence and "есть" in answer)) or not all(
            x in _YES_WORDS or x in here or (x in echo and not _is_verb(x)) for x in answer):
        return False
    return all(lems[i] in quiet or lems[i] in _LATER or i in recorded
               for i in range(hi, len(lems)))


def _doc_object(i: int, lems: list[str], bounds: tuple[int, int]) -> bool:
    """The word next to the verb at ``i`` (either side, within its turn, past "мы", "уже",
    "ваши"…) is a document: "получили ваши документы", "документы получили"."""
    lo, hi = bounds
    for step in (1, -1):
        k = i + step
        while lo <= k < hi and lems[k] in _RECEIVED_SKIP:
            k += step
        if lo <= k < hi and lems[k] in _DOC_WORDS:
            return True
    return False


def _opening(ubounds: list[tuple[int, int]], who_utt: list[str], toks: list[str],
             lems: list[str], answered: bool, named: bool) -> int:
    """End (token position) of the employee's opening turn — the greeting and the company's
    name — or 0 when the call does not open with one. The first of several turns, not the
    client's, is one when it says no more than a greeting and a name: no verb but those of a
    self-introduction ("вас беспокоит", "меня зовут", "слушаю"), said by the employee
    ("склад упаковки добрый день", "электрика оптом") or, without speaker labels, with such a
    verb in it and no concept (``named`` False: "автосалон меня зовут игорь"); or, whatever it says and whoever said it, when the other side answers it with only a recording or "I can't
    talk" (``answered`` False: "вы интересовались резиной" — "абонент выключен")."""
    if len(ubounds) < 2 or who_utt[0] == CLIENT_SPEAKER:
        return 0
    lo, hi = ubounds[0]
    if not answered:
        return hi
    if who_utt[0] != EMPLOYEE_SPEAKER and (named or not _INTRO_VERBS.intersection(lems[lo:hi])):
        return 0   # unlabelled: a caller may open with a greeting and a name too
    if any(_is_verb(toks[i]) and lems[i] not in _INTRO_VERBS for i in range(lo, hi)):
        return 0
    return hi


@lru_cache(maxsize=100_000)
def _is_verb(word: str) -> bool:
    from callkit.speech.text import _morph

    return _morph().parse(word)[0].tag.POS in ("VERB", "INFN")


def _kind_input(toks: list[str], lems: list[str], ubounds: list[tuple[int, int]],
                who_utt: list[str], concepts: dict[str, Any], quiet: frozenset[str],
                recorded: set[int] = frozenset()) -> KindInput:
    # the learned model reads the opening of the call (where its purpose is said), the
    # built-in concepts found anywhere in it and the content lemmas of the turn that states
    # the purpose (the caller's first with any, else the first with any) — not a recording's
    # words (voicemail, an IVR greeting): what follows it is the call
    turns = []
    for j, (lo, hi) in enumerate(ubounds):
        if lo >= _KIND_OPENING:
            break
        hi = min(hi, _KIND_OPENING)
        keep = [i for i in range(lo, hi) if i not in recorded] if recorded else range(lo, hi)
        if keep:
            turns.append((who_utt[j], tuple(toks[i] for i in keep), tuple(lems[i] for i in keep)))
    content = [tuple(w for w in t[2] if w not in quiet) for t in turns]
    purpose = next((c for c, t in zip(content, turns) if c and t[0] == CLIENT_SPEAKER),
                   next((c for c in content if c), ()))
    return KindInput(tuple(turns), tuple(sorted(_CONCEPT_NAMES.intersection(concepts))), purpose)


def kind_evidence(utterances: pd.DataFrame, profile: Profile, *,
                  calls: pd.DataFrame | None = None) -> pd.DataFrame:
    """What decides each call's kind, one row per call (indexed by ``call_id``):
    ``kind_input`` (what the learned model reads, :class:`~callkit.speech.kind.KindInput`),
    ``rule_kind`` and ``basis`` (:func:`~callkit.speech.kind.rule_decision`) and
    ``content_words`` — as ``analyze_calls`` builds them. Used to train the bundled model and
    by ``benchmarks/kind_cv.py``."""
    _check_utterances(utterances)
    rows, *_, kin = _scan(utterances, _Engine(profile))
    caller = _callers(calls)
    ids = [r[schema.CALL_ID] for r in rows]
    dec = [rule_decision(r["concepts"], labelled=r["labelled"], caller=caller.get(r[schema.CALL_ID]))
           for r in rows]
    out = pd.DataFrame({
        "kind_input": pd.Series([kin[i] for i in ids], dtype=object),
        "rule_kind": pd.array([d[0] for d in dec], dtype="string"),
        "basis": pd.array([d[1] for d in dec], dtype="string"),
        "content_words": np.asarray([r["content_words"] for r in rows], dtype="int64"),
    })
    out.index = pd.Index(ids, dtype="string", name=schema.CALL_ID)
    return out


def kind_inputs(utterances: pd.DataFrame, profile: Profile) -> pd.Series:
    """The ``kind_input`` column of :func:`kind_evidence`."""
    return kind_evidence(utterances, profile)["kind_input"]


def _assemble(utterances: pd.DataFrame, profile: Profile, eng: _Engine,
              calls: pd.DataFrame | None, kind_model: CallKindClassifier | None,
              lang: str | None, top_terms: int, rows: list[dict[str, Any]],
              check_rows: list[tuple[Any, ...]], topic_rows: list[tuple[str, str, int]],
              prof_rows: list[tuple[Any, ...]], docs: dict[str, str], cue_docs: dict[str, KindInput],
              dm: pd.DataFrame) -> SpeechResult:
    per_call = pd.DataFrame(rows)
    if per_call.empty:
        per_call = pd.DataFrame(columns=[schema.CALL_ID, "call_kind_rules", "result_hits"])
    per_call[schema.CALL_ID] = per_call[schema.CALL_ID].astype("string")
    doc_s = pd.Series(docs, dtype="string")
    doc_s.index = pd.Index(doc_s.index, dtype="string", name=schema.CALL_ID)
    # call kind by the meaning rules; an unlabelled call's direction says who the caller is
    caller = _callers(calls)
    decisions = [rule_decision(c, labelled=lab, caller=caller.get(cid)) for c, lab, cid in
                 zip(per_call.get("concepts", []), per_call.get("labelled", []), per_call[schema.CALL_ID])]
    per_call["call_kind_rules"] = [d[0] for d in decisions]
    per_call = per_call.drop(columns=["concepts", "labelled"], errors="ignore")
    # call kind: a fitted model's prediction if given; by default the rules with the bundled
    # classifier (combine_kinds); kind_model=None: the rules alone
    if isinstance(kind_model, CallKindClassifier) and len(per_call):
        pred = kind_model.predict(doc_s)
        per_call["call_kind"] = pred.reindex(per_call[schema.CALL_ID]).to_numpy()
    elif kind_model == "auto" and len(per_call):
        proba = default_kind_model().predict_proba([cue_docs[c] for c in per_call[schema.CALL_ID]])
        per_call["call_kind"] = [
            combine_kinds(kind, basis, p, n) for (kind, basis), p, n in
            zip(decisions, proba.to_dict("records"), per_call["content_words"])]
    else:
        per_call["call_kind"] = per_call["call_kind_rules"]
    per_call["call_result"] = [
        pick_result(h, eng.result_order) if k != NAVIGATION else NONE
        for h, k in zip(per_call["result_hits"], per_call["call_kind"])]
    per_call["call_result_by"] = [by.get(r, pd.NA) if r != NONE else pd.NA
                                  for r, by in zip(per_call["call_result"], per_call["result_by"])]
    per_call = per_call.drop(columns=["result_hits", "result_by"])
    # employees and departments
    per_call = _attach_people(per_call, utterances, calls)
    per_call = per_call.merge(dm, left_on=schema.CALL_ID, right_index=True, how="left")
    for c in PER_CALL_COLUMNS:
        if c not in per_call.columns:
            per_call[c] = pd.NA
    per_call = per_call[list(PER_CALL_COLUMNS)].reset_index(drop=True)
    for c in ("call_kind", "call_result", "call_kind_rules", schema.EMPLOYEE, schema.DEPARTMENT,
              "speaker_labels", "call_result_by"):
        per_call[c] = per_call[c].astype("string")
    for c in _COUNT_COLUMNS:   # NA = unknown (no speaker labels), not zero
        per_call[c] = per_call[c].astype("Int64")

    checklist = pd.DataFrame(check_rows, columns=list(CHECKLIST_COLUMNS))
    checklist[schema.CALL_ID] = checklist[schema.CALL_ID].astype("string")
    checklist["speaker"] = checklist["speaker"].astype("string")
    checklist["at_s"] = checklist["at_s"].astype("float64")
    checklist["hit"] = checklist["hit"].astype(bool)

    comp = compliance(checklist, per_call)
    topic_hits = pd.DataFrame(topic_rows, columns=[schema.CALL_ID, "topic", "mentions"])
    topics = topic_summary(topic_hits, calls=len(per_call))
    # topics in the profile's order of definition when equally frequent is fine; add zero rows
    missing = [t for t in profile.topics if t not in set(topics["topic"])]
    if missing:
        topics = pd.concat([topics, pd.DataFrame({"topic": missing, "calls": 0, "share": 0.0,
                                                  "mentions": 0})], ignore_index=True)
    terms = _terms(doc_s, per_call, top_terms)
    prof = pd.DataFrame(prof_rows, columns=[schema.CALL_ID, "speaker", "at_s", "word", "kind"])
    verdict = speech_verdict(per_call, lang=lang or profile.lang)
    by_manager = _by_manager(per_call, checklist, eng)
    return SpeechResult(per_call=per_call, checklist=checklist, by_manager=by_manager,
                        compliance=comp, topics=topics, topic_hits=topic_hits, terms=terms,
                        profanity=prof, verdict=verdict,
                        info={"calls": len(per_call), "utterances": len(utterances),
                              "words": int(per_call["words"].sum()) if len(per_call) else 0})


def _callers(calls: pd.DataFrame | None) -> dict[str, str]:
    """call_id -> who placed the call (client for incoming, employee for outgoing)."""
    if calls is None or schema.DIRECTION not in calls.columns:
        return {}
    who = {schema.INCOMING: CLIENT_SPEAKER, schema.OUTGOING: EMPLOYEE_SPEAKER}
    d = calls[schema.DIRECTION].astype("string").map(who)
    return dict(zip(calls[schema.CALL_ID].astype("string"), d)) if d.notna().any() else {}


def _attach_people(per_call: pd.DataFrame, utterances: pd.DataFrame,
                   calls: pd.DataFrame | None) -> pd.DataFrame:
    out = per_call
    if calls is not None:
        keep = [c for c in (schema.CALL_ID, schema.EMPLOYEE, schema.DEPARTMENT) if c in calls.columns]
        people = calls[keep].copy()
        people[schema.CALL_ID] = people[schema.CALL_ID].astype("string")
        people = people.drop_duplicates(schema.CALL_ID)
        out = out.merge(people, on=schema.CALL_ID, how="left")
    else:
        keep = [c for c in (schema.EMPLOYEE, schema.DEPARTMENT) if c in utterances.columns]
        if keep:
            people = utterances[[schema.CALL_ID] + keep].copy()
            people[schema.CALL_ID] = people[schema.CALL_ID].astype("string")
            people = people.dropna(subset=keep, how="all").drop_duplicates(schema.CALL_ID)
            out = out.merge(people, on=schema.CALL_ID, how="left")
    return out


def _terms(docs: pd.Series, per_call: pd.DataFrame, top: int) -> pd.DataFrame:
    idx = per_call.set_index(schema.CALL_ID)
    by = [c for c in (schema.DEPARTMENT, schema.EMPLOYEE) if c in idx.columns and idx[c].notna().any()]
    if not by:
        return pd.DataFrame(columns=["by", "group", "term", "score", "rank"])
    terms = distinctive_terms(docs, idx[by], top=top, min_df=2)
    # a manager who swears a lot gets мат among their distinctive terms: show it masked
    terms["term"] = terms["term"].map(lambda w: mask_word(w) if isinstance(w, str) and profanity_kind(w) else w)
    return terms


def _by_manager(per_call: pd.DataFrame, checklist: pd.DataFrame, eng: _Engine) -> pd.DataFrame:
    pc = per_call.copy()
    pc[schema.EMPLOYEE] = pc[schema.EMPLOYEE].astype("string").fillna("—")
    pc[schema.DEPARTMENT] = pc[schema.DEPARTMENT].astype("string").fillna("—")
    neg = pc.loc[pc["call_kind"] == NEGOTIATION]
    keys = [schema.DEPARTMENT, schema.EMPLOYEE]
    base = pc.groupby(keys, sort=True).agg(
        calls=(schema.CALL_ID, "size"),
        unlabelled_calls=("speaker_labels", lambda s: int((s == UNLABELLED).sum())),
        profanity_calls=("profanity", lambda s: int((s.fillna(0) > 0).sum())),
        stop_words_per_call=("stop_words", lambda s: float(s.astype("float64").mean())),
        competitor_calls=("competitor_mentions", lambda s: int((s.fillna(0) > 0).sum())),
        client_competitor_calls=("client_mentions_competitor", lambda s: int((s.fillna(0) > 0).sum())),
        client_profanity_calls=("client_profanity", lambda s: int((s.fillna(0) > 0).sum())),
        talk_ratio=("talk_ratio", "mean"),
    )
    nstats = neg.groupby(keys, sort=True).agg(
        negotiation_calls=(schema.CALL_ID, "size"),
        script_score=("script_score", "mean"),
        result_rate=("call_result", lambda s: float((s != NONE).mean())),
    )
    out = base.join(nstats, how="left")
    out["negotiation_calls"] = out["negotiation_calls"].fillna(0).astype("int64")
    brief_cols = []
    for kind, col, how in ((DECISION_MAKER, "decision_maker_rate", "any"),
                           (ADVANTAGE, "advantage_rate", "share"),
                           (MATERIAL, "material_rate", "any")):
        if not eng.brief_items[kind]:
            continue
        hit = neg[f"{kind}s_hit"].astype(float)
        val = ((hit > 0).astype(float).where(hit.notna()) if how == "any"
               else hit / neg[f"{kind}s_total"].astype(float))
        out = out.join(val.groupby([neg[k] for k in keys], sort=True).mean().rename(col), how="left")
        brief_cols.append(col)
    item_kinds = [STAGE, QUESTION, *BRIEF_KINDS]
    cl = checklist.loc[checklist["kind"].isin(item_kinds)].merge(
        neg[[schema.CALL_ID] + keys], on=schema.CALL_ID, how="inner")
    if len(cl):
        cl["col"] = cl["kind"] + ":" + cl["item"]
        rates = cl.pivot_table(index=keys, columns="col", values="hit", aggfunc="mean", sort=False)
        order = [f"{STAGE}:{s}" for s in eng.stages] + [f"{QUESTION}:{q}" for q in eng.questions]
        order += [f"{k}:{i}" for k in BRIEF_KINDS for i in eng.brief_items[k]]
        out = out.join(rates[[c for c in order if c in rates.columns]], how="left")
    cols = ["calls", "negotiation_calls", "script_score", "result_rate", "profanity_calls",
            "stop_words_per_call", "competitor_calls", "talk_ratio", *brief_cols,
            "client_competitor_calls", "client_profanity_calls", "unlabelled_calls"]
    rest = [c for c in out.columns if c not in cols]
    return out[cols + rest].reset_index()
