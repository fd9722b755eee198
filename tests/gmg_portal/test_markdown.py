"""Narratives are Markdown rendered to sanitised HTML: nothing runs, nothing loads from elsewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.template import Context
from django.template import Template

from gmg_portal.markdown import render_markdown


class Parsed(HTMLParser):
    """Every tag and attribute of the rendered HTML, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.comments: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)


ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "#")

HOSTILE = {
    "script": "Before<script>alert(1)</script>after",
    "script-in-markdown-paragraph": "A paragraph\n\n<script src=https://evil.example/x.js></script>",
    "style": "<style>body { display: none }</style>Visible",
    "style-import": "<style>@import url(https://evil.example/x.css);</style>Text",
    "style-attribute": '<p style="background: url(https://evil.example/track.png)">Text</p>',
    "iframe": '<iframe src="https://evil.example/"></iframe>Text',
    "img-onerror": '<img src="x" onerror="alert(1)">',
    "onclick": '<a href="https://www.ilo.org" onclick="alert(1)">ILO</a>',
    "onmouseover-on-allowed-tag": '<strong onmouseover="alert(1)">bold</strong>',
    "javascript-link": "[click](javascript:alert(1))",
    "javascript-link-mixed-case": "[click](JaVaScRiPt:alert(1))",
    "javascript-link-entity": '<a href="jav&#x09;ascript:alert(1)">click</a>',
    "javascript-link-html": '<a href="javascript:alert(1)">click</a>',
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript-link": '<a href="vbscript:msgbox(1)">click</a>',
    "remote-img": '<img src="https://evil.example/track.png" alt="pixel">',
    "markdown-image": "![pixel](http://evil.example/track.png)",
    "markdown-image-reference": "![pixel][p]\n\n[p]: https://evil.example/track.png",
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">Text',
    "object": '<object data="https://evil.example/x.swf"></object>Text',
    "embed": '<embed src="https://evil.example/x.swf">Text',
    "svg-script": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>Text',
    "svg-onload": '<svg onload="alert(1)"><circle r="5"/></svg>Text',
    "comment-hiding-script": "Visible <!-- <script>alert(1)</script> --> text",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]-->Text",
    "form": '<form action="https://evil.example/"><input name="q"><button>Go</button></form>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "math-href": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "audio-video": '<video src="https://evil.example/v.mp4"></video><audio src="https://evil.example/a.mp3"></audio>',
    "frameset": '<frameset><frame src="https://evil.example/"></frameset>',
}

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "img", "link", "object", "embed", "svg", "math",
    "form", "input", "button", "meta", "base", "video", "audio",
}  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_is_made_harmless(hostile):
    html = str(render_markdown(hostile))
    parsed = Parsed(html)

    assert not FORBIDDEN_TAGS & set(parsed.tags), html
    assert not [name for _, name, _ in parsed.attributes if name.startswith("on")], html
    assert not [name for _, name, _ in parsed.attributes if name in {"style", "src", "srcset", "action"}], html
    for tag, name, value in parsed.attributes:
        if name == "href":
            assert value.startswith(ALLOWED_SCHEMES), f"<{tag} href={value!r}>"
    assert parsed.comments == []
    assert "alert(1)" not in "".join(parsed.text)  # a script's body does not survive as text either
    assert "evil.example" not in html


def test_text_around_removed_content_is_kept():
    assert "".join(Parsed(str(render_markdown("Before<script>alert(1)</script>after"))).text) == "Beforeafter"
    assert "Visible" in str(render_markdown("<style>body { display: none }</style>Visible"))
    assert "text" in str(render_markdown("Visible <!-- <script>alert(1)</script> --> text"))


def test_ordinary_markdown_is_rendered():
    html = str(
        render_markdown(
            "The **GMG** met in *Geneva*; see [the report](https://www.globalmigrationgroup.org/report) "
            "or write to <mailto:secretariat@example.org>.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        )
    )

    assert "<strong>GMG</strong>" in html and "<em>Geneva</em>" in html
    assert '<a href="https://www.globalmigrationgroup.org/report" rel="noopener noreferrer">the report</a>' in html
    assert 'href="mailto:secretariat@example.org"' in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_footnotes_are_rendered_as_a_list_with_links_both_ways():
    html = str(
        render_markdown(
            "The GMG Principals met in May 2014.[^1] They adopted a statement.[^2]\n\n"
            "[^1]: At the ILO in Geneva.\n[^2]: Published on the GMG website."
        )
    )
    parsed = Parsed(html)

    # The references in the text, numbered in order, linking to their notes.
    references = re.findall(r'<sup id="fnref:(\d)"><a href="#fn:(\d)"[^>]*>(\d)</a></sup>', html)
    assert references == [("1", "1", "1"), ("2", "2", "2")]
    # The notes: an ordered list whose items link back to the references.
    assert '<div class="footnote">' in html
    notes = re.search(r"<ol>(.*)</ol>", html, re.S).group(1)
    assert re.findall(r'<li id="fn:(\d)">', notes) == ["1", "2"]
    assert "At the ILO in Geneva." in notes and "Published on the GMG website." in notes
    assert ("a", "href", "#fnref:1") in parsed.attributes and ("a", "href", "#fnref:2") in parsed.attributes


@pytest.mark.parametrize("empty", [None, ""])
def test_nothing_renders_as_nothing(empty):
    assert render_markdown(empty) == ""


def test_the_result_is_marked_safe_for_templates():
    rendered = Template("{{ html }}").render(Context({"html": render_markdown("**bold**")}))

    assert rendered == "<p><strong>bold</strong></p>"
