from django.http import Http404

from wagtail import hooks
from wagtail.documents.permissions import permission_policy

from website import page_cache
from website.rich_text import PageLinkHandler


# Before Wagtail's own collection check, which would answer a visitor with a log-in redirect and so tell
# them the document exists.
@hooks.register("before_serve_document", order=-100)
def serve_documents_to_editors_only(document, request):
    """Documents are the shop's paid files: buyers get them through their download links, which count and
    log each download. Wagtail's document URL serves only editors who may use the document."""
    if not permission_policy.user_has_any_permission_for_instance(request.user, ["choose", "change"], document):
        raise Http404("No such document.")


@hooks.register("before_serve_page")
def keep_restricted_pages_out_of_the_page_cache(page, request, serve_args, serve_kwargs):
    """A page under a password or group restriction renders per visitor, so it is never stored."""
    # bool() evaluates the (shared) query set, so Wagtail's own check that follows runs no query.
    if bool(page.get_view_restrictions()):
        page_cache.skip(request)


# After Wagtail's own registration of the "page" link type (order 0), which this one replaces.
@hooks.register("register_rich_text_features", order=100)
def page_links_in_one_query(features):
    features.register_link_type(PageLinkHandler)
