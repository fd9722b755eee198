"""Narratives of a report: sanitised Markdown with footnotes numbered through the whole report.

python-markdown numbers footnotes per document, so every narrative would
start again at 1. The report renders each narrative with
gmg_portal.markdown.render_markdown() (sanitised), then takes its footnotes
out and renumbers them with one counter shared by the whole report, in
reading order. The notes are kept apart so that the web page lists them at
the end and the PDF sets them at the foot of the page (`float: footnote`).

A narrative is also cut after each lead-in paragraph (one that ends with a
colon, "…two key focus areas, namely:"), so that the lists the report
generates from records can be set where the prose announces them, as in
the seed report.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from dataclasses import field
from functools import lru_cache

from gmg_portal.markdown import render_markdown

_FOOTNOTE_DIV = re.compile(r'<div class="footnote">.*?</ol>\s*</div>', re.DOTALL)
_FOOTNOTE_ITEM = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.DOTALL)
_BACKREF = re.compile(r'(?:&nbsp;|&#160;|\xa0)?<a href="#fnref\d*:[^"]+"[^>]*>[^<]*</a>')
_REFERENCE = re.compile(r'<sup id="fnref\d*:([^"]+)"><a href="#fn:[^"]+"[^>]*>\d+</a></sup>')
_OUR_REFERENCE = re.compile(r'<sup class="fn-ref"(?: id="fnref-\d+")?><a href="#fn-(\d+)">\d+</a></sup>')
_LEAD_IN = re.compile(r"<p>((?:(?!</p>).)*?):</p>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Footnote:
    number: int
    html: str  # sanitised; one or more paragraphs
    key: str = ""  # the Markdown label ("mawp"), empty for generated notes

    @property
    def inline_html(self) -> str:
        """The note as phrasing content (for a `float: footnote` span in the PDF)."""
        inner = self.html.strip()
        inner = re.sub(r"</p>\s*<p>", "<br>", inner)
        return re.sub(r"</?p>", "", inner).strip()


@dataclass(frozen=True)
class Segment:
    """A piece of a narrative; `lead_in` is the text of the colon-ended paragraph that closes it, if any."""

    html: str
    lead_in: str = ""


@dataclass
class FootnoteCounter:
    """Numbers footnotes in reading order through the whole report."""

    notes: list[Footnote] = field(default_factory=list)

    def add(self, html: str, *, key: str = "") -> Footnote:
        note = Footnote(number=len(self.notes) + 1, html=html, key=key)
        self.notes.append(note)
        return note


def reference_html(number: int, *, first: bool = True) -> str:
    anchor = f' id="fnref-{number}"' if first else ""
    return f'<sup class="fn-ref"{anchor}><a href="#fn-{number}">{number}</a></sup>'


def render_narrative(
    text: str, *, counter: FootnoteCounter, definitions: dict[str, str] | None = None
) -> list[Segment]:
    """Markdown → sanitised HTML segments, with footnotes renumbered through `counter`.

    `definitions` supplies footnotes the narrative refers to but does not
    define (`[^mawp]` in the 2014 workplan narrative): key → Markdown text.
    A reference whose definition is neither written nor supplied is dropped
    rather than shown as "[^key]".
    """
    if not text or not text.strip():
        return []
    text = _supply_definitions(text, definitions or {})
    rendered = _rendered(text)

    notes_by_key: dict[str, str] = {}
    block = _FOOTNOTE_DIV.search(rendered)
    if block:
        for key, body in _FOOTNOTE_ITEM.findall(block.group(0)):
            notes_by_key[key] = _BACKREF.sub("", body).strip()
        rendered = rendered[: block.start()] + rendered[block.end() :]

    numbers: dict[str, int] = {}

    def renumber(match: re.Match) -> str:
        key = match.group(1)
        if key in numbers:
            return reference_html(numbers[key], first=False)
        note = counter.add(notes_by_key.get(key, ""), key=key)
        numbers[key] = note.number
        return reference_html(note.number)

    rendered = _REFERENCE.sub(renumber, rendered).strip()
    return _split_at_lead_ins(rendered)


@lru_cache(maxsize=512)
def _rendered(text: str) -> str:
    """render_markdown() is a pure function of the text; a repeat report (a cached download) skips it."""
    return str(render_markdown(text))


def inline_footnotes(html: str, *, notes: dict[int, Footnote]) -> str:
    """Replace each reference by its note as a `float: footnote` span (PDF only)."""

    def inline(match: re.Match) -> str:
        note = notes.get(int(match.group(1)))
        if note is None:
            return ""
        return f'<span class="fn">{note.inline_html}</span>'

    return _OUR_REFERENCE.sub(inline, html)


def plain_text(html: str) -> str:
    return html_lib.unescape(_TAGS.sub("", html)).strip()


def _supply_definitions(text: str, definitions: dict[str, str]) -> str:
    for key in set(re.findall(r"\[\^([^\]\s]+)\](?!:)", text)):
        if re.search(rf"^\[\^{re.escape(key)}\]:", text, re.MULTILINE):
            continue
        if key in definitions:
            text = f"{text.rstrip()}\n\n[^{key}]: {definitions[key]}\n"
        else:
            text = text.replace(f"[^{key}]", "")
    return text


def _split_at_lead_ins(rendered: str) -> list[Segment]:
    segments: list[Segment] = []
    position = 0
    for match in _LEAD_IN.finditer(rendered):
        segments.append(Segment(html=rendered[position : match.end()].strip(), lead_in=plain_text(match.group(1))))
        position = match.end()
    tail = rendered[position:].strip()
    if tail or not segments:
        segments.append(Segment(html=tail))
    return segments
