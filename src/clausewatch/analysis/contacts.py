"""Find a platform's own privacy contacts in the text of its documents.

A contact is a link or an address that a user can act on. Its kinds are a data-deletion
request page, an account deletion page, a privacy or DPO e-mail address, a privacy
request form, an opt-out or settings page, a data export page, a postal address, and
the e-mail and postal addresses that terms name for notices of dispute and
arbitration opt-outs.

Evidence comes from the link's anchor text, its URL, its sentence and its section
heading (weights in ``clausewatch.analysis.cues``). The same contact found several times
adds up its evidence, and the result is ranked by that total, highest first.

URL kinds hold an absolute http(s) URL. E-mail kinds hold the bare address, taken from a
``mailto:`` link or from plain text. The postal kinds hold the address lines joined
with ", ". Links of any other scheme (``javascript:``, ``tel:``, ``ftp:``) are
ignored, and so are links that wrap another URL in their path and links to another
site that neither their anchor text nor their URL marks as a page to act on.

A URL written in the text without link markup (a bare URL) is read as a link whose
anchor text is the URL, as an autolink is. The words just before it must not name a
policy, a regulator or another desk, and it must be on the platform's site or carry
the evidence of a link to another site.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from clausewatch.analysis import cues
from clausewatch.analysis.postal import (
    PostalAddress,
    find_postal_addresses,
    postal_key,
)
from clausewatch.analysis.scanning import Link, Sentence, iter_sentences
from clausewatch.analysis.sections import dispute_section_reference, section_text

#: The contact kinds this module finds; the taxonomy's actions name them in ``needs``.
CONTACT_KINDS: tuple[str, ...] = (
    "deletion_request_url",
    "account_deletion_url",
    "privacy_request_form_url",
    "privacy_email",
    "dpo_email",
    "opt_out_url",
    "settings_url",
    "data_export_url",
    "postal_address",
    "dispute_email",
    "dispute_postal_address",
)
EMAIL_KINDS = frozenset({"privacy_email", "dpo_email", "dispute_email"})
POSTAL_KINDS = frozenset({"postal_address", "dispute_postal_address"})

_CONTEXT_CHARS = 200
# Minimum number of links to one site for it to count as the platform's own when
# there is no base URL, so a document with one or two outside links has no home site.
_MIN_LINKS_FOR_HOME_SITE = 3
# Words before a bare URL that may name its page, as a link's anchor text does.
_BARE_URL_NAME_WORDS = 4
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.[A-Za-z]{2,}(?![\w-])"
)


@dataclass(frozen=True)
class Contact:
    """A way to reach the platform, with the sentence it came from as ``context``."""

    kind: str
    value: str
    context: str

    @property
    def href(self) -> str | None:
        """Link target for the contact: the URL, a ``mailto:`` URL, or None for mail."""
        if self.kind in EMAIL_KINDS:
            return f"mailto:{self.value}"
        if self.kind in POSTAL_KINDS:
            return None
        return self.value


@dataclass(frozen=True)
class _Evidence:
    contact: Contact
    score: int


@dataclass(frozen=True)
class _CueSearch:
    """Functions that return the contact kinds whose cues occur in a text or a URL.

    They cache each result for the length of one extraction, because the links of a
    document share sentences, headings, anchors and URLs.
    """

    text: Callable[[str], frozenset[str]]
    url: Callable[[str], frozenset[str]]

    @classmethod
    def new(cls) -> _CueSearch:
        return cls(_kind_search(cues.TEXT_CUES), _kind_search(cues.URL_CUES))


def _kind_search(
    patterns: dict[str, re.Pattern[str]],
) -> Callable[[str], frozenset[str]]:
    @functools.cache
    def kinds(text: str) -> frozenset[str]:
        return frozenset(kind for kind, cue in patterns.items() if cue.search(text))

    return kinds


def extract_contacts(markdown: str, *, base_url: str | None = None) -> list[Contact]:
    """Find the privacy contacts in a platform's documents, best evidence first.

    ``markdown`` is the text of one document or of several joined together. Relative
    links are resolved against ``base_url``; without it they are skipped, because a
    relative URL cannot be shown to a user. Links on the ``base_url`` site rank above
    equal evidence for other sites.
    """
    found: list[_Evidence] = []
    sentences = list(iter_sentences(markdown))
    own_site = _site(base_url) if base_url else None
    # Without a base URL, the site that most links point to replaces the platform's
    # own site when links to other sites are checked.
    home_site = own_site or _most_linked_site(sentences)
    cue_search = _CueSearch.new()
    for sentence in sentences:
        # Most sentences have neither a link nor an "@" and give no evidence.
        if sentence.links:
            found.extend(
                _link_evidence(sentence, base_url, own_site, home_site, cue_search)
            )
        if sentence.links or "@" in sentence.text:
            found.extend(_email_evidence(sentence))
    found.extend(
        _Evidence(
            Contact(_postal_kind(address), address.value, address.context),
            _postal_score(address),
        )
        for address in find_postal_addresses(markdown, sentences)
        if _is_platform_address(address)
    )
    found.extend(_referenced_dispute_evidence(markdown, sentences))
    return _rank(found)


def _is_platform_address(address: PostalAddress) -> bool:
    """Tell the platform's own mail addresses from other desks' and other bodies'."""
    return not (
        cues.DECOY_TEXT.search(f"{address.context} {address.value}")
        or cues.DISPUTE_BODY_TEXT.search(address.value)
    )


