"""The arithmetic of two-factor sign-in: TOTP codes (RFC 6238), QR codes and recovery codes.

No database here: services.py stores what these functions make and check.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

import pyotp
import segno
from django.conf import settings

STEP_SECONDS = 30
# Codes one step early or late are accepted: phone clocks drift.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are copied from paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


def secret_new() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=str(settings.SITE_NAME))


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no style attribute: a strict Content-Security-Policy allows it)."""
    return str(segno.make(data, error="m").svg_inline(scale=5, border=4, svgclass="qr", title=None))


def code_normalise(code: str) -> str:
    """What was typed, without spaces and dashes, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def totp_matching_step(*, secret: str, code: str, at: float, after_step: int) -> int | None:
    """The time step whose code is ``code`` near the moment ``at``, if later than ``after_step``.

    A step already used (``after_step``) is refused, so a code seen over a shoulder cannot be
    used again. Compared in constant time.
    """
    if not looks_like_totp(code):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(at) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def recovery_codes_new() -> list[str]:
    """Ten fresh codes, written xxxxx-xxxxx for reading."""
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_code_hash(code: str) -> str:
    """SHA-256 of the normalised code: 50 random bits each need no slow hash."""
    return hashlib.sha256(code_normalise(code).encode()).hexdigest()


def address_network(address: str) -> str:
    """The network of a client address as kept in the sign-in history: IPv4 /24, IPv6 /48."""
    try:
        parsed = ipaddress.ip_address(address.split("/")[0])
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    prefix = 24 if parsed.version == 4 else 48
    return str(ipaddress.ip_network((parsed, prefix), strict=False))
