"""Pages for agencies: the workplan, events (list, detail, iCal, CSV) and working groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import EmptyPage
from django.core.paginator import Page
from django.core.paginator import PageNotAnInteger
from django.core.paginator import Paginator
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_filters import FilterSet

from chairmanship.models import Chairmanship
from chairmanship.selectors import rotation_around
from gmg_portal.forms import label_empty_choices
from gmg_portal.forms import offer_only
from gmg_portal.page_cache import cache_public_response
from workplan import selectors
from workplan.exports import events_csv
from workplan.feeds import events_ical
from workplan.filter_options import Options
from workplan.filter_options import event_filter_options
from workplan.filter_options import output_filter_options
from workplan.filters import EventFilter
from workplan.filters import OutputFilter
from workplan.timeline import events_timeline_svg

ITEMS_PER_PAGE = 25  # events or outputs

RecordT = TypeVar("RecordT")


def _event_filter(request: HttpRequest) -> EventFilter:
    """The events filter bound to the query string (always bound, so the form shows its state)."""
    return EventFilter(request.GET, queryset=selectors.events_for_list(), request=request)


def _read_or_404(read: Callable[..., RecordT], message: str, **lookup: Any) -> RecordT:
    """What the selector `read` finds by `lookup`, or a 404 saying `message` when it raises DoesNotExist."""
    try:
        return read(**lookup)
    except ObjectDoesNotExist:
        raise Http404(message) from None


def _filter_query(request: HttpRequest) -> str:
    """The query string without `page`, for the feed, CSV and pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _errors_text(filterset: EventFilter) -> str:
    lines = [f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()]
    return "\n".join(lines) + "\n"


def _page(paginator: Paginator, number: str | None) -> tuple[Page | None, str]:
    """The requested page, or None and a message saying why it does not exist."""
    try:
        return paginator.page(number or 1), ""
    except PageNotAnInteger:
        return None, _("page: “%(page)s” is not a page number.") % {"page": number}
    except EmptyPage:
        return None, _("page: there is no page %(page)s; the list has %(pages)d page(s).") % {
            "page": number,
            "pages": paginator.num_pages,
        }


def _filtered_page(request: HttpRequest, filterset: FilterSet, options: dict[str, Options]) -> dict[str, Any]:
    """A list page's context: the filter form offering `options`, and the requested page of its results."""
    offer_only(label_empty_choices(filterset), options)
    page, page_error, paginator = None, "", None
    if filterset.is_valid():
        paginator = Paginator(filterset.qs, ITEMS_PER_PAGE)
        page, page_error = _page(paginator, request.GET.get("page"))
    return {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "paginator": paginator,
        "filter_query": _filter_query(request),
    }


@require_safe
def workplan_current(request: HttpRequest) -> HttpResponse:
    """The current term's workplan if it has one, else the latest that has; with none recorded, the current term."""
    term = rotation_around().current  # the rotation rule's home: chairmanship/rotation.py
    if term is None:
        raise Http404(_("No chairmanship has been recorded yet."))
    with_workplan = selectors.terms_with_workplan()
    if with_workplan and term not in with_workplan:
        started = [other for other in with_workplan if other.start_date <= term.start_date]
        term = (started or with_workplan)[0]
    return redirect("workplan:workplan-detail", slug=term.slug)


@require_safe
@cache_public_response()
def workplan_detail(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(Chairmanship.objects.select_related("agency"), slug=slug)
    workplan = selectors.workplan_for_term(chairmanship=term)
    timeline = events_timeline_svg(
        start=term.start_date,
        end=term.end_date,
        events=workplan.events,
        title=_("Events of the %(chair)s chairmanship, %(term)s")
        % {"chair": term.agency.acronym, "term": term.term_label},
    )
    context = {
        "term": term,
        "workplan": workplan,
        "timeline": timeline,
        "term_rotation": rotation_around(term=term),
        "other_workplans": [other for other in selectors.terms_with_workplan() if other != term],
    }
    return render(request, "workplan/workplan_detail.html", context)


@require_safe
@cache_public_response(*EventFilter.base_filters, "page")
def event_list(request: HttpRequest) -> HttpResponse:
    context = _filtered_page(request, _event_filter(request), event_filter_options())
    return render(request, "workplan/event_list.html", context)


@require_safe
def event_ics(request: HttpRequest) -> HttpResponse:
    filterset = _event_filter(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_errors_text(filterset), content_type="text/plain; charset=utf-8")
    body = events_ical(filterset.qs, absolute_url=request.build_absolute_uri, name=_("GMG events"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gmg-events.ics"'
    return response


@require_safe
def event_csv(request: HttpRequest) -> HttpResponse:
    filterset = _event_filter(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_errors_text(filterset), content_type="text/plain; charset=utf-8")
    response = HttpResponse(events_csv(filterset.qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gmg-events.csv"'
    return response


@require_safe
@cache_public_response()
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _read_or_404(selectors.event_detail, _("No event with this number."), pk=pk, user=request.user)
    # What the page shows of a draft report (its key accomplishments) depends on who asks; the page
    # cache keys its copy on the reader's audience (gmg_portal.permissions.audience).
    context = {"event": event, "related_outputs": selectors.event_related_outputs(event=event, user=request.user)}
    return render(request, "workplan/event_detail.html", context)


@require_safe
@cache_public_response(*OutputFilter.base_filters, "page")
def output_list(request: HttpRequest) -> HttpResponse:
    filterset = OutputFilter(request.GET, queryset=selectors.outputs_for_list(), request=request)
    context = _filtered_page(request, filterset, output_filter_options())
    return render(request, "workplan/output_list.html", context)


@require_safe
@cache_public_response()
def output_detail(request: HttpRequest, pk: int) -> HttpResponse:
    output = _read_or_404(selectors.output_detail, _("No output with this number."), pk=pk, user=request.user)
    # Like an event's page, its key accomplishments depend on who asks (the cached copy is the audience's).
    return render(request, "workplan/output_detail.html", {"output": output})


@require_safe
@cache_public_response()
def working_group_list(request: HttpRequest) -> HttpResponse:
    return render(request, "workplan/working_group_list.html", {"groups": list(selectors.working_groups_for_list())})


@require_safe
@cache_public_response()
def working_group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = _read_or_404(selectors.working_group_detail, _("No working group with this name."), slug=slug)
    return render(request, "workplan/working_group_detail.html", {"page": page, "group": page.group})
