"""HTML forms as a browser submits them: every POST form of a page, its fields with the values shown."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser


@dataclass
class HtmlForm:
    action: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # names of <input type="file">
    submits: list[tuple[str, str]] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)  # every option of each <select>

    def data(self, *, submit: tuple[str, str] | None = None) -> dict[str, list[str]]:
        """What the browser sends: the fields, and the first named submit button (or the one given)."""
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        pressed = submit or (self.submits[0] if self.submits else None)
        if pressed:
            data.setdefault(pressed[0], []).append(pressed[1])
        return data


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = HtmlForm(action=a.get("action", ""), enctype=a.get("enctype", ""))
            self.forms.append(self._form)
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form.files.append(name)
            elif kind in ("submit", "image"):
                self._form.submits.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind not in ("button", "reset"):
                self._form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._form.submits.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._option_value = a.get("value")
            self._option_text = ""
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        if self._select is not None and self._option_value is None and self._options:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None and self._options and self._option_value is None:
            value, selected = self._options[-1]
            self._options[-1] = (value or self._option_text.strip(), selected)
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            values = [value for value, _ in self._options]
            self._form.selects[name] = values
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and values:
                chosen = values[:1]
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def post_forms(html: str) -> list[HtmlForm]:
    """Every form of the page that is sent with POST."""
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
