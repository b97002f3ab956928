"""What this process serves, as one short fingerprint: the static files' manifest, our templates and Python code, and
the versions of Django and Wagtail.

The page cache outlives a deploy (files on the data volume, or Redis), and a kept page names the hashed CSS and
JavaScript of the release that rendered it. A new image's static folder has only its own hashed names, so the old
pages would come unstyled until they expired, and a template fix would wait as long. Every key the caches keep
under the generation carries this fingerprint too (website.page_cache), so each release reads and writes only its
own entries, during a rolling deploy as well, and a new release starts with nothing kept.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

import wagtail

SOURCE_SUFFIXES = (".py", ".html", ".txt", ".xml")
SKIPPED_FOLDERS = {"tests", "migrations", "__pycache__", "node_modules"}


@cache
def fingerprint() -> str:
    """Worked out once per process (reading about 1 MB of our own files)."""
    digest = hashlib.blake2b(digest_size=6)
    digest.update(f"django {django.get_version()} wagtail {wagtail.__version__}\n".encode())
    for name, path in _source_files():
        digest.update(f"{name}\n".encode())
        digest.update(path.read_bytes())
    digest.update(b"staticfiles manifest\n")
    digest.update(_static_manifest())
    return digest.hexdigest()


def _source_files() -> list[tuple[str, Path]]:
    """(name, path) of each file, named the same wherever the project is installed: machines serving one
    release share its cache entries."""
    base = Path(settings.BASE_DIR).resolve()
    files = {
        (str(path.relative_to(base)) if path.is_relative_to(base) else str(path), path)
        for folder in _source_folders()
        for path in _sources(folder)
    }
    return sorted(files)


def _source_folders() -> set[Path]:
    """Our own apps' folders and the project's templates: whatever is installed from packages is covered by
    the versions above (and Django's and Wagtail's are what render most of it)."""
    base = Path(settings.BASE_DIR).resolve()
    folders = {Path(config.path).resolve() for config in apps.get_app_configs()}
    folders = {folder for folder in folders if folder.is_relative_to(base) and ".venv" not in folder.parts}
    for template_settings in settings.TEMPLATES:
        folders.update(Path(folder).resolve() for folder in template_settings.get("DIRS", []))
    return folders


def _sources(folder: Path):
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name not in SKIPPED_FOLDERS]  # not even walked
        yield from (Path(root, name) for name in names if name.endswith(SOURCE_SUFFIXES))


def _static_manifest() -> bytes:
    """The hashed static names `collectstatic` wrote (nothing where static files are served unhashed)."""
    name = getattr(staticfiles_storage, "manifest_name", None)
    if not name or not staticfiles_storage.exists(name):
        return b""
    with staticfiles_storage.open(name) as manifest:
        return manifest.read()
