"""{% page_sold_by page %}: the line on a page's edit view saying what it sold (checkout/admin/attribution.py)."""

from django import template

from ..admin.attribution import edit_view_summary

register = template.Library()


@register.inclusion_tag("checkout/admin/page_sold_by.html", takes_context=True)
def page_sold_by(context, page):
    return {"summary": edit_view_summary(context["request"], page)}
