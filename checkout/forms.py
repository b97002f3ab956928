from django import forms

from products.models import MAX_LINE_QUANTITY
from website.countries import country_name

from .models import Order

# The largest page id a database column holds (PostgreSQL's integer): a bigger one is no product, not a crash.
MAX_ID = 2**31 - 1


class CartLineForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=MAX_ID)
    quantity = forms.IntegerField(min_value=0, max_value=MAX_LINE_QUANTITY, required=False)
    next = forms.CharField(required=False, max_length=2000)


class CheckoutForm(forms.Form):
    email = forms.EmailField(
        label="Email for your receipt",
        max_length=254,
        help_text="We send the receipt and your download links here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    ship_to = forms.ChoiceField(
        label="Country it ships to",
        required=False,
        help_text="Shipping choices and prices depend on it; the payment page takes an address there.",
    )

    def __init__(self, *args, countries=(), account_email=None, **kwargs):
        """`countries`: the shipping zones' countries, when the cart has items that ship (else the field is off).
        `account_email`: a signed-in buyer's verified address, which the receipt goes to; the form then has no
        email field, so a posted one is ignored (checkout/buyer.py)."""
        super().__init__(*args, **kwargs)
        self.account_email = account_email
        if account_email is not None:
            del self.fields["email"]
        elif self.data.get("email_on_payment_page"):
            # The cart drawer's one-click checkout: a guest gives their address on Stripe's page instead.
            self.fields["email"].required = False
        if countries:
            named = sorted(((code, country_name(code)) for code in countries), key=lambda choice: choice[1])
            self.fields["ship_to"].choices = [("", "Choose a country"), *named]
            self.fields["ship_to"].required = True
            self.fields["ship_to"].widget.attrs["autocomplete"] = "country"
        else:
            del self.fields["ship_to"]

    @property
    def receipt_email(self) -> str:
        """Where the receipt goes. Call only when the form is valid."""
        return self.account_email if self.account_email is not None else self.cleaned_data.get("email", "")


class FindOrderForm(forms.Form):
    email = forms.EmailField(
        label="Email you ordered with",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    number = forms.CharField(
        label="Order number",
        max_length=20,
        help_text="Eight letters and digits, in your receipt's subject line.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_number(self):
        # People paste "#ab12 cd34" or type lower case; order numbers are upper case without spaces.
        return "".join(self.cleaned_data["number"].split()).lstrip("#").upper()

    def matching_order(self):
        """The order with this number placed with this address, or None. Call only when the form is valid."""
        data = self.cleaned_data
        return Order.objects.filter(number=data["number"], email__iexact=data["email"]).first()
