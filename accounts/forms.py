from allauth.account.forms import SignupForm as AllauthSignupForm

from django import forms
from django.contrib.auth.hashers import make_password

from .models import User


class SignupForm(AllauthSignupForm):
    """allauth's sign-up, with the same work whether or not the address has an account. Both paths send one
    mail ("confirm your address" or "you already have an account"); only a new account hashed the password,
    about a second with the production hasher, so the answer's timing told which addresses have accounts.
    The known-address path now hashes it too, and throws the hash away."""

    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }


class WishlistForm(forms.Form):
    """Which product to save or unsave, and where to go back to."""

    product = forms.IntegerField(min_value=1, max_value=2**63 - 1)
    next = forms.CharField(required=False, max_length=2000)
