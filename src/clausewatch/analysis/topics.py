"""Decide whether a contact is about the subject an action needs.

An action can name a topic in the taxonomy (``arbitration``, ``account_security``,
``cookies``, ``subscriptions``, ``model_training``). Its contacts must then be about
that topic: the sentence a link or an address came from, or the URL, contains the
topic's words. A contact about cookies alone, or a link to a cookie page, serves only
cookie actions, so a cookie banner toggle is never offered as the way to opt out of
arbitration, profiling or advertising. A link to a subscription or renewal page serves
only subscription actions, and so does a postal address for cancelling a purchase or
a subscription. A postal address for notices of dispute serves only arbitration
actions, as a dispute e-mail address does. An opt-out of prescreened credit offers
serves no action, because none is about credit offers.
"""

from __future__ import annotations

from urllib.parse import unquote

from clausewatch.analysis import cues
from clausewatch.analysis.contacts import Contact

_DISPUTE_KINDS = frozenset({"dispute_email", "dispute_postal_address"})


def is_about(contact: Contact, topic: str) -> bool:
    """Return whether the contact's sentence or URL contains the topic's words.

    A dispute e-mail or postal address is about arbitration by its kind, because
    extraction found it in terms about disputes or addressed to a legal desk.
    """
    if topic == "arbitration" and contact.kind in _DISPUTE_KINDS:
        return True
    if topic == "subscriptions" and is_cancellation_address(contact):
        return True
    return bool(cues.TOPIC_CUES[topic].search(_evidence(contact)))


def is_cookie_only(contact: Contact) -> bool:
    """Return whether the contact is about cookies and no other use of data.

    A link to a cookie page ("/cookie-settings") is, whatever its sentence names:
    a sentence that lets readers refuse ad cookies there still leads to a page that
    manages cookies, not to an ad, sale or profiling opt-out.
    """
    if _is_cookie_page(contact):
        return True
    if not is_about(contact, "cookies"):
        return False
    if cues.OTHER_DATA_USES_TEXT.search(contact.context):
        return False
    # A sentence about cookies that also offers to opt out of a partner's service
    # reaches beyond cookies.
    return not cues.OPT_OUT_WORDS.search(contact.context)


def is_credit_offer_only(contact: Contact) -> bool:
    """Return whether the contact is about prescreened credit offers alone.

    Such an opt-out stops offers of credit or insurance, so it serves no action about
    ads, sale, sharing or profiling. A link whose URL names prescreening is one,
    whatever its sentence names.
    """
    if contact.kind.endswith("_url") and cues.CREDIT_OFFER_URL.search(
        unquote(contact.value)
    ):
        return True
    return bool(
        cues.CREDIT_OFFER_TEXT.search(contact.context)
        and not cues.OTHER_DATA_USES_TEXT.search(contact.context)
    )


def is_subscription_page(contact: Contact) -> bool:
    """Return whether the contact is a link to a subscription or renewal page."""
    is_link = contact.kind.endswith("_url")
    return is_link and bool(cues.SUBSCRIPTION_URL.search(unquote(contact.value)))


def is_cancellation_address(contact: Contact) -> bool:
    """Return whether the contact is a postal address for cancellation notices.

    An attention line to the cancellations, billing or refunds desk makes it one. So
    does a lead-in about cancelling a subscription or a purchase, or about refunds,
    that does not name privacy too.
    """
    if contact.kind != "postal_address":
        return False
    if cues.CANCELLATION_ATTENTION.search(contact.value):
        return True
    text = contact.context
    for_privacy = cues.PRIVACY_TEXT.search(text) or cues.DPO_TEXT.search(text)
    return bool(cues.CANCELLATION_TEXT.search(text)) and not for_privacy


def is_dispute_address(contact: Contact) -> bool:
    """Return whether the contact is a postal address for disputes or arbitration."""
    if contact.kind == "dispute_postal_address":
        return True
    return contact.kind == "postal_address" and is_about(contact, "arbitration")


def is_arbitration_opt_out_route(contact: Contact) -> bool:
    """Return whether the terms give the contact for opting out of arbitration.

    A dispute address whose sentence or lines name the opt-out ("mail your opt-out
    notice to", "Attn: Arbitration Opt-Out") is one. An address for notices of
    dispute or arbitration demands alone is not.
    """
    return contact.kind in _DISPUTE_KINDS and bool(
        cues.OPT_OUT_WORDS.search(_evidence(contact))
    )


def serves(contact: Contact, topic: str | None) -> bool:
    """Return whether an action with ``topic`` (None for any) may offer the contact."""
    if topic is not None:
        if topic != "cookies" and is_cookie_only(contact):
            return False
        return is_about(contact, topic)
    return not (
        is_cookie_only(contact)
        or is_credit_offer_only(contact)
        or is_subscription_page(contact)
        or is_cancellation_address(contact)
        or is_dispute_address(contact)
    )


def _is_cookie_page(contact: Contact) -> bool:
    return contact.kind.endswith("_url") and "cookie" in unquote(contact.value).lower()


def _evidence(contact: Contact) -> str:
    # A URL or an e-mail address can carry the topic ("/security", "arbitration@").
    return f"{contact.context} {unquote(contact.value)}"
