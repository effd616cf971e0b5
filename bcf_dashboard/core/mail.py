"""Email sent by the background worker, so a page never waits on the mail server.

A password reset's message is rendered in the request (it needs the request's site and token) and
queued whole; the worker sends it. The queued row holds the reset link until the message is sent
and ``prune_db_task_results`` removes it: the database already holds everything the link grants.
"""

from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django_tasks import task


@task()
def send_email(
    *, subject: str, body: str, to: list[str], from_email: str | None = None, html: str | None = None
) -> int:
    """Send one message; how many were sent (the mail backend's answer)."""
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


class BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, its message sent by the worker."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.enqueue(subject=subject, body=body, to=[to_email], from_email=from_email, html=html)
