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
# What no answer needs: control characters other than tab and line breaks.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def address_token(message, reply_address=None):
    """The token of a `local+<token>@domain` recipient: of `reply_address` when it
    is set, else of any address (the token alone is what identifies the case,
    so a mail server need not pass REPLY_ADDRESS to the command)."""
    local, at, domain = (reply_address or "").lower().rpartition("@")
    values = [
        str(value) for name in ADDRESS_HEADERS for value in message.get_all(name, [])
    ]
    for _name, address in getaddresses(values):
        box, _, host = address.lower().rpartition("@")
        base, plus, token = box.partition("+")
        if not (plus and TOKEN_PATTERN.fullmatch(token)):
            continue
        if not at or (host == domain and base == local):
            return token
    return None


def subject_token(message):
    """(case number, token) of the `[CP-000123 #<token>]` tag in the subject."""
    match = SUBJECT_TAG.search(str(message.get("Subject", "")))
    return (match.group(1).upper(), match.group(2).lower()) if match else (None, None)


def reply_text(message):
    """What the client wrote above the quoted message, without a signature or
    control characters; the HTML part when the plain one is empty."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        content = _content(part)
        if kind == "html":
            content = _html_text(content)
        text = _new_text(CONTROL.sub("", content))
        if text:
            return text
    return ""


def _content(part):
    if part.get_content_charset() is not None:
        try:
            return part.get_content()
        except (LookupError, ValueError):  # an unknown or broken charset
            pass
    raw = part.get_payload(decode=True) or b""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        # 8-bit text that names no charset (or a wrong one) is most often
        # Windows Latin-1.
        return raw.decode("cp1252", "replace")


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


# A stand-in for an explicit line break while the HTML's own white space is
# folded: a private-use character no reply holds.
LINE_BREAK = "\ue000"


class _TextOfHtml(HTMLParser):
    """The text of an HTML body, leaving out quoted blocks, styles and scripts."""

    BLOCKS = {"div", "li", "tr", "h1", "h2", "h3", "h4", "table"}
    PARAGRAPHS = {"p"}
    SKIPPED = {"blockquote", "style", "script", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append(LINE_BREAK)
        elif tag in self.BLOCKS or tag in self.PARAGRAPHS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in self.PARAGRAPHS:
            self.parts.append(LINE_BREAK * 2)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def _html_text(html):
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    # The source's own white space shows as spaces, and block tags open and
    # close lines: what shows as one line break is one. A <br> breaks a line;
    # two of them, or a paragraph's end, leave a blank line.
    text = re.sub(r" *\n[\n ]*", "\n", "".join(parser.parts))
    return re.sub(rf"[\n ]*(?:{LINE_BREAK}[\n ]*)+", _breaks, text)


def _breaks(match):
    return "\n\n" if match.group(0).count(LINE_BREAK) > 1 else "\n"
