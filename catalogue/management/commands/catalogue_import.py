from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from catalogue.importer import import_catalogue
from catalogue.records import CatalogueError, read_catalogue


class Command(BaseCommand):
    help = (
        "Import a catalogue file (JSON with topics, projects, members, publications, positions "
        "and press_releases; or CSV with one publication per row) into a site. Idempotent: a "
        "second run changes nothing, a changed record becomes a new published revision. All or "
        "nothing per file: with any bad record, nothing is written and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .json or .csv file to import")
        parser.add_argument(
            "--site",
            default="",
            help="Hostname of the Wagtail site to import into (default: the default site)",
        )
        parser.add_argument(
            "--demo-files",
            action="store_true",
            help="Make a small demo PDF for each listed language that has no file, and a demo "
            "cover for each publication without one (for demo data only)",
        )

    def handle(self, *args, path: Path, site: str, demo_files: bool, **options):
        target = self.site(site)
        try:
            catalogue = read_catalogue(path)
            self.stdout.write(f"{path}: {len(catalogue)} records read and checked.")
            report = import_catalogue(
                catalogue,
                site=target,
                demo_files=demo_files,
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except CatalogueError as error:
            lines = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(
                f"{path}: nothing was imported; fix these {len(error.problems)} problem(s) and "
                f"run the import again:\n{lines}"
            ) from error
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  ! {warning}"))
        self.stdout.write(self.style.SUCCESS(f"{path} into {target.hostname}: {report.summary()}."))

    def site(self, hostname: str) -> Site:
        if not hostname:
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                raise CommandError(
                    "There is no default site: create one in the admin (Settings > Sites)."
                )
            return site
        site = Site.objects.filter(hostname=hostname).first()
        if site is None:
            known = ", ".join(Site.objects.values_list("hostname", flat=True)) or "none"
            raise CommandError(f"No site with hostname {hostname!r} (known: {known}).")
        return site
