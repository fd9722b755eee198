import functools

from django.contrib.auth.models import AnonymousUser

from gmg_portal.permissions import focal_point_agency_id


def focal_point(request):
    """`speaks_for`: the agency id of a reader who is a focal point (the "My agency" link), else None.

    The same rule as the page cache's audience, so a page shared within an audience links alike for all of it.
    A callable: read only by a template that asks (the admin's pages do not).
    """
    user = getattr(request, "user", None) or AnonymousUser()
    return {"speaks_for": functools.partial(focal_point_agency_id, user)}
