import pytest

from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError

from accounts.factories import UserFactory
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_project_user_model_logs_in_by_email_and_has_no_username():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert User.REQUIRED_FIELDS == []
    assert "username" not in {field.name for field in User._meta.get_fields()}


def test_create_user_normalises_the_email_and_hashes_the_password():
    user = User.objects.create_user("Ada.Lovelace@Example.COM", password="analytical-engine")

    assert user.email == "ada.lovelace@example.com"
    assert user.password != "analytical-engine"
    assert user.check_password("analytical-engine")
    assert not user.is_staff
    assert not user.is_superuser
    assert str(user) == "ada.lovelace@example.com"


def test_a_user_signs_in_with_their_email_and_password():
    User.objects.create_user("grace@example.com", password="compiler-1952")

    assert authenticate(email="grace@example.com", password="compiler-1952") is not None
    assert authenticate(email="grace@example.com", password="wrong") is None


def test_signing_in_ignores_the_case_of_the_email():
    User.objects.create_user("Grace@Example.com", password="compiler-1952")

    assert authenticate(email="GRACE@example.COM", password="compiler-1952") is not None


def test_create_user_without_password_cannot_log_in():
    user = User.objects.create_user("nopass@example.com")

    assert not user.has_usable_password()


def test_create_user_requires_an_email():
    with pytest.raises(ValueError, match="email"):
        User.objects.create_user("", password="x")


def test_emails_are_unique_whatever_their_case():
    User.objects.create_user("sam@example.com")

    with pytest.raises(IntegrityError):
        User.objects.create_user("SAM@example.com")


def test_create_superuser_sets_staff_and_superuser():
    admin = User.objects.create_superuser("Owner@Example.com", password="s3cret-owner")

    assert admin.email == "owner@example.com"
    assert admin.is_staff
    assert admin.is_superuser
    assert admin.is_active


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_create_superuser_refuses_to_drop_a_flag(flag):
    with pytest.raises(ValueError, match="superuser"):
        User.objects.create_superuser("owner@example.com", password="x", **{flag: False})


def test_users_are_listed_by_email():
    UserFactory(email="zoe@example.com")
    UserFactory(email="adam@example.com")

    assert list(User.objects.values_list("email", flat=True)) == ["adam@example.com", "zoe@example.com"]


def test_createsuperuser_command_needs_only_an_email():
    from django.core.management import call_command

    call_command("createsuperuser", email="cli@example.com", interactive=False, verbosity=0)

    user = User.objects.get(email="cli@example.com")
    assert user.is_superuser
