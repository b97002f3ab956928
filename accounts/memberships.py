"""Member content: pages that Wagtail's page privacy restricts to groups, which membership products grant."""

from typing import Any

from django.contrib.auth.models import Group

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from products.models import ProductPage, ProductPageQuerySet

from .models import User


def member_pages(user: User) -> PageQuerySet:
    """Published pages restricted to a group the user belongs to (the top of each restricted section)."""
    restrictions = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.GROUPS, groups__in=user.groups.all()
    )
    return Page.objects.live().filter(pk__in=restrictions.values("page_id")).order_by("title").specific()


def memberships(user: User) -> list[dict[str, Any]]:
    """The user's groups that a membership product grants, each with the products that grant it."""
    products = (
        ProductPage.objects.live().filter(membership_group__in=user.groups.all()).select_related("membership_group")
    )
    by_group: dict[Group, list[ProductPage]] = {}
    for product in products:
        by_group.setdefault(product.membership_group, []).append(product)
    return [{"group": group, "products": granted_by} for group, granted_by in by_group.items()]


def memberships_on_offer(user: User) -> ProductPageQuerySet:
    """Membership products the user could still buy."""
    return (
        ProductPage.objects.live()
        .public()
        .filter(membership_group__isnull=False)
        .exclude(membership_group__in=user.groups.all())
        .with_card_data()
    )
