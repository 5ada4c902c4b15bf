"""Find postal addresses for privacy mail in policy Markdown.

Two layouts occur. A block: a lead-in such as "you can write to us at:" followed by
three to eight short lines (company, street, city and postcode, country), sometimes with
blank lines between them. Inline: one sentence such as "Mailing address: Example Inc.,
Attn: Privacy, 1 Main Street, Springfield, IL 62701" or a list item under "Our addresses
are:".
An address counts only when a mail cue is near and a line looks like a street or a
postcode, so the registered office named in a contract's first line is not taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from clausewatch.analysis.scanning import Sentence, clean_text, iter_sentences

_I = re.IGNORECASE
_MAIL_CUE = re.compile(
    r"\bwrite to (?:us|the|our)\b|\bby (?:post|mail|letter)\b|\bmailing address\b"
    r"|\bpostal address\b|\bpost(?:al)? mail\b|\bsend (?:us )?(?:a )?letter\b"
    r"|\bour (?:postal |mailing )?address(?:es)? (?:is|are)\b|\battn\b|\battention:"
    r"|\bcontact us at:|\bfollowing (?:address|contact information)\b"
    r"|\buse this address\b|\bmailed to\b|\bcertified mail\b|\bto this address\b",
    _I,
)
_STREET = re.compile(
    r"^\d+[A-Za-z]?\s+\w|\b\d+[A-Za-z]?\s+[\w'’.-]+(?:\s+[\w'’.-]+)?\s+"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Way|Place|Pl|Quay|Boulevard|Blvd|Lane|Ln"
    r"|Drive|Dr|Court|Ct|Square|Sq|Parkway|Pkwy|Terrace|Row|Yard)\b"
    r"|\b(?:Street|Road|Avenue|Quay|Boulevard|Lane|Parkway|Suite|Floor|Unit"
    r"|P\.?\s?O\.?\s?Box|Postfach|Rue|Straße|Strasse|Calle|Via|Avenida)\b"
)
_POSTCODE = re.compile(
    r"\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b\d{5}(?:-\d{4})?\b"
    r"|\b[A-Z]\d{2}\s?[A-Z0-9]{4}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
    r"|\b\d{4,5}\s+[A-Z][\w-]+|\bDublin \d{1,2}\b"
)
_NOT_ADDRESS = re.compile(
    r"https?://|\]\(|@|^\s*#|\||\b\d{1,2}:\d{2}\b|\b(?:we|you|your|our|will|may|must|please)\b",
    _I,
)
_TRAILER = re.compile(
    r"\.?\s+(?:Tel(?:ephone)?|Phone|Fax|E-?mail)\b.*$"
    r"|\s+(?:or|and)\s+(?:\([a-z]\)\s+)?(?:by |via |at )?(?:e-?mail|phone|telephone"
    r"|online)\b.*$"
    r"|\.?\s+or\s+\S+@.*$|\s+so that\b.*$",
    _I,
)
# The words just before an address inside a sentence: a verb of sending and "to" or
# "at" ("should be mailed to", "mail your notice to"), or "address:" ("our address for
# notices is:"). Terms name the address for notices of dispute this way, after other
# text about the notice.
_INLINE_LEAD = re.compile(
    r"\b(?:to|at)\s+(?:this|the following|our)(?:\s+entity and)?(?:\s+postal|"
    r"\s+mailing)?\s+address\s*:?\s*"
    r"|\b(?:mail(?:ed|ing)?|sen[dt]|sending|provided?|deliver(?:ed)?|addressed"
    r"|writ(?:e|ing)|post(?:ed)?)\b(?:\s+(?!(?:to|at)\b)[^\s,.;:]+){0,6}?"
    r"\s+(?:to|at)\s*:?\s+(?:us\s+at\s*:?\s+)?"
    r"|\baddress(?:es)?(?:\s+for\s+(?:[\w-]+\s+){0,2}?[\w-]+)?(?:\s+(?:is|are))?"
    r"\s*:\s*",
    _I,
)
_LEAD_LABEL = re.compile(
    r"^.*?\b(?:write to us|by (?:post|mail|letter)|mailing address|postal address"
    r"|send(?:ing)? us a letter"
    r"|our (?:postal |mailing )?address(?:es)? (?:is|are))\b"
    r"(?:\s+(?:at|is|to))?(?:\s+the following address)?\s*:?\s*",
    _I,
)
# Company register details that notices print beside an address: register, company,
# VAT and tax numbers, the register itself, share capital and the legal
# representative. A line, or the rest of a sentence, from one of these on is not
# part of a mailing address. "with company number" drops its "with" too.
_REGISTER_DETAILS = re.compile(
    r"(?:\b(?:with|and|under)\s+)?(?:"
    r"\b(?:company|companies|registration|registered|register|reg\.|VAT|tax|Co\."
    r"|business|trade)\s*(?:reg(?:istration)?\.?\s*)?"
    r"(?:number|no\.|no\b|num\b|ID\b|identification number)"
    r"|\bUEN\b|\bVAT\b|\bshare capital\b"
    r"|\b(?:legal|authori[sz]ed) representative\s*[-–—:]"
    r"|\bwebsite host\s*[-–—:]|\b(?:commercial|trade|companies) register\b"
    r"|\bregister of companies\b|\bHandelsregister\b|\bR\.C\.S\.|\bRCS\b"
    r"|\bAmtsgericht\b|\bHRB\b|\bKvK\b|\bchamber of commerce\b|\bCompanies House\b"
    r"|\bregistered in England(?: and Wales)?\b|\bincorporated (?:in|under|and)\b)",
    _I,
)
# A description of the company's form inside an address ("Example Ltd, an Irish
# company limited by shares"), up to "located at" when the street follows it.
_COMPANY_FORM = re.compile(
    r"\ban?\s+(?:[A-Z][\w.'’-]*\s+){0,4}(?:limited liability |private limited "
    r"|public limited )?(?:company|corporation)\b(?:\s+limited by shares)?"
    r"(?:\s+(?:registered|incorporated)\s+in\s+[A-Z][\w]*(?:\s+and\s+[A-Z]\w*)?)?"
    r"(?:\s+(?:and\s+)?(?:located|with its registered office|having its registered "
    r"offices?|whose registered office is)\s+at\b)?\s*"
)
# A remark in brackets that starts with a lower-case word ("(as the case may be)",
# "(the “Company”)") is not printed on an envelope, but "(c/o Example AG)" is.
_REMARK = re.compile(r"\s*\((?!c/o\b)[a-z][^()]*\)")
# Lower-case words of a sentence that no address line contains. A sentence with commas
# and a street ("... shall be made in writing and sent to ...") contains them.
_PROSE = re.compile(
    r"\b(?:shall|should|would|could|can|is|are|was|were|be|been|has|have|had|that"
    r"|which|if|unless)\b"
)
_RULE = re.compile(r"^[-=_*\s]+$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s")
_HARD_BREAK = re.compile(r"(\s{2,}|\\)$")
_SENTENCE_STOP = re.compile(r"[a-z]{4,}\.$")
_MAX_LINE = 70
# A part of an inline address can hold two printed lines that the text runs together
# without a comma ("Example Ltd Attn: Legal"), or company names joined by "/".
_MAX_PART = 2 * _MAX_LINE
_MAX_CONTEXT = 200


@dataclass(frozen=True)
class PostalAddress:
    """An address as one line (parts joined with ", ") and the lead-in sentence."""

    value: str
    context: str


def find_postal_addresses(
    markdown: str, sentences: Sequence[Sentence] | None = None
) -> list[PostalAddress]:
    """Return the postal addresses offered for mail, block layout first, in order.

    An address appears once for each lead-in or sentence that offers it.

    ``sentences`` is ``iter_sentences(markdown)`` when the caller has it already.
    """
    if sentences is None:
        sentences = list(iter_sentences(markdown))
    found = list(_block_addresses(markdown)) + list(_inline_addresses(sentences))
    # An address given again in another context is kept, because terms can name the
    # privacy desk's address for notices of dispute as well.
    unique: dict[tuple[str, str], PostalAddress] = {}
    for address in found:
        unique.setdefault((postal_key(address.value), address.context), address)
    return list(unique.values())


def postal_key(value: str) -> str:
    """Return a comparison key that ignores case, spacing and punctuation."""
    return re.sub(r"\W+", "", value).lower()


def strip_register_details(text: str) -> str:
    """Remove register details, company-form phrases and remarks from address text.

    Returns the text up to the first register detail, without a phrase such as
    "a company registered in England and located at" or a remark such as "(as the
    case may be)", or "" when the text is all register details ("VAT number: ...").
    """
    text = _REMARK.sub("", text)
    text = _COMPANY_FORM.sub("", text)
    register = _REGISTER_DETAILS.search(text)
    if register:
        text = text[: register.start()]
    return text.rstrip().rstrip(",;:–—-(").strip()


def looks_like_address(parts: list[str]) -> bool:
    """Tell whether parts (lines or comma-separated pieces) form a postal address.

    An address has 3 to 10 parts of line length, and none reads as a sentence. The
    number of parts, not of characters, bounds it, so a long company name or several
    names joined by "/" still count.
    """
    if not 3 <= len(parts) <= 10:
        return False
    if any(len(part) > _MAX_PART or _PROSE.search(part) for part in parts):
        return False
    if not re.search(r"[A-Za-z]{2}", parts[0]):
        return False
    has_street = any(_STREET.search(part) for part in parts)
    has_postcode = any(_POSTCODE.search(part) for part in parts)
    return has_street or has_postcode


def _block_addresses(markdown: str) -> Iterator[PostalAddress]:
    lines = [
        clean_text(_strip_hard_break(line)).strip() for line in markdown.splitlines()
    ]
    index = 0
    while index < len(lines):
        # No run starts at a line too long for an address, and most lines are.
        if len(lines[index]) > _MAX_LINE:
            index += 1
            continue
        run, next_index = _address_run(lines, index)
        # The shape test comes first because it is cheaper than the cue search.
        if run and looks_like_address(run):
            lead = _lead_in(lines, index)
            if _MAIL_CUE.search(lead) or any(_MAIL_CUE.search(x) for x in run):
                value = ", ".join(part.rstrip(",") for part in run)
                yield PostalAddress(value, lead[:_MAX_CONTEXT])
        index = max(next_index, index + 1)


def _strip_hard_break(line: str) -> str:
    # A hard break is trailing whitespace or a backslash, so a line ending in anything
    # else is left as it is without running the pattern over the whole line.
    if line.endswith("\\") or line[-1:].isspace():
        return _HARD_BREAK.sub("", line)
    return line


def _address_run(lines: list[str], start: int) -> tuple[list[str], int]:
    """Collect short address-like lines from ``start``, allowing single blank lines."""
    run: list[str] = []
    index = start
    blanks = 0
    while index < len(lines):
        line = lines[index]
        if not line:
            blanks += 1
            if blanks > 1:
                break
        elif run and _LIST_ITEM.match(line) and not _LIST_ITEM.match(run[0]):
            # A new list item after an address written inside the previous item
            # starts another topic ("- Effective Date"), not another address line.
            break
        elif _is_address_line(line) and not _is_setext_heading(lines, index):
            # A register line ("Registration number: ...") is left out, and the
            # address lines after it still count.
            address_line = strip_register_details(line)
            if address_line:
                run.append(address_line)
            blanks = 0
        else:
            break
        index += 1
    return run, index


def _is_setext_heading(lines: list[str], index: int) -> bool:
    return index + 1 < len(lines) and bool(_RULE.match(lines[index + 1]))


def _is_address_line(line: str) -> bool:
    if len(line) > _MAX_LINE or _NOT_ADDRESS.search(line) or _RULE.match(line):
        return False
    # A line ending in a colon introduces what follows ("By post:"), as a lead-in
    # or the heading of the next block.
    if line.endswith(":"):
        return False
    # A full stop after a lower-case word ends a sentence, but "Inc." and "Ltd." do not.
    return not (line.endswith(".") and _SENTENCE_STOP.search(line))


def _lead_in(lines: list[str], start: int) -> str:
    """Return the nearest non-empty line above ``start``, at most three lines up."""
    for index in range(start - 1, max(start - 4, -1), -1):
        if lines[index]:
            return lines[index]
    return ""


def _inline_addresses(sentences: Sequence[Sentence]) -> Iterator[PostalAddress]:
    pending = 0
    lead = ""
    for sentence in sentences:
        text = sentence.text
        introduces_list = text.rstrip().endswith(":")
        # An inline address has at least three comma-separated parts, so a sentence
        # with fewer than two commas yields none, with or without a cue. Such a
        # sentence needs the cue search only when it ends in ":" and may start a list.
        if text.count(",") < 2 and not introduces_list:
            pending = max(pending - 1, 0)
            continue
        cue = _MAIL_CUE.search(text)
        if cue and not introduces_list:
            value = _inline_value(text)
            if value:
                yield PostalAddress(value, text[:_MAX_CONTEXT])
        elif pending:
            value = _inline_value(text, labelled=False)
            if value:
                yield PostalAddress(value, lead)
        # "Our addresses are:" introduces the list items that follow it.
        if cue and introduces_list:
            pending, lead = 3, text[:_MAX_CONTEXT]
        else:
            pending = max(pending - 1, 0)


def _inline_value(text: str, *, labelled: bool = True) -> str | None:
    value = _strip_lead(text) if labelled else text
    value = _TRAILER.sub("", value).strip().rstrip(".;").strip()
    value = strip_register_details(value)
    parts = [part.strip() for part in value.split(",") if part.strip()]
    if not looks_like_address(parts) or _NOT_ADDRESS.search(value.replace("Attn", "")):
        return None
    return ", ".join(parts)


def _strip_lead(text: str) -> str:
    """Return the text after its lead-in, where an inline address starts.

    The lead-in is the last sending phrase before the first street or postcode, so
    "Notices of dispute should be mailed to Example Inc., 1 Main Street" yields the
    company and street. Without one, a label such as "Mailing address:" is removed.
    """
    marks = [m.start() for m in _STREET.finditer(text)]
    marks += [m.start() for m in _POSTCODE.finditer(text)]
    if marks:
        first_mark = min(marks)
        leads = [m for m in _INLINE_LEAD.finditer(text) if m.end() <= first_mark]
        if leads:
            return text[leads[-1].end() :]
    return _LEAD_LABEL.sub("", text, count=1)
