"""Paid files have no public address: not under MEDIA_URL (even with DEBUG's media serving), not through
Wagtail's document view (editors only), not as a storage URL. With S3, buyers get a short-lived signed URL,
tested against moto's S3 server on 127.0.0.1."""

import importlib
import urllib.error
import urllib.request
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from django.contrib.auth.models import Group, Permission
from django.core.files.storage import storages
from django.test import Client
from django.urls import clear_url_caches, reverse

from wagtail.models import CollectionViewRestriction, GroupCollectionPermission

from checkout.models import DownloadLog
from products.factories import ProductFileFactory, ProductPageFactory
from website.factories import DocumentFactory
from website.models import PrivateDocument

from .shopping import buy, grant_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

PDF = b"%PDF-1.4 a tiny paid guide"


@pytest.fixture
def document(db):
    return DocumentFactory(title="Paid guide")


def streamed(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- Wagtail's document view --------------------------------------------------------------------------


def test_the_document_view_is_not_found_for_visitors_and_buyers(client, fake_stripe, product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Guide", sku="G-1", price=Decimal("8.20"))
    document = ProductFileFactory(page=product).document
    buyer_client = Client()
    buy(buyer_client, fake_stripe, product)  # even the buyer gets it only through their download link
    wrong_name = reverse("wagtaildocs_serve", args=[document.pk, "other.pdf"])

    answers = [client.get(document.url), buyer_client.get(document.url), client.get(wrong_name)]

    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert all(PDF not in streamed(answer) for answer in answers)
    assert not DownloadLog.objects.exists()


def test_the_document_view_is_not_found_for_a_user_without_document_permissions(client, document, django_user_model):
    staff = django_user_model.objects.create_user(email="staff@example.com", password="pw-123456789", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    assert client.get(document.url).status_code == 404


def test_editors_who_may_use_documents_still_open_them(editor_client, client, document, django_user_model):
    editors = Group.objects.create(name="Document editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupCollectionPermission.objects.create(
        group=editors,
        collection=document.collection,
        permission=Permission.objects.get(content_type__app_label="wagtaildocs", codename="choose_document"),
    )
    CollectionViewRestriction.objects.get(collection=document.collection).groups.add(editors)
    editor = django_user_model.objects.create_user(email="editor@example.com", password="pw-123456789")
    editor.groups.add(editors)
    client.force_login(editor)

    for browser in (editor_client, client):  # a superuser, and an editor with the document permission
        response = browser.get(document.url)
        assert response.status_code == 200 and streamed(response) == PDF


# -- Storage and MEDIA_URL ------------------------------------------------------------------------------


def test_private_files_are_kept_outside_media(document, media_storage):
    on_disk = media_storage["private"] / document.file.name
    assert on_disk.read_bytes() == PDF
    assert not on_disk.is_relative_to(media_storage["media"])


def test_by_default_private_files_live_beside_media_and_static_not_inside(settings):
    from config.settings import base

    for public in (base.MEDIA_ROOT, base.STATIC_ROOT):
        assert not base.PRIVATE_ROOT.is_relative_to(public)
        assert not public.is_relative_to(base.PRIVATE_ROOT)


@pytest.fixture
def debug_urls(settings):
    """The project's URLconf as DEBUG builds it, with Django serving MEDIA_URL from MEDIA_ROOT."""
    import config.urls

    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.usefixtures("debug_urls")
def test_media_url_cannot_reach_private_files_even_when_debug_serves_media(client, document, media_storage):
    media_storage["media"].mkdir(parents=True, exist_ok=True)
    (media_storage["media"] / "probe.txt").write_bytes(b"public")
    name = document.file.name
    attempts = [
        f"/media/{name}",
        f"/media/../private/{name}",
        f"/media/%2e%2e/private/{name}",
        f"/media/..%2fprivate/{name}",
        f"/media/{media_storage['private']}/{name}",
    ]

    assert client.get("/media/probe.txt").status_code == 200  # the media route is live
    answers = {path: client.get(path) for path in attempts}

    assert {path: answer.status_code in (400, 404) for path, answer in answers.items()} == dict.fromkeys(attempts, True)
    assert all(PDF not in streamed(answer) for answer in answers.values())


@pytest.mark.usefixtures("debug_urls")
def test_whatever_url_the_private_storage_names_serves_nothing(client, document):
    """FileSystemStorage falls back to MEDIA_URL when base_url is None, so it names /media/<name>; that
    address must not reach the file (a storage whose url() refuses would be better still)."""
    try:
        url = storages["private"].url(document.file.name)
    except (ValueError, NotImplementedError):
        return
    response = client.get(url)
    assert response.status_code == 404 and PDF not in streamed(response)


# -- S3: short-lived signed URLs ------------------------------------------------------------------------


@pytest.fixture
def s3(settings, monkeypatch, moto_s3):
    """A bucket on moto's S3 server at 127.0.0.1, as the private storage (django-storages' S3Storage)."""
    endpoint, client, new_bucket = moto_s3
    bucket = new_bucket("pagecart-private")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    storages._storages = {}
    monkeypatch.setattr(PrivateDocument._meta.get_field("file"), "storage", storages["private"])
    return client, endpoint, bucket


def test_on_s3_a_download_redirects_to_a_short_lived_signed_url(
    client, fake_stripe, product_index, site_settings, s3, settings
):
    s3_client, endpoint, bucket = s3
    settings.DOWNLOAD_DELIVERY = "signed-url"
    settings.DOWNLOAD_SIGNED_URL_SECONDS = 45
    product = ProductPageFactory(parent=product_index, title="Guide", sku="G-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    grant = grant_for(buy(client, fake_stripe, product))
    key = grant.document.file.name

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    parts = urlsplit(signed)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{endpoint}/{bucket}/{key}"
    assert query["X-Amz-Expires"] == ["45"] and query["X-Amz-Signature"]
    assert query["response-content-disposition"] == [f'attachment; filename="{grant.document.filename}"']
    with urllib.request.urlopen(signed, timeout=10) as fetched:  # a plain HTTP client, no AWS credentials
        assert fetched.read() == PDF
        assert fetched.headers["Content-Disposition"] == f'attachment; filename="{grant.document.filename}"'
    log = DownloadLog.objects.get()
    assert log.bytes_sent == len(PDF) and log.grant.download_count == 1


def test_on_s3_the_object_has_no_public_url(s3):
    s3_client, endpoint, bucket = s3
    private = DocumentFactory(title="Paid on S3")
    key = private.file.name

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint}/{bucket}/{key}", timeout=10)

    assert refused.value.code == 403
    grants = s3_client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not [grant for grant in grants if grant["Grantee"].get("URI", "").endswith("/global/AllUsers")]
    assert "X-Amz-Signature=" in private.file.url  # even the storage's own URL is a signed, expiring one
    assert "X-Amz-Expires=" in private.file.url


def test_the_private_storage_has_no_url_for_a_file(settings):
    from django.core.files.storage import storages

    with pytest.raises(NotImplementedError):
        storages["private"].url("documents/guide.pdf")
