"""Platform ids derived from names ("Claude.ai" -> "claude-ai")."""

from __future__ import annotations

import re
import unicodedata


def platform_slug(name: str) -> str:
    """Return a lower-case id of letters, digits and dashes for a platform name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or "platform"
