"""What the public API may show: the same for every caller, signed in or not, so nothing in it is personal."""

from functools import reduce
from operator import or_

from django.db.models import Q

from wagtail.models import Collection, Page, Site


def public_pages(request):
    """Live pages of the request's site outside every view restriction. Unlike Wagtail's own endpoint,
    a member who passes a restriction still does not see the page here: apps cache what they fetch."""
    site = Site.find_for_request(request)
    if site is None:
        return Page.objects.none()
    return Page.objects.live().public().descendant_of(site.root_page, inclusive=True)


def private_collection_ids():
    """Collections with a view restriction, and every collection inside one."""
    paths = Collection.objects.filter(view_restrictions__isnull=False).values_list("path", flat=True)
    inside = reduce(or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))
    return Collection.objects.filter(inside).values("pk")
