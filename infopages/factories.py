import factory
import wagtail_factories

from infopages.models import ContactFormField, ContactPage, InfoPage


class InfoPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"About {n}")
    intro = "Who we are and how we work."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>We are a two-person studio.</p>"}])

    class Meta:
        model = InfoPage


class ContactFormFieldFactory(factory.django.DjangoModelFactory):
    label = factory.Sequence(lambda n: f"Field {n}")
    field_type = "singleline"
    required = True
    sort_order = factory.Sequence(int)

    class Meta:
        model = ContactFormField


class ContactPageFactory(wagtail_factories.PageFactory):
    """A contact page with name, email and message fields unless `fields=[...]` says otherwise."""

    title = "Contact"
    intro = "<p>Questions about an order? Write to us.</p>"
    thank_you_text = "<p>Thanks, we will reply within two working days.</p>"
    to_address = "owner@example.com"
    from_address = "shop@example.com"
    subject = "New contact message"

    class Meta:
        model = ContactPage
        skip_postgeneration_save = True

    @factory.post_generation
    def fields(obj, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [
            {"label": "Your name", "field_type": "singleline"},
            {"label": "Email", "field_type": "email"},
            {"label": "Message", "field_type": "multiline"},
        ]
        for order, spec in enumerate(specs):
            ContactFormFieldFactory(page=obj, sort_order=order, **spec)
