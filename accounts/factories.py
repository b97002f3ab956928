import factory

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
