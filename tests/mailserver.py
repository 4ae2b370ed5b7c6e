"""A real SMTP server on the loopback (aiosmtpd) that keeps what it receives."""

import asyncio
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

MAIL_FROM = "casepath <support@vendor.example>"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP handler that keeps every message, or answers as a test tells it."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.rcpt_reply = None
        self.data_reply = None
        self.data_delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.messages.append(message_from_bytes(envelope.content, policy=policy.SMTP))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.data_delay:
            # Kept the message, but slow to say so: the sender may give up first.
            await asyncio.sleep(self.data_delay)
        return "250 Message accepted"

    def message_ids(self):
        return [message["Message-ID"] for message in self.messages]


@contextmanager
def smtp_server():
    """(inbox, port) of an SMTP server listening on 127.0.0.1 for the block."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def smtp_settings(port, **more):
    """App settings that send through the test server on `port`."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_TIMEOUT": 5.0,
        "MAIL_FROM": MAIL_FROM,
        **more,
    }
