from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.demo import ensure_admin, load_demo
from catalogue.records import CatalogueError


class Command(BaseCommand):
    help = (
        "Set up the demo (development only): the six locales, the network's site and the "
        "conference site with their page trees, the demo catalogue with demo PDFs and covers, "
        "and an admin user. Safe to run again: it creates only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (it creates an admin user with a printed password)",
        )
        parser.add_argument("--no-admin", action="store_true", help="Do not create the admin user")

    def handle(self, *args, force: bool, no_admin: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_load is for development (DEBUG is off). Use --force if you mean it."
            )
        say = self.stdout.write
        try:
            reports = load_demo(say)
        except CatalogueError as error:
            raise CommandError(
                "The demo catalogue is broken:\n" + "\n".join(error.problems)
            ) from error
        if not no_admin:
            ensure_admin(say)
        created = sum(sum(r.created.values()) for r in reports)
        unchanged = sum(sum(r.unchanged.values()) for r in reports)
        self.stdout.write(
            self.style.SUCCESS(f"Demo ready: {created} records created, {unchanged} already there.")
        )
