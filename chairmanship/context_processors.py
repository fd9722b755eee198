from django.utils.functional import SimpleLazyObject

from chairmanship.selectors import rotation_around


def current_chairmanship(request):
    """The current term and troika for the base layout; one query, only if a template asks."""
    return {"rotation": SimpleLazyObject(rotation_around)}
