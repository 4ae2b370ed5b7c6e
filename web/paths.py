"""Where a page may send the browser next: a path on this site, nothing else."""

import re
from urllib.parse import urlsplit

PLAIN_PATH = re.compile(r"/[A-Za-z0-9/_.~%?&=+-]*")


def local_path(target):
    """`target` when it is a plain path of this site, else None.

    Control characters, backslashes, a second leading slash or any scheme or
    host make it None, so no sign-in or button can send a browser elsewhere.
    """
    if not target or not PLAIN_PATH.fullmatch(target) or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.rstrip("?")
