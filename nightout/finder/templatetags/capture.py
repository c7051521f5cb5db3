"""`{% capture name %}…{% endcapture %}`: what the enclosed template draws, on one line, kept
in the context as `name`, so that base.html writes a page's title and description (a block
each page may override) into the <title>, the meta description and the Open Graph and
Twitter card tags alike."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList):
        self.name, self.nodelist = name, nodelist

    def render(self, context) -> str:
        # Already escaped by the template engine as it drew it: safe to write again.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    try:
        _, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("Use {% capture name %}…{% endcapture %}.") from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(name, nodelist)
