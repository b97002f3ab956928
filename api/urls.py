from django.urls import path, re_path

from wagtail.api.v2.router import WagtailAPIRouter

import checkout.converters  # noqa: F401 - registers <order_number:>

from . import views
from .media import PublicDocumentsAPIViewSet, PublicImagesAPIViewSet
from .pages import PublicPagesAPIViewSet
from .schema import schema_view

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PublicPagesAPIViewSet)
router.register_endpoint("images", PublicImagesAPIViewSet)
router.register_endpoint("documents", PublicDocumentsAPIViewSet)

app_name = "api"
urlpatterns = [
    path("schema/", schema_view, name="schema"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("cart/", views.CartView.as_view(), name="cart"),
    path("cart/lines/", views.CartLinesView.as_view(), name="cart_lines"),
    path("cart/lines/<int:product_id>/", views.CartLineView.as_view(), name="cart_line"),
    path("checkout/", views.CheckoutView.as_view(), name="checkout"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<order_number:number>/", views.OrderDetailView.as_view(), name="order"),
    path("reports/sold-by/", views.SoldByView.as_view(), name="sold_by"),
    # Last: anything else under /api/v2/ (an id that is not a number, say) is a JSON 404, not the site's page.
    re_path(r"", views.no_such_endpoint),
]
