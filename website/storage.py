"""Where paid files live on disk."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Paid files and Wagtail documents: stored outside MEDIA_ROOT and given no URL at all (Django would
    otherwise fall back to MEDIA_URL). Buyers get them through /downloads/<token>/; editors through
    Wagtail's document view, which streams a file whose storage has no URL."""

    def url(self, name):
        # NotImplementedError, not ValueError: Wagtail's document view catches exactly this and streams.
        raise NotImplementedError("Private files have no URL; they are served by /downloads/<token>/.")
