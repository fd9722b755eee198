"""Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext.

`make messages` uses Django's compilemessages (GNU msgfmt) where it is
installed and this module where it is not, so `make run` and `make test`
need nothing installed by hand. Fuzzy entries and empty translations are left
out, as msgfmt does. The .mo layout follows GNU gettext's (the same as
CPython's Tools/i18n/msgfmt.py): a header, two tables of (length, offset)
pairs, then the NUL-terminated strings, keys sorted.

    python -m gmg_portal.compile_messages [LOCALE_DIR ...]
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

MO_MAGIC = 0x950412DE


class PoSyntaxError(ValueError):
    pass


@dataclass
class _Entry:
    msgctxt: str | None = None
    msgid: str | None = None  # None until the entry's msgid line is read
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False


def _unquote(text: str, path: Path, line_number: int) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise PoSyntaxError(f"{path}:{line_number}: expected a quoted string, got {text!r}")
    # A PO string uses C escapes (\n, \t, \", \\), which a Python literal reads the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[_Entry]:
    """The entries of a .po file (obsolete `#~` entries are skipped)."""
    entries: list[_Entry] = []
    entry = _Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry.msgid is not None:
            entries.append(entry)
        entry, target = _Entry(), None

    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if entry.msgid is not None and target is not None and target[0] == "msgstr":
                finish()  # a comment after msgstr starts the next entry
            if line.startswith("#,") and "fuzzy" in {flag.strip() for flag in line[2:].split(",")}:
                entry.fuzzy = True
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt":
            if entry.msgid is not None:
                finish()
            entry.msgctxt, target = _unquote(rest, path, line_number), ("msgctxt", 0)
        elif keyword == "msgid":
            if entry.msgid is not None:
                finish()
            entry.msgid, target = _unquote(rest, path, line_number), ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.msgid_plural, target = _unquote(rest, path, line_number), ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.msgstr[0], target = _unquote(rest, path, line_number), ("msgstr", 0)
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            index = int(keyword[7:-1])
            entry.msgstr[index], target = _unquote(rest, path, line_number), ("msgstr", index)
        elif line.startswith('"'):
            if target is None:
                raise PoSyntaxError(f"{path}:{line_number}: a continuation line outside an entry")
            text = _unquote(line, path, line_number)
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, getattr(entry, name) + text)
        else:
            raise PoSyntaxError(f"{path}:{line_number}: unexpected line {raw!r}")
    finish()
    return entries


def catalog(entries: list[_Entry]) -> dict[bytes, bytes]:
    """Keys and values as a .mo file stores them; fuzzy and untranslated entries left out (the header is kept)."""
    messages: dict[bytes, bytes] = {}
    for entry in entries:
        is_header = entry.msgid == "" and entry.msgctxt is None
        if entry.fuzzy and not is_header:
            continue
        if entry.msgid_plural is not None:
            forms = [entry.msgstr.get(index, "") for index in range(max(entry.msgstr, default=-1) + 1)]
            if not forms or not all(forms):
                continue
            key = f"{entry.msgid}\0{entry.msgid_plural}"
            value = "\0".join(forms)
        else:
            value = entry.msgstr.get(0, "")
            if not value:
                continue
            key = entry.msgid or ""
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        messages[key.encode("utf-8")] = value.encode("utf-8")
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    keys = sorted(messages)
    ids = b"".join(key + b"\0" for key in keys)
    strs = b"".join(messages[key] + b"\0" for key in keys)
    count = len(keys)
    key_start = 7 * 4 + 16 * count  # header + both tables
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    key_offset = value_offset = 0
    for key in keys:
        key_table += [len(key), key_start + key_offset]
        value_table += [len(messages[key]), value_start + value_offset]
        key_offset += len(key) + 1
        value_offset += len(messages[key]) + 1
    header = struct.pack("Iiiiiii", MO_MAGIC, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    tables = struct.pack(f"{len(key_table)}i", *key_table) + struct.pack(f"{len(value_table)}i", *value_table)
    return header + tables + ids + strs


def compile_po(po_path: Path) -> Path:
    """Write the .mo beside the .po and return its path."""
    mo_path = po_path.with_suffix(".mo")
    mo_path.write_bytes(mo_bytes(catalog(parse_po(po_path))))
    return mo_path


def compile_locale_dirs(locale_dirs: list[Path]) -> list[Path]:
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            written.append(compile_po(po_path))
    return written


def main(argv: list[str]) -> int:
    locale_dirs = [Path(arg) for arg in argv] or [Path(__file__).resolve().parent.parent / "locale"]
    try:
        written = compile_locale_dirs(locale_dirs)
    except PoSyntaxError as error:
        print(f"compile_messages: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"compiled {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
