"""`{% colon %}`: the colon after a label ("Chair: ILO"), as the page's language writes it (a builtin tag).

French sets a no-break space before it ("Présidence\u00a0: OIT"); English and Spanish do not. Written
after `{% translate "Chair" %}` rather than inside every label's message, so one catalog entry says it.
"""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag
def colon() -> str:
    return pgettext("the punctuation after a label", ":")
