"""Value types of the clause-type taxonomy and the closed vocabularies they use."""

from __future__ import annotations

import enum
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from clausewatch.errors import NotFoundError
from clausewatch.suggestions import close_matches

_T = TypeVar("_T")

#: Category names in display order. Clause-type files must use one of these strings.
CATEGORIES: tuple[str, ...] = (
    "Artificial intelligence",
    "Dispute resolution",
    "Contract terms",
    "Data collection",
    "Data sharing",
    "User rights and choices",
    "Security and retention",
    "Content and conduct",
)

#: Kinds of action a user can take about a clause.
ACTION_KINDS: frozenset[str] = frozenset(
    {
        "delete_data",
        "opt_out",
        "export_data",
        "access_data",
        "close_account",
        "file_complaint",
        "change_settings",
        "contact_privacy",
        "review_terms",
    }
)

#: Contact details that an action needs from the platform's own documents.
CONTACT_KINDS: frozenset[str] = frozenset(
    {
        "deletion_request_url",
        "privacy_email",
        "dpo_email",
        "opt_out_url",
        "settings_url",
        "data_export_url",
        "postal_address",
        "account_deletion_url",
        "privacy_request_form_url",
        "dispute_email",
        "dispute_postal_address",
    }
)

#: Subjects an action can require of its contacts. The words around a link or an
#: address must be about the subject for the action to offer it.
CONTACT_TOPICS: frozenset[str] = frozenset(
    {"arbitration", "account_security", "cookies", "subscriptions", "model_training"}
)

#: Placeholders allowed in the text templates of a clause type.
PLACEHOLDERS: frozenset[str] = frozenset({"platform", "document", "subject"})


class Severity(enum.Enum):
    """Default severity of a clause type, ordered from LOW to CRITICAL."""

    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    CRITICAL = "Critical"

    @property
    def rank(self) -> int:
        """Position in the order, 0 for LOW up to 3 for CRITICAL."""
        return _SEVERITY_RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANKS = {severity: rank for rank, severity in enumerate(Severity)}


def template_fields(template: str) -> list[str]:
    """List the placeholder names used in a template, in order of appearance.

    Raises ValueError when the braces are malformed (an unmatched ``{`` or ``}``).
    """
    return [
        field_name
        for _, field_name, _, _ in string.Formatter().parse(template)
        if field_name is not None
    ]


def render_template(
    template: str, *, platform: str, document: str, subject: str
) -> str:
    """Fill the ``{platform}``, ``{document}`` and ``{subject}`` placeholders."""
    return template.format(platform=platform, document=document, subject=subject)


@dataclass(frozen=True)
class Action:
    """Something a user can do about a clause, with the contacts it needs."""

    kind: str
    label: str
    needs: tuple[str, ...]
    caveat: str
    #: One of ``CONTACT_TOPICS`` that every contact offered for the action must be
    #: about, or None for an action that any contact of a needed kind serves.
    topic: str | None = None


@dataclass(frozen=True)
class RegulationArticles:
    """The articles of one regulation that a clause type names as bearing on it.

    ``refs`` are article refs of the regulation's catalog entry, and an empty tuple
    means that the regulation applies as a whole.
    """

    regulation_id: str
    refs: tuple[str, ...]


@dataclass(frozen=True)
class ClauseType:
    """One entry of the taxonomy: what a kind of clause is and why it matters."""

    id: str
    name: str
    category: str
    severity: Severity
    severity_reason: str
    what_it_is: str
    why_it_matters: str
    consumer_impact: str
    actions: tuple[Action, ...]
    regulation_ids: tuple[str, ...]
    agency_ids: tuple[str, ...]
    related_ids: tuple[str, ...]
    positive_examples: tuple[str, ...]
    negative_examples: tuple[str, ...]
    subject_default: str
    #: Whether the data a provision names ("your voice recordings") replaces
    #: ``subject_default`` in the explanation. Off where the default names whose data
    #: it is ("personal information of children"), which a data kind would drop.
    subject_from_text: bool = True
    #: Templates used instead of ``what_it_is`` and ``consumer_impact`` when a
    #: provision denies the practice ("we do not sell"); None falls back to generic
    #: sentences (``clausewatch.analysis.explanation``).
    denial_what_it_is: str | None = None
    denial_consumer_impact: str | None = None
    #: Templates used instead of ``what_it_is`` and ``consumer_impact`` when a
    #: provision names the practice without affirming or denying it (a right to opt
    #: out, the name of a link, a definition); None falls back to the usual ones.
    neutral_what_it_is: str | None = None
    neutral_consumer_impact: str | None = None
    #: Articles per cited regulation, in the order of ``regulation_ids``. Empty when
    #: the file gives the plain ``regulation_ids`` list, which names no articles.
    regulation_articles: tuple[RegulationArticles, ...] = ()

    def article_refs(self, regulation_id: str) -> tuple[str, ...]:
        """Return the refs of the articles named for one regulation, or ()."""
        for choice in self.regulation_articles:
            if choice.regulation_id == regulation_id:
                return choice.refs
        return ()

    def describe(
        self, *, platform: str, document: str, subject: str | None = None
    ) -> str:
        """Render ``what_it_is`` for one platform's document.

        ``subject`` falls back to ``subject_default`` when the provision names nothing
        more specific.
        """
        return render_template(
            self.what_it_is,
            platform=platform,
            document=document,
            subject=subject or self.subject_default,
        )


