"""Transcript analytics: loaders, phrase matching, checklists, stop words and profanity, call
kind and result, dialog metrics, topics and a fit verdict.

Public names are re-exported here; nothing else happens at import.
"""
from callkit.speech.analyze import PER_CALL_COLUMNS, SPEECH_CSV_COLUMNS, SpeechResult, analyze_calls
from callkit.speech.checklist import (
    BRIEF_KINDS,
    CHECKLIST_COLUMNS,
    CHECKLIST_KINDS,
    ChecklistItem,
    checklist_items,
    compliance,
)
from callkit.speech.dialog import DIALOG_COLUMNS, dialog_metrics
from callkit.speech.kind import CallKindClassifier, call_documents, kind_from_cues
from callkit.speech.load import (
    UTTERANCE_COLUMNS,
    TranscriptLoad,
    TranscriptReport,
    join_calls,
    load_transcripts,
)
from callkit.speech.match import PhraseMatcher, phrase_matches
from callkit.speech.profanity import find_profanity, is_profane, mask_text, mask_word
from callkit.speech.run import SpeechRun, analyze_profile, write_speech
from callkit.speech.synthetic import DEMO_BRIEF, make_transcripts
from callkit.speech.text import lemma, lemmas, normalize, tokenize
from callkit.speech.topics import distinctive_terms, topic_summary
from callkit.speech.verdict import SpeechVerdict, speech_verdict

__all__ = [
    "analyze_calls", "SpeechResult", "PER_CALL_COLUMNS", "SPEECH_CSV_COLUMNS",
    "analyze_profile", "SpeechRun", "write_speech",
    "load_transcripts", "join_calls", "TranscriptLoad", "TranscriptReport", "UTTERANCE_COLUMNS",
    "CHECKLIST_COLUMNS", "CHECKLIST_KINDS", "BRIEF_KINDS", "ChecklistItem", "checklist_items", "compliance",
    "DIALOG_COLUMNS", "dialog_metrics",
    "CallKindClassifier", "call_documents", "kind_from_cues",
    "PhraseMatcher", "phrase_matches",
    "find_profanity", "is_profane", "mask_text", "mask_word",
    "DEMO_BRIEF", "make_transcripts",
    "lemma", "lemmas", "normalize", "tokenize",
    "distinctive_terms", "topic_summary",
    "SpeechVerdict", "speech_verdict",
]
