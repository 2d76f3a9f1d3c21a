"""Transcript loaders: each format, bad rows with reasons, the join to calls."""
import json

import pandas as pd
import pytest

from callkit.errors import FormatError, InputError
from callkit.speech.load import load_transcripts, parse_transcripts


def test_generic_csv_with_bad_rows(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(
        "call_id,speaker,start,end,text\n"
        "c1,employee,0,2.5,Добрый день\n"          # ok
        "c1,client,2.5,4,Здравствуйте\n"          # ok
        "c1,boss,4,5,кто это\n"                  # bad speaker
        "c1,client,abc,5,текст\n"                # bad start
        "c1,client,6,5,текст\n"                  # end < start
        ",client,1,2,без звонка\n"               # no call id
        "c1,client,1,2\n"                        # 4 fields
        "c1,client,2.5,4,Здравствуйте\n"          # duplicate of row 3
        "c2,оператор,0:01,0:03.5,алло\n",         # Russian label, mm:ss times
        encoding="utf-8")
    r = load_transcripts(p)
    rep = r.report
    assert rep.format == "generic_csv"
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected, rep.duplicates) == (9, 3, 5, 1)
    assert rep.rows_read == rep.rows_loaded + rep.rows_rejected + rep.duplicates
    reasons = rep.rejected.set_index("source_row")["reason"]
    assert "speaker 'boss'" in reasons[4]
    assert "start 'abc'" in reasons[5]
    assert "expected 0 <= start <= end" in reasons[6]
    assert reasons[7] == "no call id"
    assert "4 fields" in reasons[8]
    c2 = r.utterances.set_index("call_id").loc["c2"]
    assert (c2["speaker"], c2["start"], c2["end"]) == ("employee", 1.0, 3.5)


