from django import forms

from .models import User


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
