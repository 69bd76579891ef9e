"""IPTC NewsML-G2 2.35 newsItem for one article, as a pure function (lxml).
The story travels as XHTML in inlineXML; the lead image as a link."""

from lxml import etree
from lxml import html as lxml_html

from khabar.news.html import clean_body, strip_illegal_chars
from khabar.news.models import Article

from .meta import (
    absolute,
    item_uri,
    item_version,
    lead_image,
    modified_at,
    pub_status,
    version_created,
    w3c,
)

NAR = "http://iptc.org/std/nar/2006-10-01/"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"


def _el(parent, local: str, text: str | None = None, /, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAR}}}{local}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = strip_illegal_chars(text)
    return element


def _named(parent, local: str, name: str, /, **attrs) -> etree._Element:
    element = _el(parent, local, **attrs)
    _el(element, "name", name)
    return element


def _xhtml_body(article: Article) -> etree._Element:
    page = etree.Element(
        f"{{{XHTML}}}html", nsmap={None: XHTML}, lang=article.language, dir=article.direction
    )
    head = etree.SubElement(page, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = strip_illegal_chars(article.headline)
    body = etree.SubElement(page, f"{{{XHTML}}}body")
    fragment = lxml_html.fragment_fromstring(clean_body(article.body) or "<p></p>", create_parent="div")
    body.text = fragment.text
    for child in fragment:
        for node in child.iter():
            if isinstance(node.tag, str):
                node.tag = f"{{{XHTML}}}{node.tag}"
        body.append(child)
    return page


def _item_meta(root, article: Article) -> None:
    meta = _el(root, "itemMeta")
    _el(meta, "itemClass", qcode="ninat:text")
    _named(meta, "provider", article.agency.name, literal=article.agency.slug)
    _el(meta, "versionCreated", w3c(version_created(article)))
    _el(meta, "firstCreated", w3c(article.published_at or article.created_at))
    _el(meta, "pubStatus", qcode=f"stat:{pub_status(article)}")
    _el(meta, "link", rel="irel:seeAlso", href=article.canonical_url, contenttype="text/html")
    image = lead_image(article)
    if image is not None:
        attrs = {"rel": "irel:associatedWith", "href": image.url, "contenttype": image.mime_type}
        if image.size:
            attrs["size"] = image.size
        link = _el(meta, "link", **attrs)
        _el(link, "title", image.caption or image.alt)


def _content_meta(root, article: Article) -> None:
    meta = _el(root, "contentMeta")
    _el(meta, "contentCreated", w3c(article.published_at or article.created_at))
    _el(meta, "contentModified", w3c(modified_at(article)))
    if article.author:
        _named(meta, "creator", article.author.name, literal=article.author.slug)
    _named(meta, "infoSource", article.agency.name, literal=article.agency.slug)
    _el(meta, "language", tag=article.language)
    section = article.section
    _named(meta, "subject", section.name, uri=absolute(section.get_absolute_url()), type="cpnat:abstract")
    for tag in article.tags.all():
        _named(meta, "subject", tag.name, uri=absolute(tag.get_absolute_url()), type="cpnat:abstract")
    _el(meta, "headline", article.headline)
    if article.summary:
        _el(meta, "description", article.summary, role="drol:summary")


def article_to_newsml(article: Article) -> bytes:
    root = etree.Element(
        f"{{{NAR}}}newsItem",
        {
            "guid": item_uri(article),
            "version": str(item_version(article)),
            "standard": "NewsML-G2",
            "standardversion": "2.35",
            "conformance": "power",
            XML_LANG: article.language,
        },
        nsmap={None: NAR},
    )
    _el(root, "catalogRef", href=CATALOG)
    rights = _el(root, "rightsInfo")
    _named(rights, "copyrightHolder", article.agency.name, literal=article.agency.slug)
    _el(rights, "copyrightNotice", f"© {article.agency.name}")
    _item_meta(root, article)
    _content_meta(root, article)
    content_set = _el(root, "contentSet")
    inline = _el(content_set, "inlineXML", contenttype="application/xhtml+xml")
    inline.append(_xhtml_body(article))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
