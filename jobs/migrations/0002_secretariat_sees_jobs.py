"""The secretariat follows the jobs in the admin (read only: jobs are made by the portal)."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="jobs", codename="view_job")
    for group in Group.objects.filter(name="Secretariat"):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type__app_label="jobs", codename="view_job"):
        permission.group_set.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("chairmanship", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
