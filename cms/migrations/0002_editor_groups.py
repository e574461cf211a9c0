"""Give the "Editors" and "Moderators" groups what their names say.

Wagtail's own migrations create both groups with page rights on the root (editors add and
edit, moderators also publish and lock), image and document rights, admin access and the
"Moderators approval" workflow. This adds what the project's content needs: the taxonomies
and translations. Editors may add and change taxonomies; only moderators may delete them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TAXONOMIES = ["topic", "project", "member"]
GROUP_RIGHTS = {
    "Editors": ["add", "change", "view"],
    "Moderators": ["add", "change", "delete", "view"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after migrate; this migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUP_RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        codenames = [f"{action}_{model}" for action in actions for model in TAXONOMIES]
        permissions = list(
            Permission.objects.filter(content_type__app_label="cms", codename__in=codenames)
        )
        permissions += list(
            Permission.objects.filter(
                content_type__app_label="simple_translation", codename="submit_translation"
            )
        )
        permissions += list(
            Permission.objects.filter(
                content_type__app_label="wagtailadmin", codename="access_admin"
            )
        )
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUP_RIGHTS):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label__in=["cms", "simple_translation"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0006_formstate"),
        ("simple_translation", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
