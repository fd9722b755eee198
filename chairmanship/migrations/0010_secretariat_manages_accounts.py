"""The Secretariat creates and edits accounts (no deletion: an account is deactivated) and links focal points.

The admin keeps a non-superuser away from superuser accounts and from
permissions (chairmanship/account_admin.py), so this grants no way up.
"""

from django.db import migrations

GRANTS = {
    ("auth", "user"): ["view", "add", "change"],
    ("chairmanship", "focalpoint"): ["view", "add", "change", "delete"],
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the grant needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    for (app_label, model), actions in GRANTS.items():
        codenames = [f"{action}_{model}" for action in actions]
        secretariat.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for secretariat in Group.objects.filter(name="Secretariat"):
        for (app_label, model), actions in GRANTS.items():
            codenames = [f"{action}_{model}" for action in actions]
            secretariat.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("chairmanship", "0009_readers_are_not_staff"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
