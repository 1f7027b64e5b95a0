"""Member text is stored safely: whatever a member types, only harmless HTML comes out."""

from html.parser import HTMLParser

import pytest

from community.markup import render_markdown

SAFE_TAGS = {
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
}
SAFE_TAGS |= {"h3", "h4", "hr"}


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str) -> list[tuple[str, dict]]:
    parser = ElementCollector()
    parser.feed(html)
    return parser.elements


HOSTILE = [
    ("<script>alert('x')</script>Hello", "script"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "script"),
    ("[click](javascript:alert(1))", "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">click</a>', "javascript:"),
    ('<a href="&#106;avascript:alert(1)">click</a>', "avascript"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<p onclick="steal()">hi</p>', "onclick"),
    ('<div onmouseover="x()">hover</div>', "onmouseover"),
    ("<svg onload=alert(1)>", "svg"),
    ('<iframe src="https://evil.example"></iframe>', "iframe"),
    ("<style>body{display:none}</style>", "style"),
    ('<img src="https://tracker.example/pixel.gif" width="1" height="1">', "tracker"),
    ("![](https://tracker.example/pixel.gif)", "tracker"),
    ('<form action="https://evil.example"><input name="password"></form>', "<form"),
    ('<a href="https://x.example" style="position:fixed">x</a>', "style"),
    ("<b><i>unclosed <script>alert(1)", "script"),
    ("<<script>script>alert(1)<</script>/script>", "<script"),
    ('<object data="x.swf"></object><embed src="x.swf">', "swf"),
    ("<!-- <script>alert(1)</script> -->", "script"),
]


@pytest.mark.parametrize(("text", "what"), HOSTILE)
def test_hostile_input_comes_out_harmless(text, what):
    """Only safe tags, no attribute but a link's address and title, and only web or mail links."""
    for tag, attrs in elements_of(render_markdown(text)):
        assert tag in SAFE_TAGS, f"{tag} let through ({what})"
        assert set(attrs) <= {"href", "title", "rel"}, f"{attrs} let through ({what})"
        if "href" in attrs:
            assert attrs["href"].split(":")[0].lower() in {"http", "https", "mailto"}
            assert attrs["rel"] == "nofollow ugc noopener"


def test_scripts_and_styles_lose_their_content_too():
    html = render_markdown("<script>alert('x')</script><style>body{}</style>Hello")

    assert "alert" not in html and "body{}" not in html
    assert "Hello" in html


def test_a_tracking_pixel_never_becomes_an_image():
    for text in ('<img src="https://t.example/p.gif">', "![](https://t.example/p.gif)"):
        assert all(tag != "img" for tag, _ in elements_of(render_markdown(text)))


def test_broken_html_is_closed_so_it_cannot_swallow_the_page():
    html = render_markdown("<b><i>unclosed bold")

    assert html.count("<b>") == html.count("</b>")
    assert html.count("<i>") == html.count("</i>")


def test_links_are_kept_and_marked_as_user_content():
    html = render_markdown(
        "See [the guide](https://shop.example/guide) or <a href='mailto:a@b.example'>mail</a>."
    )

    assert 'href="https://shop.example/guide"' in html
    assert html.count('rel="nofollow ugc noopener"') == 2


def test_markdown_formatting_survives():
    html = render_markdown("# Tips\n\n**bold**, *italic*, `code`\n\n- one\n- two\n\n> quoted")

    assert "<h3>Tips</h3>" in html  # headings start below the post's own title
    for tag in (
        "<strong>bold</strong>",
        "<em>italic</em>",
        "<code>code</code>",
        "<li>one</li>",
        "<blockquote>",
    ):
        assert tag in html
