"""The page cache's file backend lists its folder once every `check_every` writes, and still keeps to MAX_ENTRIES."""

from website.file_cache import FileCache


def file_cache(folder, max_entries):
    return FileCache(str(folder), {"OPTIONS": {"MAX_ENTRIES": max_entries}})


def entries(folder):
    return len(list(folder.glob("*.djcache")))


def test_stored_entries_read_back_expire_and_are_replaced_as_in_djangos_file_cache(tmp_path):
    cache = file_cache(tmp_path, 1000)

    cache.set("page", {"content": "<html>"}, 600)
    cache.set("gone", "old", -1)
    cache.set("page", {"content": "<html lang=en>"}, 600)

    assert cache.get("page") == {"content": "<html lang=en>"}
    assert cache.get("gone") is None
    assert entries(tmp_path) == 1


def test_the_folder_is_listed_once_every_check_every_writes_not_on_each(tmp_path, monkeypatch):
    cache = file_cache(tmp_path, 1000)
    listings = []
    list_files = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: listings.append(1) or list_files())

    for n in range(cache.check_every * 5):
        cache.set(f"page-{n}", n)

    assert cache.check_every == 10
    assert len(listings) == 5


def test_a_full_cache_is_culled_and_never_holds_more_than_max_entries_and_a_checks_writes(tmp_path):
    cache = file_cache(tmp_path, 200)
    most = 0

    for n in range(600):
        cache.set(f"page-{n}", n)
        most = max(most, entries(tmp_path))

    assert 200 <= most <= 200 + cache.check_every
    assert entries(tmp_path) < 200 + cache.check_every
    assert cache.get("page-599") == 599  # the newest write survives the cull before it
