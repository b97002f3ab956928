import factory
from allauth.account.models import EmailAddress

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"shopper{n}@example.com")
    first_name = "Ada"
    last_name = "Shopper"
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = User
        skip_postgeneration_save = True


class SuperuserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"editor{n}@example.com")
    is_staff = True
    is_superuser = True


class BuyerFactory(UserFactory):
    """A shopper who can check out: allauth has confirmed their address, where receipts go (checkout.buyer)."""

    @factory.post_generation
    def verified_address(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)
