"""Product files: the private "Product files" collection, and the chooser the product editor uploads with."""

import importlib

import pytest

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Collection, CollectionViewRestriction

from accounts.factories import SuperuserFactory
from products.files import private_collections, product_files_collection
from website.factories import CollectionFactory, DocumentFactory, PrivateCollectionFactory
from website.models import PrivateDocument

pytestmark = pytest.mark.django_db

migration = importlib.import_module("products.migrations.0008_product_files_collection")


def test_every_shop_has_a_private_product_files_collection():
    collection = product_files_collection()

    assert collection.name == "Product files"
    assert collection.get_parent() == Collection.get_first_root_node()
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert not restriction.groups.exists()  # so Wagtail's own document view refuses all but superusers


def test_the_migration_can_run_again_and_restores_a_lifted_restriction():
    CollectionViewRestriction.objects.filter(collection__name="Product files").delete()
    CollectionFactory(name="Blog images")

    migration.create_product_files(apps, None)
    migration.create_product_files(apps, None)

    assert Collection.objects.filter(name="Product files").count() == 1
    assert product_files_collection() is not None
    Collection.get_first_root_node().add_child(name="Still a valid tree")  # treebeard accepts the paths we wrote


def test_the_migration_adds_the_collection_after_existing_ones():
    Collection.objects.get(name="Product files").delete()
    CollectionFactory(name="Blog images")

    migration.create_product_files(apps, None)

    created = Collection.objects.get(name="Product files")
    assert created.depth == 2
    assert Collection.get_first_root_node().get_children().count() == 2
    assert product_files_collection() == created


def test_private_collections_include_those_inside_a_restricted_one():
    paid = PrivateCollectionFactory(name="Paid")
    nested = paid.add_child(name="Planners")
    public = CollectionFactory(name="Press")

    private = set(private_collections())

    assert {paid, nested, product_files_collection()} <= private
    assert public not in private and Collection.get_first_root_node() not in private


@pytest.fixture
def editor(client):
    client.force_login(SuperuserFactory())
    return client


def upload(editor, collection, title="Planner PDF"):
    return editor.post(
        reverse("product_file_chooser:create"),
        {
            "document-chooser-upload-title": title,
            "document-chooser-upload-file": SimpleUploadedFile("planner.pdf", b"%PDF-1.4 planner"),
            "document-chooser-upload-collection": collection.pk,
            "document-chooser-upload-tags": "",
        },
    )


def test_the_upload_form_offers_only_private_collections_with_product_files_chosen(editor):
    public = CollectionFactory(name="Press")
    paid = PrivateCollectionFactory(name="Paid")

    response = editor.get(reverse("product_file_chooser:choose"))

    form = response.context["creation_form"]
    assert set(form.fields["collection"].queryset) == {product_files_collection(), paid}
    assert public not in form.fields["collection"].queryset
    assert form["collection"].value() == product_files_collection().pk
    html = response.json()["html"]
    assert "Product files" in html and "Press" not in html


def test_a_file_uploaded_through_the_chooser_lands_in_product_files(editor):
    response = upload(editor, product_files_collection())

    assert response.json()["step"] == "chosen"
    document = PrivateDocument.objects.get(title="Planner PDF")
    assert document.collection == product_files_collection()


def test_the_chooser_refuses_to_upload_into_a_public_collection_and_keeps_nothing(editor):
    public = CollectionFactory(name="Press")

    response = upload(editor, public)

    assert response.json()["step"] == "reshow_creation_form"
    assert "Select a valid choice" in response.json()["htmlFragment"]
    assert not PrivateDocument.objects.exists()


def test_the_chooser_lists_only_files_in_private_collections(editor):
    DocumentFactory(title="Press kit", collection=CollectionFactory(name="Press"))
    DocumentFactory(title="Planner PDF", collection=product_files_collection())

    response = editor.get(reverse("product_file_chooser:choose_results"))

    titles = [document.title for document in response.context["results"]]
    assert titles == ["Planner PDF"]


def test_wagtails_own_document_chooser_is_unchanged(editor):
    DocumentFactory(title="Press kit", collection=CollectionFactory(name="Press"))

    response = editor.get(reverse("wagtaildocs_chooser:choose_results"))

    assert [document.title for document in response.context["results"]] == ["Press kit"]


def test_a_user_who_may_add_only_to_public_collections_is_told_why(client):
    from django.contrib.auth.models import Group, Permission

    from wagtail.models import GroupCollectionPermission

    from accounts.factories import UserFactory

    public = CollectionFactory(name="Press")
    group = Group.objects.create(name="Writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    # Wagtail checks its own Document model's permissions, whichever document model the site uses.
    add_document = Permission.objects.get(content_type__app_label="wagtaildocs", codename="add_document")
    GroupCollectionPermission.objects.create(group=group, collection=public, permission=add_document)
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)

    response = upload(client, public)

    assert response.status_code == 200, (response.status_code, response.get("Location"), response.content[:300])
    assert response.json()["step"] == "reshow_creation_form"
    assert "permission to add documents to “Product files”" in response.json()["htmlFragment"]
    assert not PrivateDocument.objects.exists()
