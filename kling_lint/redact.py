"""Secrets never leave kling-lint in full: every text it prints about a file passes through here."""

from __future__ import annotations

import os
import re

# What an API token looks like in a request file: an OpenAI-style key, or a bearer header value.
SECRET = re.compile(r"(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9][A-Za-z0-9_\-]{15,}|Bearer\s+[A-Za-z0-9\-._~+/]{12,}=*)")
TOKEN_VARIABLE = "KLING_API_KEY"


def _mask(match: re.Match[str]) -> str:
    text = match.group()
    return "Bearer ****" if text.startswith("Bearer") else text[:3] + "****"


def _mask_in_place(match: re.Match[str]) -> str:
    text = match.group()
    return text[:3] + "*" * (len(text) - 3)


def redact(text: str, keep_length: bool = False) -> str:
    """``text`` with every token-like string, and the value of $KLING_API_KEY, masked.

    ``keep_length`` masks character for character, so that columns in a source line still match.
    """
    token = os.environ.get(TOKEN_VARIABLE, "")
    if len(token) >= 8 and token in text:
        text = text.replace(token, "*" * len(token) if keep_length else "****")
    return SECRET.sub(_mask_in_place if keep_length else _mask, text)
