"""The page cache's backend when there is no Redis: Django's file cache, without a folder listing on every write.

Django's FileBasedCache lists its whole folder on every set() to decide whether to cull down to MAX_ENTRIES. With
the few thousand pages a shop keeps, that listing is most of what storing a page costs (5 ms at 5,000 files on
the 2-core development machine), and every page-cache miss stores one. This backend lists the folder only once
every `check_every` writes of a process (MAX_ENTRIES / 100), so the folder may hold a few more entries than
MAX_ENTRIES between two checks: a bounded overshoot of disk, never of correctness, since entries expire by their
own timestamps whatever the count.
"""

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.check_every = max(1, self._max_entries // 100)
        self._writes_since_check = 0

    def _cull(self):
        self._writes_since_check += 1  # a race between threads only moves a check by a write or two
        if self._writes_since_check < self.check_every:
            return
        self._writes_since_check = 0
        super()._cull()
