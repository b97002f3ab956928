from wagtail import hooks
from wagtail.log_actions import LogFormatter

from website.money import format_money

from .admin_views import OrderViewSet


@hooks.register("register_admin_viewset")
def register_order_viewset():
    return OrderViewSet()


@hooks.register("register_log_actions")
def register_refund_log_action(actions):
    @actions.register_action("pagecart.refund_requested")
    class RefundRequested(LogFormatter):
        label = "Request refund"

        def format_message(self, log_entry):
            data = log_entry.data
            try:
                return f"Asked for a refund of {format_money(data['amount'], data['currency'])} ({data['refund_id']})"
            except (KeyError, TypeError):
                return "Asked for a refund"
