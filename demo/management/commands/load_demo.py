import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from wagtail.models import Site

from demo import renditions
from demo.loader import DemoContentError, DemoLoader, load_demo
from demo.reviews import load_reviews
from demo.workflow import load_workflow

# Each page save logs its search-index and reference-index tasks; a summary says more.
CHATTY_LOGGERS = ["wagtail", "django_tasks"]


@contextmanager
def quieter(names, level):
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)


def refresh_planner_statistics():
    """On PostgreSQL, after the bulk load: what autovacuum does within minutes, at once (PostgreSQL's docs advise it
    after loading data). Until then the planner has no statistics for the new rows and the search index's new
    entries wait in its pending list, so a search read every page's index entry instead of using
    search/migrations/0001's index: 2.3 ms a search instead of 0.2. Not inside a transaction (a test's), where
    VACUUM cannot run."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


class Command(BaseCommand):
    help = "Load the Northwind Studio demo store, or bring it back in line with the demo content. Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            metavar="N",
            help="Fill the shop up to N products in total with generated ones (for benchmarks). "
            "Re-running with the same N adds nothing; a smaller N removes nothing.",
        )
        parser.add_argument(
            "--renditions",
            choices=["all", "home", "none"],
            help="Cut the renditions of every demo page's pictures, of the home page's only (make run cuts the "
            "rest beside the server with cut_demo_renditions), or none. Default: all, or none where the "
            "DEMO_RENDITIONS setting is off.",
        )

    def handle(self, *args, **options):
        if options["products"] < 0:
            raise CommandError("--products must be 0 or more.")
        level = logging.NOTSET if options["verbosity"] > 1 else logging.WARNING
        try:
            with quieter(CHATTY_LOGGERS, level):
                report = load_demo(products=options["products"])
                team_logins = load_workflow(report)  # the editor, the moderator and the review between them
                load_reviews(report)
                report.counts = DemoLoader.counts()  # again: the team and the reviewers are users too
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        cut = self.cut_renditions(options["renditions"] or ("all" if settings.DEMO_RENDITIONS else "none"))
        refresh_planner_statistics()
        if options["verbosity"] > 0:
            for line in report.change_lines():
                self.stdout.write(line)
            if cut is not None:
                self.stdout.write(cut.line())
            self.stdout.write(self.style.SUCCESS("Demo store ready:"))
            for name, count in report.counts.items():
                self.stdout.write(f"  {name:<22} {count}")
        if report.admin:
            self.stdout.write(report.admin)
        if report.customer:
            self.stdout.write(report.customer)
        for line in team_logins:
            self.stdout.write(line)

    def cut_renditions(self, which):
        if which == "none":
            return None
        site = Site.objects.get(is_default_site=True)
        return renditions.cut(site, pages=[site.root_page.specific] if which == "home" else None)
