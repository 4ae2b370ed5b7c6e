"""Read an emailed reply: its reply token, its sender, and what the client wrote.

Mail programs put the new text above the message they answer, so the answer
is what comes before the first sign of the quoted message ("On ... wrote:",
an "Original Message" rule, an Outlook header block, `>` lines) or of a
signature ("-- ", "Sent from my ...").
"""

import re
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from .reply_tokens import TOKEN_PATTERN

ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
SUBJECT_TAG = re.compile(r"\[(CP-\d+) #([0-9a-f]+)\]", re.IGNORECASE)
QUOTE_STARTS = (
    re.compile(r"on\b.*\bwrote:", re.IGNORECASE),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"-{2,}\s*original message\s*-{2,}", re.IGNORECASE),  # Outlook
    re.compile(r"-{2,}\s*forwarded message\s*-{2,}", re.IGNORECASE),
    re.compile(r"_{10,}"),  # Outlook's rule above the quoted headers
    re.compile(r"-- ?"),  # the signature delimiter
    re.compile(
        r"sent from (my (iphone|ipad|android|phone|mobile|galaxy)|(outlook|mail) for)"
        r"\b.{0,40}",
        re.IGNORECASE,
    ),
)
QUOTED_HEADER = re.compile(r"\*?(from|sent|date|to|subject):\*?\s", re.IGNORECASE)
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def parse(raw):
    """The message of RFC 822 bytes (never raises on malformed headers)."""
    return BytesParser(policy=policy.default).parsebytes(raw)


def sender_of(message):
    """The From address, or '' when there is none."""
    return parseaddr(str(message.get("From", "")))[1]


def is_automatic(message):
    """True for out-of-office answers, bounces and other machine replies."""
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto != "no"
        or precedence in AUTOMATIC_PRECEDENCE
        or "X-Autoreply" in message
        or "X-Autorespond" in message
    )


def address_token(message, reply_address):
    """The token of a `local+<token>@domain` recipient matching `reply_address`."""
    local, at, domain = (reply_address or "").lower().rpartition("@")
    if not at:
        return None
    values = [
        str(value) for name in ADDRESS_HEADERS for value in message.get_all(name, [])
    ]
    for _name, address in getaddresses(values):
        box, _, host = address.lower().rpartition("@")
        base, plus, token = box.partition("+")
        if host == domain and base == local and plus and TOKEN_PATTERN.fullmatch(token):
            return token
    return None


def subject_token(message):
    """(case number, token) of the `[CP-000123 #<token>]` tag in the subject."""
    match = SUBJECT_TAG.search(str(message.get("Subject", "")))
    return (match.group(1).upper(), match.group(2).lower()) if match else (None, None)


def reply_text(message):
    """What the client wrote above the quoted message, without a signature."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown or broken charset
        content = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        content = _html_text(content)
    return _new_text(content)


def _new_text(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _starts_quote(stripped, lines[index + 1 : index + 4]):
            break
        if not stripped.startswith(">"):
            kept.append(line.rstrip())
    text = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _starts_quote(line, following):
    if any(pattern.fullmatch(line) for pattern in QUOTE_STARTS):
        return True
    if line.lower().startswith("on ") and following:
        # "On Tue, 3 Mar 2026 at 10:02, Support <...>" may wrap before "wrote:".
        return following[0].strip().lower().endswith("wrote:")
    if QUOTED_HEADER.match(line) and line.lower().lstrip("*").startswith("from"):
        return any(QUOTED_HEADER.match(other.strip()) for other in following)
    return False


class _TextOfHtml(HTMLParser):
    """The text of an HTML body, leaving out quoted blocks, styles and scripts."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table"}
    SKIPPED = {"blockquote", "style", "script", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def _html_text(html):
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    # Block tags open and close lines; what shows as one line break is one.
    return re.sub(r"[ \t]*\n\s*", "\n", "".join(parser.parts))
