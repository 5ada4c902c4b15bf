"""Recognise navigation: a table of contents or a menu captured with the policy.

A policy page's table of contents repeats the headings of every section ("How do we
share information with third parties?"), so a classifier reading it as a clause finds
the practices of the whole document in one provision. Such text states nothing; the
classifier abstains on it.
"""

from __future__ import annotations

import re

# A Markdown link, allowing one level of brackets inside its text ("[![logo](..)](..)").
# A table of contents split across provisions can also open with the end of a link
# ("...](#7)") or close with the start of one ("[How long do we keep"), so those
# fragments count as link text too.
_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"
    r"|^([^\[\]]*)\]\([^)\s]*\)"
    r"|\[([^\[\]]*)$"
)
_LETTER = re.compile(r"[^\W\d_]")

#: Fewer links than this are references inside a clause, not a list of them.
MIN_LINKS = 3
#: Largest share of letters outside link texts that a navigation list has (numbering,
#: "Back to menu", a label such as "Information used:").
MAX_SHARE_OUTSIDE_LINKS = 0.15


def is_navigation(text: str) -> bool:
    """Return whether ``text`` is a list of links with next to nothing around them."""
    # Most provisions contain no link, and this check runs on every classified text.
    # A split table of contents can end with a link that has no "](" yet, hence the
    # one fewer.
    if text.count("](") < MIN_LINKS - 1:
        return False
    links = ["".join(groups) for groups in _LINK.findall(text)]
    if len(links) < MIN_LINKS:
        return False
    inside = sum(len(_LETTER.findall(link_text)) for link_text in links)
    outside = len(_LETTER.findall(_LINK.sub(" ", text)))
    return outside <= MAX_SHARE_OUTSIDE_LINKS * (inside + outside)