def _referenced_dispute_evidence(
    markdown: str, sentences: list[Sentence]
) -> Iterator[_Evidence]:
    """Find the dispute addresses that terms give by pointing to another section.

    "Send your opt-out notice through the means in Section 21 (Contact Us)" makes the
    e-mail and postal addresses of that section dispute addresses, with the sentence
    that points there as their context.
    """
    for sentence in sentences:
        reference = dispute_section_reference(sentence)
        body = section_text(markdown, reference) if reference else None
        if not body:
            continue
        # NOTE: the section's links (a contact form) are not followed. No link kind is
        # for notices of dispute alone, and an opt-out page would also be offered to
        # opt out of ads and sale.
        context = _context(sentence, sentence.text.lower().find("section"))
        for address in find_postal_addresses(body):
            if _is_platform_address(address):
                contact = Contact("dispute_postal_address", address.value, context)
                yield _Evidence(contact, 1)
        for body_sentence in iter_sentences(body):
            if "@" not in body_sentence.text and not body_sentence.links:
                continue
            if cues.DECOY_TEXT.search(body_sentence.text):
                continue
            for email, _ in _email_mentions(body_sentence):
                if not cues.DECOY_LOCAL_PART.match(email.split("@", 1)[0]):
                    yield _Evidence(Contact("dispute_email", email, context), 3)


def _postal_kind(address: PostalAddress) -> str:
    """Tell a postal address for notices of dispute from one for other mail.

    Dispute words in the lead-in or the lines make it a dispute address, and so does
    an attention line to the disputes, litigation or legal department, unless the
    address is also for privacy mail ("Attn: Legal Department - Privacy"). The same
    address given for both purposes in different places is found as both kinds.
    """
    text = f"{address.context} {address.value}"
    if cues.TOPIC_CUES["arbitration"].search(text):
        return "dispute_postal_address"
    for_privacy = cues.PRIVACY_TEXT.search(text) or cues.DPO_TEXT.search(text)
    if cues.DISPUTE_ATTENTION.search(address.value) and not for_privacy:
        return "dispute_postal_address"
    return "postal_address"


def _postal_score(address: PostalAddress) -> int:
    """Score an address higher when it is addressed to privacy or the DPO."""
    text = f"{address.context} {address.value}"
    if cues.PRIVACY_TEXT.search(text) or cues.DPO_TEXT.search(text):
        return 3
    return 1


def _rank(found: list[_Evidence]) -> list[Contact]:
    totals: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], Contact] = {}
    for evidence in found:
        contact = evidence.contact
        key = (contact.kind, _dedup_key(contact.kind, contact.value))
        totals[key] = totals.get(key, 0) + evidence.score
        first.setdefault(key, evidence.contact)
    order = sorted(first, key=lambda key: -totals[key])
    return [first[key] for key in order]


def _dedup_key(kind: str, value: str) -> str:
    if kind in POSTAL_KINDS:
        return postal_key(value)
    return _url_key(value)


def _url_key(url: str) -> str:
    return url.lower().rstrip("/")


