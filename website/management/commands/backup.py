from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from website.backup import BackupError, default_backup_name, make_backup


class Command(BaseCommand):
    help = (
        "Back up the SQLite database (online, consistent while the site runs), public media and private files "
        "into one .tar.gz. On PostgreSQL, use pg_dump."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="PATH", help="Archive to write (default: DATA_DIR/backups/<time>.tar.gz)"
        )

    def handle(self, *args, output=None, **options):
        try:
            archive = make_backup(output or default_backup_name(settings.DATA_DIR / "backups"))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {archive}")
