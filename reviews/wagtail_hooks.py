"""Moderation in the Wagtail admin: Shop › Reviews, filtered by status and product, with bulk approve/reject."""

import django_filters

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.permissions import get_permission_name
from wagtail.snippets.views.snippets import SnippetViewSet

from . import services
from .models import Review


class ReviewFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Review.Status.choices, empty_label="Any status")

    class Meta:
        model = Review
        fields = ["status", "product"]


class ModerationOnly(ModelPermissionPolicy):
    """Buyers write reviews on the site; in the admin they are moderated, never added."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReviewViewSet(SnippetViewSet):
    model = Review
    icon = "pick"
    menu_label = "Reviews"
    menu_name = "reviews"
    add_to_admin_menu = True
    menu_order = 160
    filterset_class = ReviewFilterSet
    list_display = [
        "product",
        "rating",
        Column("author_name", label="Buyer"),
        Column("status", label="Status", accessor="get_status_display"),
        DateColumn("created_at", label="Written"),
    ]
    list_per_page = 50
    ordering = ["-created_at"]
    search_fields = None
    permission_policy = ModerationOnly(Review)
    copy_view_enabled = False
    inspect_view_enabled = True


register_snippet(ReviewViewSet)


class ModerateBulkAction(SnippetBulkAction):
    models = [Review]
    template_name = "reviews/admin/confirm_bulk_moderate.html"
    verb = staticmethod(services.approve)

    def check_perm(self, snippet):
        return self.request.user.has_perm(get_permission_name("change", Review))

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return cls.verb(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{self.display_name}d {num_parent_objects} review{'s' if num_parent_objects != 1 else ''}."


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected reviews"
    action_priority = 10
    verb = staticmethod(services.approve)


@hooks.register("register_bulk_action")
class RejectBulkAction(ModerateBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected reviews"
    action_priority = 20
    verb = staticmethod(services.reject)
