from django.core.management.base import BaseCommand, CommandError

from website.backup import BackupError, backup_folder, default_backup_name, make_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: an online copy; PostgreSQL: pg_dump in custom format), public media and "
        "private files into one .tar.gz."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", metavar="PATH", help="Archive to write (default: DATA_DIR/backups/pagecart-<time>.tar.gz)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="Then delete all but the newest N archives in DATA_DIR/backups (the scheduler's nightly backup)",
        )

    def handle(self, *args, output=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            archive = make_backup(output or default_backup_name(backup_folder()))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {archive}")
        if keep is not None:
            deleted = prune_backups(backup_folder(), keep)
            if deleted:
                self.stdout.write(f"Deleted {len(deleted)} older backup(s), keeping the newest {keep}.")
