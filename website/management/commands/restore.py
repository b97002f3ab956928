from django.core.management.base import BaseCommand, CommandError

from website.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by the backup command: the database, public media and private files."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz the backup command wrote")
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite the current database, media and private files"
        )

    def handle(self, *args, archive, replace, **options):
        try:
            restore_backup(archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {archive}. Restart the app servers so no process keeps the old data.")
