from django.db import migrations, models


class Migration(migrations.Migration):
    """Queries registered before the cap existed are pinned: nothing tells a deploy's from a
    client's, and a deploy's must never be dropped."""

    dependencies = [
        ("cms", "0003_persisted_query"),
    ]

    operations = [
        migrations.AddField(
            model_name="persistedquery",
            name="pinned",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="persistedquery",
            name="pinned",
            field=models.BooleanField(
                default=False,
                help_text="Loaded by manage.py graphql_persist: kept whatever the cap on the "
                "queries clients register.",
            ),
        ),
        migrations.AddIndex(
            model_name="persistedquery",
            index=models.Index(fields=["pinned", "created_at"], name="persisted_query_age"),
        ),
    ]
