"""Where students reach the page: the machine's address on the local network, and its QR code."""
from __future__ import annotations

import io
import socket

import segno

LOOPBACK = "127.0.0.1"
# A documentation-only address (RFC 5737): connecting a UDP socket to it sends nothing,
# but makes the system choose the interface it would route through, which is the LAN's.
_PROBE = ("192.0.2.1", 9)


def lan_address() -> str:
    """This machine's IPv4 address on the network it routes through; loopback when it has none."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(_PROBE)
        return probe.getsockname()[0]
    except OSError:
        return LOOPBACK
    finally:
        probe.close()


def qr_png(text: str, scale: int = 8) -> bytes:
    """``text`` as a QR code, PNG bytes with the standard quiet zone, ``scale`` pixels a module."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
