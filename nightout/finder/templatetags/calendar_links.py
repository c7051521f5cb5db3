"""`{% subscribe_links %}`: a calendar's subscribe link (`webcal:`, which calendar apps open
as a subscription that keeps itself up to date) and its plain download, for a page's current
search or for a town's or a season's calendar."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("finder/_subscribe.html", takes_context=True)
def subscribe_links(context, view_name: str, *args, query: str = "",
                    label: str = "Subscribe to these results") -> dict:
    """The links to the calendar of `view_name` (with `args`), for the query string `query`
    (the page's search, without its page number)."""
    path = reverse(view_name, args=args) + (f"?{query}" if query else "")
    address = context["request"].build_absolute_uri(path)
    return {"webcal": "webcal:" + address.split(":", 1)[1], "address": address, "label": label}
