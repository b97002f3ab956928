import logging

from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from products.blocks import BodyBlock
from website.models import BasePage, SiteSettings

logger = logging.getLogger(__name__)


class InfoPage(BasePage):
    """About, policies, FAQ and other pages of plain content."""

    intro = models.TextField(blank=True, max_length=500)
    body = StreamField(BodyBlock(), use_json_field=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    template = "pages/info_page.html"
    parent_page_types = ["home.HomePage", "infopages.InfoPage"]
    subpage_types = ["infopages.InfoPage", "infopages.ContactPage"]


class ContactFormField(AbstractFormField):
    page = ParentalKey("infopages.ContactPage", on_delete=models.CASCADE, related_name="form_fields")


class ContactPage(BasePage, AbstractEmailForm):
    """A contact form: submissions are stored in the admin and emailed to the owner."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = AbstractEmailForm.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label="Form field", heading="Form fields"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading="Email",
            help_text="Leave 'to address' empty to send to the contact email in Site settings.",
        ),
    ]

    template = "pages/contact_page.html"
    landing_page_template = "pages/contact_page_landing.html"
    parent_page_types = ["home.HomePage", "infopages.InfoPage"]
    subpage_types = []

    def recipient_addresses(self, request=None):
        if self.to_address:
            return [address.strip() for address in self.to_address.split(",") if address.strip()]
        contact_email = SiteSettings.for_site(self.get_site()).contact_email if self.get_site() else ""
        return [contact_email] if contact_email else []

    def process_form_submission(self, form):
        submission = self.get_submission_class().objects.create(form_data=form.cleaned_data, page=self)
        recipients = self.recipient_addresses()
        if recipients:
            try:
                self.send_mail_to(form, recipients)
            except Exception:
                # The message is stored either way; a mail outage must not lose it or show an error.
                logger.exception("Contact form mail failed for submission %s", submission.pk)
        return submission

    def send_mail_to(self, form, recipients):
        from wagtail.admin.mail import send_mail

        send_mail(
            self.subject or f"New message from {self.title}",
            self.render_email(form),
            recipients,
            self.from_address or None,
        )
