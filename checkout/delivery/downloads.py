"""Paid downloads: who may fetch a file, how one fetch is counted, how the file leaves, and fresh links.

The view finds the grant by its token, asks `access_for` who is asking, then calls `serve`, which gets the
file ready, counts the download atomically (or raises `DownloadRefused` with a reason a shopper can read),
logs it and returns the response. `renew` gives an expired grant a new expiry and a new token and emails
the link to the order's own address.
"""

import ipaddress
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from inspect import signature
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header

from website.models import PrivateDocument, SiteSettings

from ..grants import Refusal, refusal_for
from ..models import DownloadGrant, DownloadLog, Order, new_token

if TYPE_CHECKING:
    from website.types import AnyUser

logger = logging.getLogger(__name__)

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet. Anything else is not a token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")

# Fresh links by email: (attempts, seconds). Per grant, because each renewal rotates the token; per address,
# so one visitor cannot make us mail many buyers.
RENEWALS_PER_GRANT = (3, 60 * 60)
RENEWALS_PER_IP = (10, 60 * 60)
# Opening download links, per address: a buyer opens a handful (and each grant allows only a few downloads);
# a script guessing tokens or pulling files on repeat stops here, before the database or the storage.
OPENINGS_PER_IP = (60, 60)

DELIVERY_MODES = ("stream", "x-accel", "x-sendfile", "signed-url")


class DownloadRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


class FileUnavailable(Exception):
    """The file is missing from storage. Nothing was counted."""


