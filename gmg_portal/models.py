"""The core's own tables."""

from django.db import models


class Generation(models.Model):
    """One of gmg_portal.cache's numbers (the data, the sign-ins), shared by every process of a deployment.

    Each gunicorn worker, the job worker and every command sees the others'
    changes through it: bumped after every commit that changed what it counts,
    read once per request, with Redis or without it.
    """

    name = models.CharField(primary_key=True, max_length=40)
    value = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
