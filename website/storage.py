"""Where the shop's files live on disk: public media (pictures) and paid files."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Paid files and Wagtail documents: stored outside MEDIA_ROOT and given no URL at all (Django would
    otherwise fall back to MEDIA_URL). Buyers get them through /downloads/<token>/; editors through
    Wagtail's document view, which streams a file whose storage has no URL."""

    def url(self, name):
        # NotImplementedError, not ValueError: Wagtail's document view catches exactly this and streams.
        raise NotImplementedError("Private files have no URL; they are served by /downloads/<token>/.")


class MediaFileSystemStorage(FileSystemStorage):
    """Public media: the pictures and their renditions. A product page shows dozens of picture sizes, and
    Django works out each URL with urljoin and quoting, a sixth of a first render's time. The same name always
    gives the same URL under the same MEDIA_URL, so each is worked out once per process and kept."""

    MAX_KEPT = 50_000  # names of about 60 characters: a few MB a process at most

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name):
        key = (self.base_url, name)  # MEDIA_URL may change (tests override it): keyed by it too
        try:
            return self._urls[key]
        except KeyError:
            pass
        url = super().url(name)
        if len(self._urls) >= self.MAX_KEPT:
            self._urls.clear()
        self._urls[key] = url
        return url
