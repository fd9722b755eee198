"""The API's JSON parser: a body nested too deeply, or text that is not text, is bad input (400), not a 500.

Python's json module parses nested arrays and objects recursively: a body
such as 100,000 `[` (100 KB, well under the size limit) exhausts the
interpreter's recursion limit and raises RecursionError, which DRF's
JSONParser does not catch — a 500. Here it is a ParseError, a 400 that says
why. (The parser gives up at the recursion limit, a thousand levels in, so
such a body costs no more than a short one.) A string holding a lone
surrogate (half of a UTF-16 pair, which JSON may escape) cannot be encoded as UTF-8,
so even the error quoting it failed: it is refused here, naming its field.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        where = _lone_surrogate(data)
        if where is not None:
            # JSON may escape half of a UTF-16 pair ("\ud800"): not text, and no answer quoting it can be encoded.
            field = where or api_settings.NON_FIELD_ERRORS_KEY
            raise ParseError({field: ["Not valid text: a lone surrogate (\\ud800–\\udfff)."]})
        return data


def _lone_surrogate(value: Any, where: str = "") -> str | None:
    """The field (dotted path, "" for the body itself) of the first string holding a lone surrogate, else None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        path = f"{where}.{key}" if where else str(key)
        found = _lone_surrogate(key, path) if isinstance(key, str) else None
        found = found if found is not None else _lone_surrogate(item, path)
        if found is not None:
            return found
    return None
