from django.core.files.storage import FileSystemStorage, default_storage
from django.test import override_settings

from website.storage import MediaFileSystemStorage

NAMES = [
    "images/brush.width-400.webp",
    "original_images/Blue brush (2).JPG",
    "images/café #3.png",
    "images/100%_linen?.jpg",
    "/images/leading-slash.png",
    "images/a/../b.png",
]


def test_media_urls_are_djangos(tmp_path):
    kept = MediaFileSystemStorage(location=tmp_path, base_url="/media/")
    plain = FileSystemStorage(location=tmp_path, base_url="/media/")

    for _ in range(2):  # worked out, then kept
        assert [kept.url(name) for name in NAMES] == [plain.url(name) for name in NAMES]


def test_media_urls_follow_a_new_media_url(tmp_path):
    storage = MediaFileSystemStorage(location=tmp_path)

    with override_settings(MEDIA_URL="/media/"):
        assert storage.url("images/brush.png") == "/media/images/brush.png"
    with override_settings(MEDIA_URL="https://cdn.example.com/shop/"):
        assert storage.url("images/brush.png") == "https://cdn.example.com/shop/images/brush.png"


def test_kept_urls_are_bounded(tmp_path, monkeypatch):
    storage = MediaFileSystemStorage(location=tmp_path, base_url="/media/")
    monkeypatch.setattr(MediaFileSystemStorage, "MAX_KEPT", 3)

    urls = [storage.url(f"images/{n}.png") for n in range(10)]

    assert urls == [f"/media/images/{n}.png" for n in range(10)]
    assert len(storage._urls) <= 3


def test_the_shops_pictures_use_it():
    assert isinstance(default_storage, MediaFileSystemStorage)
