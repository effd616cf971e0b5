"""One input of the monthly entry form, drawn in Python: a form of a hundred schemes has two hundred,
and an ``{% include %}`` for each cost a third of the page's time. Every value is escaped."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def entry_input(f, page):
    """``{% entry_input field page %}``: the label, any error, the input and who last changed the figure."""
    described = ""
    error = ""
    if f.error:
        error = format_html(
            '<p class="error-text" id="{}-error"><span class="visually-hidden">Error:</span> {}</p>',
            f.input_id,
            f.error,
        )
        described = format_html(' aria-invalid="true" aria-describedby="{}-error"', f.input_id)
    changed = ""
    if f.last_change:
        saved = format_html("Saved: {}. ", f.stored_shown) if f.value_text != f.stored_text else ""
        changed = format_html('<span class="changed-by">{}{}</span>', saved, f.last_change)
    elif f.value_text:
        changed = format_html('<span class="changed-by">{}</span>', "Not saved yet")
    return format_html(
        '<div class="{}"><label for="{}" class="visually-hidden">{}, {}, {}</label>{}'
        '<input type="text" inputmode="decimal" autocomplete="off" id="{}" name="{}" value="{}" maxlength="40"{}{}>'
        "{}</div>",
        "field-error" if f.error else "",
        f.input_id,
        f.label,
        page.kind,
        page.month.label,
        error,
        f.input_id,
        f.name,
        f.value_text,
        " readonly" if page.closed else "",
        described,
        changed,
    )
