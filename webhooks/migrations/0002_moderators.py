"""Moderators configure webhooks: every right on endpoints, and reading their deliveries.
Editors get none (an endpoint's URL and secret decide where content announcements go)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RIGHTS = ["add_endpoint", "change_endpoint", "delete_endpoint", "view_endpoint", "view_delivery"]


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs them now.
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="webhooks", codename__in=RIGHTS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Moderators"):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="webhooks"))


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("cms", "0002_editor_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