def _link_evidence(
    sentence: Sentence,
    base_url: str | None,
    own_site: str | None,
    home_site: str | None,
    cue_search: _CueSearch,
) -> Iterator[_Evidence]:
    has_bare_url = any(link.bare for link in sentence.links)
    seen = _marked_up_urls(sentence, base_url) if has_bare_url else set()
    previous_end = 0
    for link in sentence.links:
        target = link.target.strip()
        lead_in = sentence.text[previous_end : link.start]
        previous_end = link.end
        # Mail links are read as e-mails, and "#section" links point inside the page.
        if target.lower().startswith("mailto:") or target.startswith("#"):
            continue
        url = _absolute_url(target, base_url)
        if url is None or cues.WRAPPED_URL_PATH.search(urlsplit(url).path):
            continue
        if link.bare:
            # A URL written out next to a link to it, or twice, is one mention.
            if _url_key(url) in seen or _names_other_page(lead_in):
                continue
            seen.add(_url_key(url))
        # A bare URL has no anchor text from the platform. Without a home site to
        # tell it is the platform's own page, it needs the evidence of an off-site link.
        if home_site is None:
            off_site = link.bare
        else:
            off_site = _site(url) != home_site
        kind, score = _classify_link(link, url, sentence, cue_search, off_site)
        # The platform's own pages rank above third parties' opt-out tools.
        if kind is not None and own_site and _site(url) == own_site:
            score += cues.OWN_SITE_WEIGHT
        if kind is not None:
            yield _Evidence(Contact(kind, url, _context(sentence, link.start)), score)


def _names_other_page(lead_in: str) -> bool:
    """Tell whether the words before a bare URL name a page that is no contact.

    They name the page as a link's anchor text would: another desk, as for an
    e-mail address ("for press inquiries, see"), or, in the last few words, a
    policy or a regulator ("our Privacy Policy at").
    """
    if cues.DECOY_TEXT.search(lead_in):
        return True
    last_words = " ".join(lead_in.split()[-_BARE_URL_NAME_WORDS:])
    return bool(cues.NOT_A_CONTACT_ANCHOR.search(last_words))


def _marked_up_urls(sentence: Sentence, base_url: str | None) -> set[str]:
    """Return the keys of the URLs that the sentence's Markdown links target."""
    urls = (
        _absolute_url(link.target.strip(), base_url)
        for link in sentence.links
        if not link.bare
    )
    return {_url_key(url) for url in urls if url}


def _most_linked_site(sentences: list[Sentence]) -> str | None:
    """Return the site of most absolute links, if it has at least three of them.

    Bare URLs do not count, because a document often lists other sites' pages in
    plain text (the privacy policies of its partners).
    """
    sites = Counter(
        _site(link.target)
        for sentence in sentences
        for link in sentence.links
        if not link.bare
        and urlsplit(link.target.strip()).scheme.lower() in {"http", "https"}
    )
    if not sites:
        return None
    site, count = sites.most_common(1)[0]
    return site if count >= _MIN_LINKS_FOR_HOME_SITE else None


def _site(url: str) -> str:
    """Return the registrable part of a URL's host, as an approximation.

    "help.example.com" gives "example.com" and "www.example.co.uk" gives
    "example.co.uk", taking three labels when the second-level label is short.
    """
    host = (urlsplit(url).hostname or "").lower()
    labels = host.split(".")
    # NOTE: a guess without the public suffix list; "foo.github.io" reads as github.io.
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def _absolute_url(target: str, base_url: str | None) -> str | None:
    scheme = urlsplit(target).scheme.lower()
    if scheme and scheme not in {"http", "https"}:
        return None
    if not scheme:
        if base_url is None or urlsplit(base_url).scheme.lower() not in {
            "http",
            "https",
        }:
            return None
        target = urljoin(base_url, target)
    parts = urlsplit(target)
    if not parts.netloc:
        return None
    # Text fragments (#:~:text=...) are a browser's highlight, not part of the page.
    fragment = "" if parts.fragment.startswith(":~:") else parts.fragment
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, fragment)
    )


def _classify_link(
    link: Link, url: str, sentence: Sentence, cue_search: _CueSearch, off_site: bool
) -> tuple[str | None, int]:
    anchor = link.anchor.strip()
    if cues.NOT_A_CONTACT_ANCHOR.search(anchor):
        return None, 0
    generic = not anchor or bool(cues.GENERIC_ANCHOR.match(anchor))
    sentence_weight = (
        cues.GENERIC_ANCHOR_SENTENCE_WEIGHT if generic else cues.SENTENCE_WEIGHT
    )
    # Kinds in order of precedence, so max() breaks ties as the cues module intends.
    scores = dict.fromkeys(cues.TEXT_CUES, 0)
    for kind in cue_search.text(anchor):
        scores[kind] += cues.ANCHOR_WEIGHT
    for kind in cue_search.url(unquote(url)):
        scores[kind] += cues.URL_WEIGHT
    for kind in cue_search.text(sentence.heading):
        scores[kind] += cues.HEADING_WEIGHT
    # The sentence is the longest text to search. Most links cannot reach the
    # threshold even with its weight, so they are rejected before the search.
    if max(scores.values()) + sentence_weight < cues.LINK_THRESHOLD:
        return None, 0
    for kind in cue_search.text(sentence.text):
        scores[kind] += sentence_weight
    best_kind = max(scores, key=scores.__getitem__)
    if scores[best_kind] < cues.LINK_THRESHOLD:
        return None, 0
    if best_kind == "settings_url" and cues.NOT_PRIVACY_SETTINGS.search(
        f"{anchor} {unquote(url)} {sentence.text}"
    ):
        return None, 0
    # The sentence around a link to another site may describe that site's page (its
    # terms for businesses, say), so such a link needs evidence of its own.
    parts = urlsplit(url)
    if (
        off_site
        and best_kind not in cue_search.text(anchor)
        and not cue_search.url(unquote(url))
        and not cues.ACTIONABLE_URL.search(f"{parts.netloc}{parts.path}")
    ):
        return None, 0
    return best_kind, scores[best_kind]


