"""Make sure a demo secretariat account exists, and say how to sign in."""

import os

from django.contrib.auth.models import Group
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create or update the demo admin account (DEMO_ADMIN_USERNAME / DEMO_ADMIN_PASSWORD) and print how to sign in."
    )

    def add_arguments(self, parser) -> None:
        # `make run` passes the HOST:PORT it serves on, so the address printed is the one that answers.
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="HOST:PORT the portal serves on (default 127.0.0.1:8000)"
        )

    def handle(self, *args, **options) -> None:
        username = os.environ.get("DEMO_ADMIN_USERNAME", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "gmg-demo-admin")
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Secretariat"))
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the demo admin account. Sign in at http://{options['address']}/admin/ "
                f"as {username!r} with password {password!r} (set DEMO_ADMIN_PASSWORD to choose another)."
            )
        )
