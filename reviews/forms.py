from django import forms

from .models import MAX_BODY, MAX_RATING, MIN_RATING, Review


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        choices=[(value, f"{value} star{'s' if value > 1 else ''}") for value in range(MAX_RATING, MIN_RATING - 1, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a rating from 1 to 5 stars.",
            "invalid_choice": "Choose a rating from 1 to 5 stars.",
        },
    )
    body = forms.CharField(
        label="Your review",
        max_length=MAX_BODY,
        min_length=10,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Plain text, up to {MAX_BODY} characters. A moderator reads it before it appears.",
        error_messages={
            "required": "Write a few words about the product.",
            "max_length": f"Keep it to {MAX_BODY} characters (it has %(show_value)d).",
            "min_length": "Write at least %(limit_value)d characters.",
        },
    )

    class Meta:
        model = Review
        fields = ["rating", "body"]
