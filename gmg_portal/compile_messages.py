"""Compile locale/*/LC_MESSAGES/*.po into .mo files where GNU gettext is missing, with polib.

`make messages` uses Django's compilemessages (GNU msgfmt) where it is
installed and this where it is not; polib leaves out fuzzy, obsolete and
untranslated entries, as msgfmt does.

    python -m gmg_portal.compile_messages [LOCALE_DIR ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib


def compile_po(po_path: Path) -> Path:
    """Write the .mo beside the .po and return its path."""
    mo_path = po_path.with_suffix(".mo")
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return mo_path


def main(locale_dirs: list[Path]) -> int:
    try:
        for po_path in sorted(path for locale_dir in locale_dirs for path in locale_dir.glob("*/LC_MESSAGES/*.po")):
            print(f"compiled {compile_po(po_path)}")
    except OSError as error:  # polib's syntax errors name the file and the line
        print(f"compile_messages: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(arg) for arg in sys.argv[1:]] or [Path(__file__).resolve().parent.parent / "locale"]))
