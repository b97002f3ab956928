"""The images and documents endpoints: Wagtail's, minus everything in a private collection."""

from wagtail.api import APIField
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .fields import TagsField
from .pagination import BoundedPagination
from .throttling import PublicThrottle
from .visibility import private_collection_ids

TAGS = APIField("tags", serializer=TagsField())


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    pagination_class = BoundedPagination
    throttle_classes = [PublicThrottle]
    meta_fields = ["type", "detail_url", TAGS, "download_url"]

    def get_queryset(self):
        return super().get_queryset().exclude(collection__in=private_collection_ids()).prefetch_related("tags")


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Document metadata only: the shop serves no file by a public URL (paid files go through download
    links, and Wagtail's document view answers editors alone), so there is no download_url to give."""

    pagination_class = BoundedPagination
    throttle_classes = [PublicThrottle]
    meta_fields = ["type", "detail_url", TAGS]
    listing_default_fields = ["id", "type", "detail_url", "title", "tags"]
    nested_default_fields = ["id", "type", "detail_url", "title"]

    def get_queryset(self):
        return super().get_queryset().exclude(collection__in=private_collection_ids()).prefetch_related("tags")
