import pytest

from search import hits


@pytest.fixture
def search_hits():
    """search.hits with nothing pending from earlier tests' searches (the counts live in the process)."""
    with hits._lock:
        hits._pending.clear()
    return hits
