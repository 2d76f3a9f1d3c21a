"""Text from data in the report's Markdown stays literal (issue 13, item 3): a name with
``[x](http://…)`` is no link, ``~~…~~`` no strikethrough, ``$…$`` no MathJax, ``<b>`` no markup."""
from __future__ import annotations

import html
import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from callkit.report.html import md_escape

FUZZ = int(os.environ.get("CALLKIT_FUZZ_EXAMPLES", "0"))


def _render(text: str) -> str:
    return markdown2html_mistune(text).strip()


def test_the_issue_names():
    name = "ООО «$Ромашка$» [сайт](http://evil.example) ~~x~~ <b>y</b> *z* http://evil.example"
    out = _render("# Аудит: " + md_escape(name))
    out = re.sub(r'<a class="anchor-link"[^>]*>[^<]*</a>', "", out)   # nbconvert's own heading anchor
    assert "<a " not in out and "<del>" not in out and "<b>" not in out and "<em>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == "Аудит: " + name


words = st.text(alphabet="абвгАБВabcXYZ0129 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»", min_size=1, max_size=40)


@settings(max_examples=FUZZ or 200, deadline=None, derandomize=not FUZZ)
@given(text=words.map(lambda t: re.sub(r"\s+", " ", t).strip()).filter(bool))
def test_escaped_text_renders_as_itself(text):
    out = _render(md_escape(text))
    assert re.fullmatch(r"<p>.*</p>", out, re.S), out            # one paragraph, no list/heading/code
    assert html.unescape(out[3:-4]) == text, (text, out)          # no markup, every character kept
