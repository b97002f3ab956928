"""Spelling correction for searches that find nothing: "planers" -> "planner", "notbook" -> "notebook".

The same on SQLite and PostgreSQL: the words of what the site indexes (searchable pages' titles, product categories,
brands, journal tags) form a vocabulary, read once and kept in the default cache until a page is published,
unpublished or moved, or a category, brand or tag changes. A query word that is not in the vocabulary is replaced by
its singular/plural form when the vocabulary has it, else by the closest word sharing trigrams with it (trigram
similarity as pg_trgm computes it, then edit distance). Only searches that found nothing as typed pay for this.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from taggit.models import Tag
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from blog.models import BlogPostTag
from products.models import Brand, ProductCategory

CACHE_KEY = "search:vocabulary:v1"
CACHE_SECONDS = 24 * 60 * 60  # a safety net: publishing clears it at once
MIN_WORD = 3  # shorter words are too ambiguous to correct ("a", "of", "pen")
MAX_WORD = 30  # longer "words" are not misspellings of anything in a shop
MIN_SIMILARITY = 0.3  # pg_trgm's default similarity threshold
SUGGESTIONS = 3

_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Vocabulary:
    counts: dict[str, int]  # word -> how many indexed titles/names use it
    by_trigram: dict[str, tuple[str, ...]]  # trigram -> the words that contain it

    def __contains__(self, word: str) -> bool:
        return word in self.counts


def words_of(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if MIN_WORD <= len(word) <= MAX_WORD]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: two spaces before it and one after."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once it is certainly over limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _indexed_texts() -> list[str]:
    # Deferred: search.query imports this module, and indexable_q lives there.
    from .query import indexable_q

    titles = Page.objects.live().public().filter(indexable_q()).values_list("title", flat=True)
    tags = BlogPostTag.objects.filter(content_object__live=True).values_list("tag__name", flat=True)
    return [
        *titles,
        *ProductCategory.objects.values_list("name", flat=True),
        *Brand.objects.values_list("name", flat=True),
        *tags.distinct(),
    ]


def build_vocabulary() -> Vocabulary:
    counts = Counter(word for text in _indexed_texts() for word in words_of(text))
    by_trigram: defaultdict[str, list[str]] = defaultdict(list)
    for word in counts:
        for trigram in trigrams(word):
            by_trigram[trigram].append(word)
    return Vocabulary(counts=dict(counts), by_trigram={key: tuple(words) for key, words in by_trigram.items()})


def vocabulary() -> Vocabulary:
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = build_vocabulary()
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return cached


def forget_vocabulary(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def _inflections(word: str) -> list[str]:
    """The word's likely singular and plural forms."""
    forms = [f"{word}s", f"{word}es"]
    if word.endswith("ies"):
        forms.append(f"{word[:-3]}y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    if word.endswith("y"):
        forms.append(f"{word[:-1]}ies")
    return forms


def closest(word: str, vocab: Vocabulary, limit: int = SUGGESTIONS) -> list[str]:
    """Vocabulary words close to a word that is not in it, best first: its singular/plural, then the words within
    a couple of edits (one for short words) or sharing most of its trigrams."""
    if not MIN_WORD <= len(word) <= MAX_WORD:
        return []
    inflected = sorted((form for form in _inflections(word) if form in vocab), key=lambda w: -vocab.counts[w])
    candidates = {other for trigram in trigrams(word) for other in vocab.by_trigram.get(trigram, ())}
    max_edits = 1 if len(word) <= 4 else 2
    scored = []
    for other in candidates - set(inflected):
        edits = edit_distance(word, other, max_edits)
        score = similarity(word, other)
        if edits <= max_edits or score >= MIN_SIMILARITY:
            scored.append((edits, -score, -vocab.counts[other], other))
    return [*inflected, *(other for *_rank, other in sorted(scored))][:limit]


def correct(terms: str, vocab: Vocabulary | None = None) -> str:
    """The search terms with each word the vocabulary lacks replaced by its closest word; the terms unchanged
    when no word needs (or has) a correction."""
    vocab = vocab if vocab is not None else vocabulary()
    corrected = []
    for word in terms.split():
        if word in vocab or word.isdigit():
            corrected.append(word)
        else:
            corrected.append(next(iter(closest(word, vocab, limit=1)), word))
    return " ".join(corrected)


def alternatives(terms: str, vocab: Vocabulary | None = None) -> list[str]:
    """Single vocabulary words to offer as "Did you mean": the closest to each word of the terms."""
    vocab = vocab if vocab is not None else vocabulary()
    offered: list[str] = []
    for word in terms.split():
        for other in [word] if word in vocab else closest(word, vocab):
            if other not in offered:
                offered.append(other)
    return offered[:SUGGESTIONS]


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_vocabulary, dispatch_uid=f"search.fuzzy.{id(signal)}")
    for model in (ProductCategory, Brand, Tag, BlogPostTag):
        post_save.connect(forget_vocabulary, sender=model, dispatch_uid=f"search.fuzzy.save.{model.__name__}")
        post_delete.connect(forget_vocabulary, sender=model, dispatch_uid=f"search.fuzzy.delete.{model.__name__}")
