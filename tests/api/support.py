"""Shared by the API tests: the resources and a valid body to create each."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.api.conftest import World


def create_payload(resource: str, world: World) -> dict:
    """A valid body to create one record of `resource`, naming related records by natural key."""
    slug = world.term.slug
    return {
        "agencies": {"acronym": "NEWAG", "name": "A New Agency"},
        "chairmanships": {
            "agency": "UN DESA",
            "start_date": "2101-07-01",
            "end_date": "2101-12-31",
            "theme": "Migration and development",
        },
        "mawps": {
            "title": "Multi-Annual Work Plan 2104-2106",
            "start_year": 2104,
            "end_year": 2106,
            "overarching_objectives": [{"ordinal": "i", "text": "Coherence."}],
        },
        "focus-areas": {"chairmanship": slug, "letter": "b", "title": "Data"},
        "objectives": {"chairmanship": slug, "text": "Improve data."},
        "activities": {
            "objective": world.objective.pk,
            "title": "A study",
            "lead_agencies": ["UN DESA"],
            "lead_working_groups": [world.group.slug],
        },
        "working-groups": {"name": "Task Force on Something New", "kind": "task_force", "member_agencies": ["UN DESA"]},
        "events": {
            "chairmanship": slug,
            "title": "A side event",
            "kind": "side_event",
            "start_date": "2101-03-04",
            "organisers": ["UN DESA"],
            "working_groups": [world.group.slug],
        },
        "outputs": {
            "chairmanship": slug,
            "title": "A paper",
            "kind": "position_paper",
            "producer_agencies": ["UN DESA"],
        },
        "endorsements": {"output": world.output.pk, "body": "CEB", "outcome": "endorsed"},
        "accomplishments": {"chairmanship": slug, "title": "Something achieved", "events": [world.event.pk]},
        "recommendations": {"chairmanship": slug, "text": "Do more."},
        "carry-forward-issues": {"handed_over_in": slug, "text": "Still to do."},
    }[resource]


RESOURCES = [
    "agencies",
    "chairmanships",
    "mawps",
    "focus-areas",
    "objectives",
    "activities",
    "working-groups",
    "events",
    "outputs",
    "endorsements",
    "accomplishments",
    "recommendations",
    "carry-forward-issues",
]