def _email_evidence(sentence: Sentence) -> Iterator[_Evidence]:
    mentions = _email_mentions(sentence)
    for index, (address, position) in enumerate(mentions):
        start = mentions[index - 1][1] + 1 if index else 0
        before = sentence.text[start:position]
        end = mentions[index + 1][1] if index + 1 < len(mentions) else None
        after = sentence.text[position:end]
        kind, score = _classify_email(address, before, after, sentence.heading)
        if kind is not None:
            yield _Evidence(Contact(kind, address, _context(sentence, position)), score)


def _email_mentions(sentence: Sentence) -> list[tuple[str, int]]:
    """List (address, position) pairs from mailto links and plain text, once each."""
    mentions: dict[str, int] = {}
    for link in sentence.links:
        target = link.target.strip()
        if target.lower().startswith("mailto:"):
            address = unquote(target[len("mailto:") :].split("?", 1)[0]).strip()
            if _EMAIL.fullmatch(address):
                mentions.setdefault(address.lower(), link.start)
    # Every address contains "@", and scanning for one is far cheaper than the pattern.
    if "@" in sentence.text:
        for match in _EMAIL.finditer(sentence.text):
            mentions.setdefault(match.group().lower().rstrip("."), match.start())
    return sorted(mentions.items(), key=lambda item: item[1])


def _classify_email(
    address: str, before: str, after: str, heading: str
) -> tuple[str | None, int]:
    """Decide whether an address is the privacy, DPO or dispute address, with a score.

    The text just before the address is the best cue ("contact our DPO at ..."); the
    text after it counts only when the text before has no cue.
    """
    local = address.split("@", 1)[0]
    if cues.DPO_LOCAL_PART.search(local):
        return "dpo_email", 4
    if cues.PRIVACY_LOCAL_PART.search(local):
        return "privacy_email", 4
    if cues.DISPUTE_LOCAL_PART.search(local):
        return "dispute_email", 4
    if cues.DECOY_LOCAL_PART.match(local):
        return None, 0
    near = before if _has_email_cue(before) else after
    if cues.DECOY_TEXT.search(near):
        return None, 0
    # Arbitration words come first, because an arbitration opt-out sentence also
    # contains "opt out", a privacy cue.
    if cues.DISPUTE_TEXT.search(near):
        if cues.DISPUTE_BODY_TEXT.search(near):
            return None, 0
        return "dispute_email", 3
    if cues.DPO_TEXT.search(near):
        return "dpo_email", 3
    if cues.PRIVACY_TEXT.search(near):
        return "privacy_email", 2
    if heading and cues.DPO_TEXT.search(heading):
        return "dpo_email", 1
    if heading and cues.PRIVACY_TEXT.search(heading):
        return "privacy_email", 1
    return None, 0


def _has_email_cue(text: str) -> bool:
    return bool(
        cues.DPO_TEXT.search(text)
        or cues.PRIVACY_TEXT.search(text)
        or cues.DECOY_TEXT.search(text)
        or cues.DISPUTE_TEXT.search(text)
    )


def _context(sentence: Sentence, position: int) -> str:
    """Return the sentence, cut to a window around ``position`` when it is long."""
    text = sentence.text
    if len(text) <= _CONTEXT_CHARS:
        return text
    start = max(0, min(position - _CONTEXT_CHARS // 2, len(text) - _CONTEXT_CHARS))
    window = text[start : start + _CONTEXT_CHARS]
    if start > 0:
        window = "…" + window[window.find(" ") + 1 :]
    if start + _CONTEXT_CHARS < len(text):
        window = window[: window.rfind(" ")] + "…"
    return window
