"""Follow a reference from the dispute terms to a numbered section of the same document.

Terms sometimes name no address for an arbitration opt-out and point to another
section instead: "submit your opt-out notice through one of the means in Section 21
(Contact Us) below". The text of that section contains the routes for the notice.

Only a reference by number to a Markdown heading of the same document is followed.
When the reference also gives the section's title in brackets, the heading must carry
that title, so a renumbered document does not lead to the wrong section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clausewatch.analysis import cues
from clausewatch.analysis.scanning import Sentence, clean_text

_I = re.IGNORECASE
# "means / methods / contact details ... in Section 21 (Contact Us)", not a subsection
# ("Section 21(b)", "Section 21.2") and not followed by "of the <other document>",
# which points outside this one. The title group is possessive, so the check for "of"
# cannot match by skipping the title.
_REFERENCE = re.compile(
    r"\b(?:means|methods|ways|channels|contact (?:details|information)|addresses)\b"
    r"[^.;]{0,40}?\b(?:in|under|at)\s+section\s+(?P<number>\d{1,3})\b"
    r"(?!\.\d|\s*\(\w\))(?:\s*\((?P<title>[^()]{1,60})\))?+"
    r"(?!\s+of\s+(?:the|our|these|this)\b)",
    _I,
)
# A notice of opt-out or of dispute is what the referenced section's means carry.
_NOTICE = re.compile(r"\bnotices?\b|\bopt(?:ing)?[- ]?outs?\b", _I)
_ATX_HEADING = re.compile(r"^\s{0,3}(?P<marks>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_NUMBERED_TITLE = re.compile(
    r"^(?:section\s+)?(?P<number>\d{1,3})\s*[.):]?(?:\s+(?P<title>.*))?$", _I
)


@dataclass(frozen=True)
class SectionReference:
    """A reference to section ``number``, with its ``title`` when the text gives it."""

    number: str
    title: str | None


def dispute_section_reference(sentence: Sentence) -> SectionReference | None:
    """Return the section that a sentence of the dispute terms sends notices through.

    The sentence or its heading must be about arbitration or disputes, the sentence
    must name a notice or an opt-out, and it must point to the means, methods or
    contact details of a numbered section.
    """
    text = sentence.text
    if "ection" not in text:
        return None
    match = _REFERENCE.search(text)
    if match is None or not _NOTICE.search(text):
        return None
    if not cues.TOPIC_CUES["arbitration"].search(f"{sentence.heading} {text}"):
        return None
    title = match.group("title")
    return SectionReference(match.group("number"), title.strip() if title else None)


def section_text(markdown: str, reference: SectionReference) -> str | None:
    """Return the Markdown under the heading of the referenced section, if any.

    The section runs to the next heading of the same or a higher level. None is
    returned when no heading, or more than one, has the number and title.
    """
    lines = markdown.splitlines()
    starts = [
        (index, len(match.group("marks")))
        for index, line in enumerate(lines)
        if "#" in line
        and (match := _ATX_HEADING.match(line))
        and _heading_matches(match.group("title"), reference)
    ]
    if len(starts) != 1:
        return None
    start, level = starts[0]
    end = len(lines)
    for index in range(start + 1, len(lines)):
        heading = _ATX_HEADING.match(lines[index]) if "#" in lines[index] else None
        if heading and len(heading.group("marks")) <= level:
            end = index
            break
    return "\n".join(lines[start + 1 : end])


def _heading_matches(raw_title: str, reference: SectionReference) -> bool:
    numbered = _NUMBERED_TITLE.match(clean_text(raw_title).strip())
    if numbered is None or numbered.group("number") != reference.number:
        return False
    if reference.title is None:
        return True
    return _words(numbered.group("title") or "").startswith(_words(reference.title))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
