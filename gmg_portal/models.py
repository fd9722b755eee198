"""The core's own tables."""

from django.db import models


class Generation(models.Model):
    """One of gmg_portal.cache's numbers (the data, the sign-ins), kept here where no cache is shared.

    With a cache every process sees (Redis) the numbers live there. With a
    per-process one (locmem, dummy) they live in this table, so that every
    process — each gunicorn worker, the job worker, a command — sees the
    others' changes: bumped after every commit that changed what it counts,
    read once per request.
    """

    name = models.CharField(primary_key=True, max_length=40)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
