"""Names for annotations only.

The user model is settings.AUTH_USER_MODEL (accounts.User), which the apps below accounts may not import;
django-stubs' plugin resolves its placeholder aliases to it. They exist only for the type checker, so import
these under `if TYPE_CHECKING:` and quote the annotations that use them."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import _AnyUser, _User

    User: TypeAlias = _User  # the configured user model
    AnyUser: TypeAlias = _AnyUser  # it or AnonymousUser: what request.user is
