"""Shop › Shipping: the zones (countries) and their rates that checkout offers (checkout/delivery/rates.py)."""

from wagtail.admin.viewsets.model import ModelViewSet

from ..models import ShippingZone


class ShippingZoneViewSet(ModelViewSet):
    model = ShippingZone
    name = "shipping_zones"
    url_prefix = "shop/shipping"
    url_namespace = "shop_shipping"
    icon = "globe"
    menu_label = "Shipping"
    menu_hook = "register_shop_menu_item"
    menu_order = 150
    add_to_reference_index = False
    list_display = ["name", "countries"]
    search_fields = ["name", "countries"]