def test_channel_column_and_semicolons(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("call_id;channel;start;end;text\nc1;0;0;1;да\nc1;1;1;2;алло\nc1;3;2;3;шум\n",
                 encoding="cp1251")
    r = load_transcripts(p)
    assert r.utterances["speaker"].tolist() == ["employee", "client"]
    assert "channel '3'" in r.report.rejected["reason"].iloc[0]


def test_missing_columns_is_a_format_error(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("call,who,text\n1,a,b\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"t.csv: transcript columns \['start', 'end'\] not found"):
        load_transcripts(p)
    with pytest.raises(InputError, match="not found"):
        load_transcripts(tmp_path / "nope.csv")


def test_jsonl_with_broken_line(tmp_path):
    p = tmp_path / "t.jsonl"
    p.write_text('{"call_id": "c1", "speaker": "employee", "start": 0, "end": 1.5, "text": "да"}\n'
                 '{"call_id": "c1", "speaker": "client", "start": 1.5,\n'
                 '{"call_id": 7, "speaker": "client", "start": 2, "end": 3, "text": "алло"}\n',
                 encoding="utf-8")
    r = load_transcripts(p)
    assert r.report.format == "generic_jsonl"
    assert (r.report.rows_read, r.report.rows_loaded, r.report.rows_rejected) == (3, 2, 1)
    assert r.report.rejected["reason"].iloc[0].startswith("not valid JSON")
    assert r.utterances["call_id"].tolist() == ["7", "c1"]      # ids are strings, sorted


def test_whisper_json_with_diarized_speakers(tmp_path):
    p = tmp_path / "rec-0042.json"
    p.write_text(json.dumps({"text": "...", "language": "ru", "segments": [
        {"id": 0, "start": 0.0, "end": 2.0, "text": " Добрый день", "speaker": "SPEAKER_00"},
        {"id": 1, "start": 2.2, "end": 3.0, "text": " Алло", "speaker": "SPEAKER_01"},
        {"id": 2, "start": 3.0, "end": 2.0, "text": " сломано"},
    ]}, ensure_ascii=False), encoding="utf-8")
    r = load_transcripts(p)
    u = r.utterances
    assert r.report.format == "whisper"
    assert u["call_id"].unique().tolist() == ["rec-0042"]        # id from the file name
    assert u["speaker"].tolist() == ["employee", "client"]      # SPEAKER_00 -> channel 0
    assert u["text"].tolist() == ["Добрый день", "Алло"]
    assert r.report.rows_rejected == 1


def test_whisper_without_speakers_is_unknown():
    r = parse_transcripts(json.dumps({"segments": [{"start": 0, "end": 1, "text": "да"}]}),
                          fmt="whisper", name="x")
    assert r.utterances["speaker"].tolist() == ["unknown"]
    assert r.report.unknown_speaker_rows == 1


def test_speechkit_v2_response(tmp_path):
    doc = {"done": True, "response": {"chunks": [
        {"alternatives": [{"words": [{"startTime": "0.880s", "endTime": "1.160s", "word": "добрый"},
                                     {"startTime": "1.200s", "endTime": "1.500s", "word": "день"}],
                           "text": "добрый день", "confidence": 1}], "channelTag": "1"},
        {"alternatives": [{"words": [{"startTime": "1.9s", "endTime": "2.4s", "word": "алло"}],
                           "text": "алло"}], "channelTag": "2"},
        {"channelTag": "2"},
    ]}}
    p = tmp_path / "call-9.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = load_transcripts(p)
    u = r.utterances
    assert r.report.format == "speechkit"
    # tags 1 and 2 -> 1 = employee, 2 = client; times from the first/last word
    assert u[["speaker", "start", "end"]].values.tolist() == [["employee", 0.88, 1.5],
                                                              ["client", 1.9, 2.4]]
    assert r.report.rejected["reason"].tolist() == ["no 'alternatives' list (SpeechKit JSON)"]


def test_speechkit_v3_stream(tmp_path):
    lines = [
        {"result": {"channelTag": "0", "final": {"channelTag": "0", "alternatives": [
            {"text": "слушаю", "startTimeMs": "500", "endTimeMs": "1500", "words": []}]}}},
        {"result": {"channelTag": "0", "partial": {"alternatives": [{"text": "слу"}]}}},
        {"result": {"channelTag": "1", "final": {"channelTag": "1", "alternatives": [
            {"text": "здравствуйте", "startTimeMs": "1700", "endTimeMs": "2500"}]}}},
    ]
    p = tmp_path / "c5.jsonl"
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    r = load_transcripts(p)
    assert r.utterances[["speaker", "start", "end", "text"]].values.tolist() == [
        ["employee", 0.5, 1.5, "слушаю"], ["client", 1.7, 2.5, "здравствуйте"]]
    assert r.report.rows_read == 3 and r.report.rows_rejected == 1


def test_folder_and_join_by_recording_id(tmp_path):
    (tmp_path / "a").mkdir()
    seg = {"segments": [{"start": 0, "end": 1, "text": "да", "speaker": "SPEAKER_00"}]}
    (tmp_path / "a" / "rec-1.json").write_text(json.dumps(seg), encoding="utf-8")
    (tmp_path / "a" / "rec-2.json").write_text(json.dumps(seg), encoding="utf-8")
    (tmp_path / "a" / "c3.json").write_text(json.dumps(seg), encoding="utf-8")
    calls = pd.DataFrame({"call_id": ["100", "c3"], "record_file": ["rec-1.mp3", None]})
    r = load_transcripts(tmp_path / "a", calls=calls)
    rep = r.report
    assert len(rep.files) == 3
    assert sorted(r.utterances["call_id"]) == ["100", "c3", "rec-2"]
    assert rep.joined_by == "call_id+record_file"
    assert rep.calls_matched == 2 and rep.unmatched == ["rec-2"]
    assert "1 transcript(s) (1 rows) with no call" in str(rep) and "no call: rec-2" in str(rep)
    assert rep.unmatched_rows == 1
    t = rep.table()
    assert t.loc[t["record"] == "unmatched_id", "transcript_id"].tolist() == ["rec-2"]
    assert t.set_index("record").loc["calls_matched", "value"] == 2


def test_bad_json_file(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormatError, match="x.json: not valid JSON"):
        load_transcripts(p)


_CSV = ("call_id,speaker,start,end,text\n"
        "c1,employee,0,2,Добрый день компания Фильтр-Сервис\n"
        "c1,client,2,4,Здравствуйте нужен фильтр\n"
        "c1,client,x,4,плохое время\n")


@pytest.mark.parametrize("encoding, label", [
    ("utf-16", "utf-16"),            # with a BOM (Windows "Unicode" save)
    ("utf-16-le", "utf-16-le"),      # without a BOM
    ("utf-16-be", "utf-16-be"),
    ("utf-8-sig", "utf-8-sig"),
    ("cp1251", "cp1251"),
    ("koi8_r", "koi8-r"),
])
def test_encodings_are_read_and_reported(tmp_path, encoding, label):
    p = tmp_path / "t.csv"
    p.write_bytes(_CSV.encode(encoding))
    r = load_transcripts(p)
    rep = r.report
    # 3 data rows: two loaded, the bad time rejected with its line (4) and reason
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (3, 2, 1)
    assert rep.encodings == {"t.csv": label} and rep.as_dict()["encoding"] == label
    assert r.utterances["text"].tolist()[0] == "Добрый день компания Фильтр-Сервис"
    assert rep.rejected.iloc[0]["source_row"] == 4
    assert "start 'x'" in rep.rejected.iloc[0]["reason"]
    line = rep.summary_line()
    assert line.startswith("transcripts: 3 rows read, 2 loaded, 1 rejected") and "t.csv line 4" in line


def test_utf16_jsonl_is_read_not_rejected(tmp_path):
    rows = [{"call_id": "c1", "speaker": "employee", "start": i, "end": i + 1, "text": "алло"}
            for i in range(50)]
    p = tmp_path / "t.jsonl"
    p.write_bytes("\n".join(json.dumps(x, ensure_ascii=False) for x in rows).encode("utf-16"))
    rep = load_transcripts(p).report
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (50, 50, 0)


def test_binary_and_all_rejected_are_refused(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes(b"RIFF\x00\x01\x00\x00WAVEfmt \x10\x00\x00\x00" * 20)
    with pytest.raises(InputError, match="t.csv: binary data"):
        load_transcripts(p)
    p.write_text("call_id,speaker,start,end,text\nc1,boss,0,1,да\nc1,boss,1,2,нет\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"none of the 2 transcript rows could be loaded; first "
                                         r"rejected: t.csv line 2: speaker 'boss'"):
        load_transcripts(p)


def test_load_table_lists_every_rejected_line(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(_CSV + "c2,client,5,4,наоборот\n", encoding="utf-8")
    t = load_transcripts(p).report.table()
    assert list(t.columns) == ["record", "value", "file", "line", "transcript_id", "reason", "raw"]
    rej = t.loc[t["record"] == "rejected"]
    assert rej["line"].tolist() == [4, 5]
    counts = t.dropna(subset=["value"]).set_index("record")["value"]
    assert (counts["rows_read"], counts["rows_loaded"], counts["rows_rejected"]) == (4, 2, 2)
    assert t.loc[t["record"] == "file", "reason"].tolist() == ["utf-8"]
