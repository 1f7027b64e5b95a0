"""Member text in, safe HTML out: Markdown rendered by markdown-it-py, then sanitised by nh3 (Ammonia).

Only a few text tags survive. No scripts, styles, event handlers, iframes or images (so no
tracking pixels: pictures come only through the checked image upload). Links keep http(s) and
mailto addresses and get ``rel="nofollow ugc noopener"``.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "del",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"

# Raw HTML is let through markdown-it on purpose: the sanitiser, not the Markdown parser, is
# the one place that decides what is safe.
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
    "strikethrough"
)


def render_markdown(text: str) -> str:
    """Sanitised HTML for a member's Markdown ``text``; headings start at h3 below the post's title."""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag in ("h1", "h2"):
            token.tag = "h3"
        elif token.type in ("heading_open", "heading_close") and token.tag in ("h5", "h6"):
            token.tag = "h4"
    return sanitise_html(_markdown.renderer.render(tokens, _markdown.options, {}))


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "svg", "math", "template"},
    ).strip()
