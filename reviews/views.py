"""Writing and editing a review: thin views over reviews.services. Only a signed-in buyer who still owns the
product gets the form; anyone else is refused (a product that is not a live product page is a 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from products.models import ProductPage

from . import services
from .forms import ReviewForm


def _product(product_id):
    return get_object_or_404(ProductPage.objects.live().public(), pk=product_id)


def _refused(request, product):
    return TemplateResponse(request, "reviews/refused.html", {"product": product}, status=403)


def _form_page(request, product, form, review=None):
    context = {"product": product, "form": form, "review": review}
    return TemplateResponse(request, "reviews/review_form.html", context, status=400 if form.is_bound else 200)


@login_required
def write(request, product_id):
    product = _product(product_id)
    if not services.owns(request.user, product.pk):
        return _refused(request, product)
    if request.method != "POST" and services.own_review(request.user, product.pk) is not None:
        return redirect("reviews:edit", product_id=product.pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.write(user=request.user, product=product, **form.cleaned_data)
        except services.AlreadyReviewed:
            form.add_error(None, "You have already reviewed this product: edit that review instead.")
        else:
            messages.success(request, "Thank you: your review will appear once a moderator has read it.")
            return redirect(product.url)
    return _form_page(request, product, form)


@login_required
def edit(request, product_id):
    product = _product(product_id)
    review = services.own_review(request.user, product.pk)
    if review is None:
        return redirect("reviews:write", product_id=product.pk)
    if not services.owns(request.user, product.pk):
        return _refused(request, product)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        services.edit(review, rating=form.cleaned_data["rating"], body=form.cleaned_data["body"])
        messages.success(request, "Your review is saved and goes back to a moderator before it appears again.")
        return redirect(product.url)
    return _form_page(request, product, form, review)
