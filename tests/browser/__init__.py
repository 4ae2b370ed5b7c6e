"""Browser tests: the pages driven in Chromium against a live server."""
