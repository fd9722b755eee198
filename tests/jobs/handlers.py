"""Jobs the engine's tests queue: small real work, and work whose source is unreachable."""

from __future__ import annotations

from jobs.engine import progress
from jobs.models import Job


def count_words(*, job: Job) -> dict[str, int]:
    words = job.params.get("text", "").split()
    progress(job, done=len(words), total=len(words))
    return {"words": len(words)}


def always_fail(*, job: Job) -> None:
    raise RuntimeError("the archive is unreachable")
