"""The roles for editions: the secretariat views and issues them; agencies and principals view them."""

from django.db import migrations

SECRETARIAT_CODENAMES = ["view_reportedition", "add_reportedition"]
READER_CODENAMES = ["view_reportedition"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Secretariat", SECRETARIAT_CODENAMES), ("Agency", READER_CODENAMES), ("Principal", READER_CODENAMES)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="reports", codename__in=codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Secretariat", "Agency", "Principal"]):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="reports"))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_editions"),
        ("chairmanship", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
