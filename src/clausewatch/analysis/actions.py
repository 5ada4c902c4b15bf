"""Attach a platform's own contacts to the actions a clause type suggests.

Each action of a clause type names the contact kinds it ``needs`` (an opt-out page, a
privacy e-mail address). The platform's contacts of those kinds are attached, best
evidence first. An action with a ``topic`` takes only contacts about that topic, and
other actions take no contact about cookies alone (``clausewatch.analysis.topics``).
An action whose contacts were not found still appears, with a caveat that states this
and points to the next best route: a privacy request form, a privacy or DPO e-mail
address or a postal address that also fits the topic, else the topic's own route or a
complaint to the agencies on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clausewatch.analysis.contacts import POSTAL_KINDS, Contact
from clausewatch.analysis.topics import is_arbitration_opt_out_route, serves
from clausewatch.taxonomy import Action, ClauseType

#: Most contacts attached to one action, so the page offers a choice, not a list.
MAX_CONTACTS_PER_ACTION = 3

#: Most contacts of one kind on one action, so a second kind it needs still shows.
MAX_CONTACTS_PER_KIND = 2

# Routes that can carry any privacy request when the specific page is missing.
_FALLBACK_KINDS = (
    "privacy_request_form_url",
    "privacy_email",
    "dpo_email",
    "postal_address",
)

_KIND_NAMES = {
    "deletion_request_url": "data deletion request page",
    "account_deletion_url": "account deletion page",
    "privacy_request_form_url": "privacy request form",
    "privacy_email": "privacy e-mail address",
    "dpo_email": "e-mail address for the data protection officer",
    "opt_out_url": "opt-out page",
    "settings_url": "privacy settings page",
    "data_export_url": "data download page",
    "postal_address": "postal address for privacy requests",
    "dispute_email": "e-mail address for notices of dispute",
    "dispute_postal_address": "postal address for notices of dispute",
}

# Caveat wording of each topic, placed after the name of the missing contact kind.
_TOPIC_PHRASES = {
    "arbitration": "for arbitration opt-outs",
    "account_security": "for account security",
    "cookies": "for cookie choices",
    "subscriptions": "for subscriptions",
    "model_training": "for model training",
}

# Next route of each topic, for an action with no contact about the topic.
_TOPIC_ROUTES = {
    "arbitration": (
        "follow the opt-out steps in the dispute terms and keep proof of the notice "
        "you send"
    ),
    "account_security": "look for the security section of your account settings",
    "cookies": (
        "use the cookie banner on the platform's website or your browser's cookie "
        "settings"
    ),
    "subscriptions": (
        "look for the subscription or billing section of your account settings, or "
        "the app store you subscribed through"
    ),
    "model_training": (
        "look for data or privacy controls in the product's settings, or object to "
        "the training in writing (the next action)"
    ),
}

_FALLBACK_ROUTES = {
    "privacy_request_form_url": "use the privacy request form instead",
    "privacy_email": "ask by e-mail instead",
    "dpo_email": "write to the data protection officer instead",
    "postal_address": "write to the postal address instead",
}


@dataclass(frozen=True)
class ResolvedAction:
    """An action with the platform's own contacts for it and an honest caveat."""

    kind: str
    label: str
    caveat: str
    contacts: tuple[Contact, ...]


def resolve_actions(
    clause_type: ClauseType,
    contacts: Sequence[Contact],
    *,
    platform: str = "the platform",
    denied: bool = False,
) -> list[ResolvedAction]:
    """Resolve every action of ``clause_type`` against a platform's ``contacts``.

    ``contacts`` is the ranked output of ``extract_contacts``; its order is kept within
    each kind, except that an arbitration opt-out lists the routes that the terms give
    for the opt-out first. ``platform`` names the platform in caveats about missing
    contacts.
    ``denied`` leaves out opt-outs: a provision that says the platform does not sell
    data should not tell the reader to opt out of the sale.
    """
    return [
        _resolve(action, contacts, platform)
        for action in clause_type.actions
        if not (denied and action.kind == "opt_out")
    ]


def _resolve(
    action: Action, contacts: Sequence[Contact], platform: str
) -> ResolvedAction:
    if not action.needs:
        return ResolvedAction(action.kind, action.label, action.caveat, ())

    fitting = [contact for contact in contacts if serves(contact, action.topic)]
    # Ordered before the maxima apply, so that no opt-out route is cut, and after,
    # so that it leads whatever its kind.
    fitting = _opt_out_routes_first(action, fitting)
    matching = tuple(_opt_out_routes_first(action, _of_kinds(fitting, action.needs)))
    if matching:
        return ResolvedAction(action.kind, action.label, action.caveat, matching)

    missing = _describe_missing(action.needs, action.topic)
    other_routes = [kind for kind in _FALLBACK_KINDS if kind not in action.needs]
    fallback = _of_kinds(fitting, other_routes)
    if fallback:
        # Fallback routes are ordered by preference, so the first one names the route.
        route = _FALLBACK_ROUTES[fallback[0].kind]
        caveat = f"No {missing} was found in {platform}'s documents; {route}."
    elif action.topic is not None:
        route = _TOPIC_ROUTES[action.topic]
        caveat = f"{platform}'s documents name no {missing}; {route}."
    else:
        caveat = (
            f"{platform}'s documents name no {missing} and no other privacy contact; "
            "contact the platform through its help pages or file a complaint with "
            "the agencies below."
        )
    caveat = caveat[0].upper() + caveat[1:]
    return ResolvedAction(
        action.kind, action.label, f"{caveat} {action.caveat}".strip(), fallback
    )


def _opt_out_routes_first(action: Action, contacts: Sequence[Contact]) -> list[Contact]:
    """Put the addresses that the terms give for an arbitration opt-out first.

    Terms often name one address for the opt-out and another for notices of dispute,
    and a reader who wants to opt out needs the first, whatever its kind. The sort is
    stable, so each group keeps its order.
    """
    if action.kind != "opt_out" or action.topic != "arbitration":
        return list(contacts)
    return sorted(contacts, key=lambda c: not is_arbitration_opt_out_route(c))


def _of_kinds(contacts: Sequence[Contact], kinds: Sequence[str]) -> tuple[Contact, ...]:
    """Pick contacts in the order of ``kinds``, then by rank, within both maxima.

    A link found as two kinds (an opt-out page that is also a settings page) is
    offered once, under the first kind.
    """
    chosen: dict[str, Contact] = {}
    for kind in kinds:
        of_kind = [c for c in contacts if c.kind == kind and c.value not in chosen]
        for contact in of_kind[:MAX_CONTACTS_PER_KIND]:
            chosen[contact.value] = contact
    return tuple(chosen.values())[:MAX_CONTACTS_PER_ACTION]


def _describe_missing(needs: Sequence[str], topic: str | None) -> str:
    names = [_kind_name(kind, topic) for kind in needs]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    if topic is None:
        return listed
    return f"{listed} {_TOPIC_PHRASES[topic]}"


def _kind_name(kind: str, topic: str | None) -> str:
    # The topic names the purpose of a postal address or a settings page instead of
    # privacy.
    if kind in POSTAL_KINDS and topic is not None:
        return "postal address"
    if kind == "settings_url" and topic is not None:
        return "settings page"
    return _KIND_NAMES.get(kind, kind.replace("_", " "))
