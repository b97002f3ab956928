"""Wagtail's {% image %}, {% srcset_image %} and {% picture %} tags, with each tag's filters parsed once.

The cached template loader compiles a template once and renders the same nodes for every request, but
Wagtail's nodes build their Filter objects again on each render, and parsing a filter checks each
operation's arguments with inspect: about a tenth of a product page's CPU time. A Filter is immutable
once parsed, so a node keeps the ones it made. Same syntax and output as Wagtail's tags.
"""

from django import template

from wagtail.images.templatetags import wagtailimages_tags as wagtail_image_tags

register = template.Library()


class ImageNode(wagtail_image_tags.ImageNode):
    def get_filter(self):
        if "_filter" not in self.__dict__:
            self._filter = super().get_filter()
        return self._filter


class SrcsetImageNode(wagtail_image_tags.SrcsetImageNode):
    def get_filters(self):
        if "_filters" not in self.__dict__:
            self._filters = super().get_filters()
        return self._filters


class PictureNode(wagtail_image_tags.PictureNode, SrcsetImageNode):
    pass


NODES = {
    wagtail_image_tags.ImageNode: ImageNode,
    wagtail_image_tags.SrcsetImageNode: SrcsetImageNode,
    wagtail_image_tags.PictureNode: PictureNode,
}


def image(parser, token):
    """Wagtail's parser (and its error messages), then our node of the same kind."""
    node = wagtail_image_tags.image(parser, token)
    return NODES[type(node)](node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs)


register.tag("image", image)
register.tag("srcset_image", image)
register.tag("picture", image)
