"""`{% subscribe_links %}`: a calendar's subscribe link (`webcal:`, which calendar apps open
as a subscription that keeps itself up to date) and its plain download, for a page's current
search or for a town's or a season's calendar."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


def subscribe_html(request, view_name: str, *args, query: str = "",
                   label: str = "Subscribe to these results") -> str:
    """The links to the calendar of `view_name` (with `args`), for the query string `query`
    (the page's search, without its page number)."""
    path = reverse(view_name, args=args) + (f"?{query}" if query else "")
    address = request.build_absolute_uri(path)
    return format_html(
        '<p class="subscribe"><a href="{}">{}</a> <span class="helptext">(your calendar app '
        'keeps it up to date; or <a href="{}" download>download the .ics file</a>)</span></p>',
        "webcal:" + address.split(":", 1)[1], label, address)


@register.simple_tag(takes_context=True)
def subscribe_links(context, view_name: str, *args, query: str = "",
                    label: str = "Subscribe to these results") -> str:
    return subscribe_html(context["request"], view_name, *args, query=query, label=label)
