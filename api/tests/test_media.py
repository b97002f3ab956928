"""Images and documents: only what sits outside every private collection, whoever asks."""

import pytest

from website.factories import CollectionFactory, DocumentFactory, ImageFactory, PrivateCollectionFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return {item["id"] for item in response.json()["items"]}


@pytest.fixture
def collections(db):
    private = PrivateCollectionFactory()
    return {"public": CollectionFactory(), "private": private, "inside_private": CollectionFactory(parent=private)}


def test_images_in_private_collections_and_their_children_never_appear_even_to_editors(editor_client, collections):
    public = ImageFactory(collection=collections["public"])
    hidden = [ImageFactory(collection=collections["private"]), ImageFactory(collection=collections["inside_private"])]
    assert ids(editor_client.get("/api/v2/images/")) == {public.pk}
    for image in hidden:
        assert editor_client.get(f"/api/v2/images/{image.pk}/").status_code == 404


def test_documents_list_public_metadata_without_a_download_url(client, collections):
    public = DocumentFactory(collection=collections["public"], title="Care guide")
    hidden = DocumentFactory(collection=collections["private"])
    response = client.get("/api/v2/documents/")
    assert ids(response) == {public.pk}
    [item] = response.json()["items"]
    assert item["title"] == "Care guide" and "download_url" not in item["meta"]
    assert client.get(f"/api/v2/documents/{hidden.pk}/").status_code == 404
    assert client.get("/api/v2/documents/", {"fields": "download_url"}).json() == {
        "message": "unknown fields: download_url"
    }
