"""Agency and Principal accounts are not staff: the admin is the Secretariat's (they sign in at /accounts/login/).

Only accounts whose every role is a reader's lose `is_staff`; a superuser or a
member of the Secretariat keeps it. Reversing restores nothing (who was staff
before is not known), which is harmless: staff status is the admin's door,
and the admin already refused readers.
"""

from django.db import migrations

READERS = ["Agency", "Principal"]


def readers_are_not_staff(apps, schema_editor):
    User = apps.get_model("auth", "User")
    readers = User.objects.filter(is_staff=True, is_superuser=False, groups__name__in=READERS)
    readers.exclude(groups__name="Secretariat").update(is_staff=False)


class Migration(migrations.Migration):
    dependencies = [
        ("chairmanship", "0008_focal_point"),
    ]

    operations = [migrations.RunPython(readers_are_not_staff, migrations.RunPython.noop)]
