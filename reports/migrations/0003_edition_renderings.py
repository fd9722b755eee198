"""An edition is rendered in every language: the HTML and PDF move to ReportEditionRendering, one per language.

Editions stored before keep their one rendering, in the language they were
rendered in (ReportEdition.language); the JSON of the data stays on the edition.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_renderings(apps, schema_editor):
    ReportEdition = apps.get_model("reports", "ReportEdition")
    ReportEditionRendering = apps.get_model("reports", "ReportEditionRendering")
    for edition in ReportEdition.objects.order_by("pk").iterator(chunk_size=20):
        ReportEditionRendering.objects.create(
            edition=edition,
            language=edition.language,
            title=(edition.data or {}).get("title", ""),
            html=edition.html,
            pdf=edition.pdf,
        )


def restore_renderings(apps, schema_editor):
    ReportEdition = apps.get_model("reports", "ReportEdition")
    ReportEditionRendering = apps.get_model("reports", "ReportEditionRendering")
    for edition in ReportEdition.objects.order_by("pk").iterator(chunk_size=20):
        rendering = ReportEditionRendering.objects.filter(edition=edition, language=edition.language).first()
        if rendering is not None:
            edition.html, edition.pdf = rendering.html, rendering.pdf
            edition.save(update_fields=["html", "pdf"])


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_edition_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportEditionRendering",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("title", models.TextField(verbose_name="title")),
                ("html", models.TextField(verbose_name="HTML")),
                ("pdf", models.BinaryField(verbose_name="PDF")),
                (
                    "edition",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="renderings",
                        to="reports.reportedition",
                        verbose_name="report edition",
                    ),
                ),
            ],
            options={
                "verbose_name": "report edition rendering",
                "verbose_name_plural": "report edition renderings",
                "ordering": ["edition", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("edition", "language"), name="report_edition_rendering_one_per_language"
                    )
                ],
            },
        ),
        # Defaults first, so that migrating back re-adds the columns on existing rows.
        migrations.AlterField(
            model_name="reportedition", name="html", field=models.TextField(default="", verbose_name="HTML")
        ),
        migrations.AlterField(
            model_name="reportedition", name="pdf", field=models.BinaryField(default=b"", verbose_name="PDF")
        ),
        migrations.RunPython(move_renderings, restore_renderings),
        migrations.RemoveField(model_name="reportedition", name="html"),
        migrations.RemoveField(model_name="reportedition", name="pdf"),
        migrations.AlterField(
            model_name="reportedition",
            name="language",
            field=models.CharField(
                help_text="The language of the stored data (the portal's default language).",
                max_length=10,
                verbose_name="language",
            ),
        ),
    ]
