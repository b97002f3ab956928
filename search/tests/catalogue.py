"""What the search backends' tests search through."""

from wagtail.models import Page

from search.query import indexable_q

LONG_SUMMARY = "A sturdy everyday tool for the studio, made to last for years of painting, with a {word} inside."


def searchable():
    """The pages the site search looks through, as a queryset of its own (not the kept pks)."""
    return Page.objects.live().public().filter(indexable_q())
