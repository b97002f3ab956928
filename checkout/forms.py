from django import forms

from .cart import MAX_LINE_QUANTITY


class CartLineForm(forms.Form):
    product = forms.IntegerField(min_value=1)
    quantity = forms.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY, required=False)
    next = forms.CharField(required=False, max_length=2000)


class CheckoutForm(forms.Form):
    email = forms.EmailField(
        label="Email for your receipt",
        max_length=254,
        help_text="We send the receipt and your download links here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
