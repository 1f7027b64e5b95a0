"""``{% route page "post" post.pk %}``: the address of one of the community page's routes."""

from django import template

register = template.Library()


@register.simple_tag
def route(page, name, *args):
    return page.url_for(name, *args)