@dataclass(frozen=True)
class Article:
    """A provision of a regulation and why it bears on clause types."""

    ref: str
    title: str
    relevance: str


@dataclass(frozen=True)
class Regulation:
    """A law or regulation that clause types cite."""

    id: str
    name: str
    short_name: str
    jurisdiction: str
    url: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Agency:
    """A regulator or enforcer that users can complain to."""

    id: str
    name: str
    short_name: str
    jurisdiction: str
    role: str
    complaint_url: str
    url: str


# eq=False keeps identity hashing, because the read-only mappings are not hashable.
@dataclass(frozen=True, eq=False)
class Taxonomy:
    """The validated clause types, regulations and agencies."""

    clause_types: Mapping[str, ClauseType]
    regulations: Mapping[str, Regulation]
    agencies: Mapping[str, Agency]
    categories: tuple[str, ...]

    def clause_type(self, id: str) -> ClauseType:
        """Look up a clause type, raising NotFoundError with close matches if absent."""
        return _lookup(self.clause_types, id, "clause type")

    def regulation(self, id: str) -> Regulation:
        """Look up a regulation, raising NotFoundError with close matches if absent."""
        return _lookup(self.regulations, id, "regulation")

    def agency(self, id: str) -> Agency:
        """Look up an agency, raising NotFoundError with close matches if absent."""
        return _lookup(self.agencies, id, "agency")

    def in_category(self, category: str) -> tuple[ClauseType, ...]:
        """Return the clause types of one category, in file order."""
        if category not in self.categories:
            raise NotFoundError(
                f"category {category!r} not found; "
                f"use one of {', '.join(self.categories)}"
            )
        return tuple(ct for ct in self.clause_types.values() if ct.category == category)

    def regulations_for(self, clause_type: ClauseType) -> tuple[Regulation, ...]:
        """Return the regulations a clause type cites, in its order."""
        return tuple(self.regulations[rid] for rid in clause_type.regulation_ids)

    def articles_for(
        self, clause_type: ClauseType, regulation: Regulation
    ) -> tuple[Article, ...]:
        """Return the articles of ``regulation`` that the clause type names.

        The loader has checked that every named ref is in the regulation's catalog
        entry, so none is skipped here.
        """
        by_ref = {article.ref: article for article in regulation.articles}
        return tuple(by_ref[ref] for ref in clause_type.article_refs(regulation.id))

    def agencies_for(self, clause_type: ClauseType) -> tuple[Agency, ...]:
        """Return the agencies a clause type names, in its order."""
        return tuple(self.agencies[aid] for aid in clause_type.agency_ids)

    def related_to(self, clause_type: ClauseType) -> tuple[ClauseType, ...]:
        """Return the clause types a clause type lists as related."""
        return tuple(self.clause_types[cid] for cid in clause_type.related_ids)


def _lookup(items: Mapping[str, _T], id: str, kind: str) -> _T:
    try:
        return items[id]
    except KeyError:
        # Three characters or more, because shorter ids such as "a" are in most ids.
        containing = [known for known in items if len(id) >= 3 and id in known]
        similar = close_matches(id, items)
        close = list(dict.fromkeys(similar + containing))[:3]
        hint = f"did you mean {', '.join(close)}?" if close else "no similar id exists"
        raise NotFoundError(
            f"{kind} {id!r} not found in the taxonomy; {hint}"
        ) from None
