"""The API's JSON parser: a body nested too deeply is bad input (400), not a server error.

Python's json module parses nested arrays and objects recursively: a body
such as 100,000 `[` (100 KB, well under the size limit) exhausts the
interpreter's recursion limit and raises RecursionError, which DRF's
JSONParser does not catch — a 500. Here it is a ParseError, a 400 that says
why. (The parser gives up at the recursion limit, a thousand levels in, so
such a body costs no more than a short one.)
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