def find(token: object) -> DownloadGrant | None:
    """The grant with this exact token, or None. Malformed tokens never reach the database."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    return DownloadGrant.objects.select_related("line__order", "document").filter(token=token).first()


def serve(
    grant: DownloadGrant, *, user: "AnyUser | None" = None, ip_address: str | None = "", user_agent: str | None = ""
) -> HttpResponseBase:
    """Count one download and return the response that hands the file over, or raise DownloadRefused.

    The file is made ready first, so a missing file costs the buyer nothing. The count goes up in one
    conditional UPDATE while the order row is locked, the same lock refunds and disputes take, so N
    requests for the last download let exactly one through, and none gets through a refund."""
    handover = _prepare(grant.document)
    size = handover.size
    try:
        log = _claim(grant, user=user, ip_address=ip_address, user_agent=user_agent, size=size)
    except BaseException:
        handover.discard()
        raise
    logger.info(
        "Download of %r (grant %s, order %s) by %s from %s: %s bytes, %s left",
        grant.document.filename,
        grant.pk,
        grant.line.order.number,
        f"user {log.user_id}" if log.user_id else "guest",
        log.ip_address or "unknown address",
        size if size is not None else "unknown",
        grant.downloads_left,
    )
    return _private(handover.respond())


def _claim(
    grant: DownloadGrant, *, user: "AnyUser | None", ip_address: str | None, user_agent: str | None, size: int | None
) -> DownloadLog:
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=grant.line.order_id)
        current = DownloadGrant.objects.select_related("line").get(pk=grant.pk)
        current.line.order = order
        refusal = refusal_for(current, now)
        if refusal is None:
            counted = DownloadGrant.objects.filter(
                pk=grant.pk,
                revoked_at__isnull=True,
                expires_at__gt=now,
                download_count__lt=F("max_downloads"),
            ).update(download_count=F("download_count") + 1)
            if not counted:  # lost a race the lock did not cover (SQLite's lock is the transaction itself)
                current.refresh_from_db()
                refusal = refusal_for(current, now) or Refusal("exhausted", 403, "No downloads are left.")
        if refusal is not None:
            logger.info("Download of grant %s refused: %s", grant.pk, refusal.code)
            raise DownloadRefused(refusal)
        log = DownloadLog.objects.create(
            grant_id=grant.pk,
            user=user if user is not None and user.is_authenticated else None,
            ip_address=_valid_ip(ip_address),
            user_agent=(user_agent or "")[:300],
            bytes_sent=size,
        )
    grant.download_count = current.download_count + 1
    return log


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


@dataclass
class _Handover:
    """A file made ready to leave: its size, the response that sends it, and the open file (if any) to
    close when the download is refused instead."""

    size: int | None
    response: HttpResponse | None = None
    file: File | None = None
    filename: str = ""

    def respond(self) -> HttpResponseBase:
        if self.file is not None:
            return FileResponse(self.file, as_attachment=True, filename=self.filename)
        if self.response is None:  # _prepare gives one or the other
            raise ValueError("A handover needs a file or a response.")
        return self.response

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()


def _prepare(document: PrivateDocument) -> _Handover:
    """Get the file ready in the configured delivery mode. Raises FileUnavailable when it cannot be read."""
    mode = settings.DOWNLOAD_DELIVERY
    storage, name = document.file.storage, document.file.name
    if not name:  # a document row without its file
        logger.error("Document %s has no file", document.pk)
        raise FileUnavailable(document.title)
    disposition = content_disposition_header(True, document.filename)
    try:
        if mode == "stream":
            handle = storage.open(name, "rb")
            return _Handover(size=handle.size, file=handle, filename=document.filename)
        if mode == "x-accel":
            size = storage.size(name)
            response = HttpResponse(content_type=document.content_type)
            response["X-Accel-Redirect"] = quote(settings.DOWNLOAD_ACCEL_PREFIX.rstrip("/") + "/" + name)
        elif mode == "x-sendfile":
            path = _local_path(storage, name)
            size = os.path.getsize(path)
            response = HttpResponse(content_type=document.content_type)
            response["X-Sendfile"] = path
        elif mode == "signed-url":
            if "expire" not in signature(storage.url).parameters:
                raise ImproperlyConfigured(
                    'DOWNLOAD_DELIVERY = "signed-url" needs a private storage that signs expiring URLs, '
                    "such as django-storages' S3Storage."
                )
            url = storage.url(  # type: ignore[call-arg]  # S3Storage.url takes these; checked just above
                name,
                parameters={"ResponseContentDisposition": disposition},
                expire=settings.DOWNLOAD_SIGNED_URL_SECONDS,
            )
            return _Handover(size=document.get_file_size(), response=HttpResponseRedirect(url))
        else:
            raise ImproperlyConfigured(f"DOWNLOAD_DELIVERY must be one of {', '.join(DELIVERY_MODES)}, not {mode!r}.")
    except OSError as error:
        logger.error("The file %r of document %s cannot be read: %s", name, document.pk, error)
        raise FileUnavailable(document.title) from error
    response["Content-Disposition"] = disposition
    return _Handover(size=size, response=response)


def _local_path(storage: Storage, name: str) -> str:
    try:
        return storage.path(name)
    except NotImplementedError as error:
        raise ImproperlyConfigured('DOWNLOAD_DELIVERY = "x-sendfile" needs private files on a local disk.') from error


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


def renew(grant: DownloadGrant, *, on_renewed: Callable[[DownloadGrant], object]) -> bool:
    """Give an expired grant a fresh expiry and a new token (so a leaked old link dies), then, once that is
    committed, call `on_renewed(grant)`: the caller emails the new link to the order's address, never to one
    typed in. Returns whether it renewed; callers answer the same either way."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=grant.line.order_id)
        current = DownloadGrant.objects.select_related("line", "document").get(pk=grant.pk)
        current.line.order = order
        refusal = refusal_for(current)
        if refusal is None or refusal.code != "expired" or not current.downloads_left:
            return False
        site_settings = SiteSettings.for_default_site()
        current.token = new_token()
        current.expires_at = DownloadGrant.expiry_from_now(site_settings.download_days)
        current.save(update_fields=["token", "expires_at"])
        transaction.on_commit(lambda: on_renewed(current))
    logger.info("Grant %s of order %s renewed until %s", current.pk, order.number, current.expires_at)
    return True


def mask_email(address: str) -> str:
    """j•••@example.com: enough for the buyer to recognise their address, too little to learn it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"
