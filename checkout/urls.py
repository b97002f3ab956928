from django.urls import path

import checkout.converters  # noqa: F401 - registers <order_number:> and <access_token:>

from . import views

app_name = "checkout"

urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/summary/", views.cart_summary, name="cart_summary"),
    path("buy-now/", views.buy_now, name="buy_now"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout_start, name="start"),
    path("checkout/success/", views.checkout_success, name="success"),
    path("checkout/cancelled/", views.checkout_cancelled, name="cancelled"),
    path("cart/restore/<str:token>/", views.restore_cart, name="restore_cart"),
    path("checkout/test-payment/<str:session_id>/", views.test_payment, name="test_payment"),
    path("checkout/stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("orders/find/", views.find_order, name="find_order"),
    path("orders/<order_number:number>/<access_token:token>/", views.order_status, name="order"),
    path("downloads/<str:token>/", views.download, name="download"),
    path("downloads/<str:token>/renew/", views.download_renew, name="download_renew"),
]
