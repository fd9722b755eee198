"""The three roles of DESIGN.md as groups: the secretariat writes, agencies and principals read."""

from django.db import migrations

DOMAIN_MODELS = {
    "chairmanship": ["agency", "chairmanship", "accomplishment", "recommendation", "endorsement", "carryforwardissue"],
    "workplan": [
        "multiannualworkplan",
        "overarchingobjective",
        "focusarea",
        "objective",
        "activity",
        "workinggroup",
        "event",
        "output",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(
        content_type__app_label__in=DOMAIN_MODELS,
        content_type__model__in=[m for models in DOMAIN_MODELS.values() for m in models],
    )
    secretariat, _ = Group.objects.get_or_create(name="Secretariat")
    secretariat.permissions.set(every)
    for name in ("Agency", "Principal"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(every.filter(codename__startswith="view_"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Secretariat", "Agency", "Principal"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("chairmanship", "0003_terms_do_not_overlap"),
        ("workplan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
