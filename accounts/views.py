"""The shopper's dashboard at /account/. Views stay thin: the queries live in purchases, wishlist and
memberships."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from checkout import grants
from products.models import ProductPage

from . import memberships, purchases, visitor, wishlist
from .forms import ProfileForm, WishlistForm

HISTORY_PAGE_SIZE = 25


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _file_links(download_grants):
    return [grants.file_link(grant) for grant in download_grants]


@login_required
def dashboard(request):
    user = request.user
    context = {
        "recent_orders": purchases.orders_for(user)[:3],
        "files": _file_links(purchases.grants_for(user)[:4]),
        "saved_products": wishlist.saved_products(user)[:4],
        "member_pages": memberships.member_pages(user)[:4],
        "section": "overview",
    }
    return TemplateResponse(request, "accounts/dashboard.html", context)


@login_required
def order_list(request):
    orders = _page(request, purchases.orders_for(request.user), 20)
    return TemplateResponse(request, "accounts/orders.html", {"orders": orders, "section": "orders"})


@login_required
def order_detail(request, number):
    order = purchases.order_for(request.user, number)
    if order is None:
        raise Http404("No such order.")
    context = {"order": order, "files": grants.file_links(order), "section": "orders"}
    return TemplateResponse(request, "accounts/order_detail.html", context)


@login_required
def downloads(request):
    context = {
        "files": _file_links(purchases.grants_for(request.user)),
        "history": _page(request, purchases.download_history(request.user), HISTORY_PAGE_SIZE),
        "section": "downloads",
    }
    return TemplateResponse(request, "accounts/downloads.html", context)


@login_required
def wishlist_detail(request):
    context = {"products": wishlist.saved_products(request.user), "section": "wishlist"}
    return TemplateResponse(request, "accounts/wishlist.html", context)


def _wishlist_change(request, change, message):
    form = WishlistForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That product could not be found.")
        return redirect("accounts:wishlist")
    product = get_object_or_404(ProductPage.objects.live(), pk=form.cleaned_data["product"])
    change(request.user, product)
    messages.success(request, message.format(title=product.title))
    back = form.cleaned_data["next"]
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("accounts:wishlist")


@require_POST
@login_required
def wishlist_add(request):
    return _wishlist_change(request, wishlist.add, "Saved “{title}” to your wishlist.")


@require_POST
@login_required
def wishlist_remove(request):
    return _wishlist_change(request, wishlist.remove, "Removed “{title}” from your wishlist.")


@require_GET
@cache_control(private=True, no_store=True)
def visitor_parts(request):
    """The visitor's parts of a shared page (accounts.visitor), for site.js. No log-in redirect: an anonymous
    visitor is simply told so."""
    try:
        product_ids = visitor.product_ids(request.GET.get("products", ""))
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    get_token(request)  # the CSRF cookie, for the wishlist forms site.js makes
    return JsonResponse(visitor.parts_for(request, product_ids))


@login_required
def membership(request):
    user = request.user
    context = {
        "memberships": memberships.memberships(user),
        "member_pages": memberships.member_pages(user),
        "on_offer": memberships.memberships_on_offer(user),
        "section": "membership",
    }
    return TemplateResponse(request, "accounts/membership.html", context)


@login_required
def settings(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your details are saved.")
            return redirect(reverse("accounts:settings"))
        status = 400
    else:
        status = 200
    context = {"form": form, "section": "settings"}
    return TemplateResponse(request, "accounts/settings.html", context, status=status)
