"""Parse untrusted BPMN and DMN XML with entities, DTDs and network access off."""

from lxml import etree

MAX_XML_BYTES = 2 * 1024 * 1024


class UnsafeXml(ValueError):
    """The document is not XML this service will read."""


def parse_xml(content: bytes, name: str, limit: int = MAX_XML_BYTES):
    """Return the root element of `content`, refusing DTDs, entities and huge input."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    if len(content) > limit:
        raise UnsafeXml(f"{name} is {len(content)} bytes; the limit is {limit}")
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise UnsafeXml(f"{name} declares a DTD or entities, which are not allowed")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise UnsafeXml(f"{name} is not well-formed XML: {error}") from error
    if root is None:
        raise UnsafeXml(f"{name} is empty")
    return root
