"""Parsing of clause-type files: one file per category, a list of clause types each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clausewatch.taxonomy.models import (
    ACTION_KINDS,
    CATEGORIES,
    CONTACT_KINDS,
    CONTACT_TOPICS,
    PLACEHOLDERS,
    Action,
    ClauseType,
    RegulationArticles,
    Severity,
    template_fields,
)
from clausewatch.taxonomy.reading import (
    EntryReader,
    TaxonomyFileError,
    entry_list,
    read_yaml,
)

#: Minimum number of positive examples, and of negative examples, per clause type.
MIN_EXAMPLES = 8

_CLAUSE_FIELDS = (
    "id",
    "name",
    "severity",
    "severity_reason",
    "what_it_is",
    "why_it_matters",
    "consumer_impact",
    "subject_default",
    "subject_from_text",
    "actions",
    "regulations",
    "regulation_ids",
    "agency_ids",
    "related_ids",
    "positive_examples",
    "negative_examples",
    "denial",
    "neutral",
)
# Fields of the optional "denial" and "neutral" mappings, texts shown in place of the
# usual ones for a provision that denies the practice or only names it.
_STANCE_TEXT_FIELDS = ("what_it_is", "consumer_impact")
_ACTION_FIELDS = ("kind", "label", "needs", "caveat", "topic")
_SEVERITY_LABELS = {severity.value: severity for severity in Severity}


def parse_clause_file(path: Path) -> list[ClauseType]:
    """Read one category file and return its clause types in file order."""
    document = read_yaml(path)
    entries = entry_list(path, document, "clause_types", other_keys=["category"])
    category = document.get("category")
    if category not in CATEGORIES:
        raise TaxonomyFileError(
            path,
            f"category {category!r} is unknown; use one of: {', '.join(CATEGORIES)}",
            field="category",
        )
    return [
        _parse_clause_type(path, raw, category, index)
        for index, raw in enumerate(entries)
    ]


def _parse_clause_type(path: Path, raw: Any, category: str, index: int) -> ClauseType:
    reader = EntryReader(
        path,
        raw,
        entry="clause type",
        position=f"#{index + 1}",
        allowed=_CLAUSE_FIELDS,
    )
    clause_id = reader.identify()
    denial_what_it_is, denial_consumer_impact = _stance_texts(reader, "denial")
    neutral_what_it_is, neutral_consumer_impact = _stance_texts(reader, "neutral")
    regulation_articles = _regulation_articles(reader)
    return ClauseType(
        id=clause_id,
        name=reader.text("name"),
        category=category,
        severity=_severity(reader),
        severity_reason=reader.text("severity_reason"),
        what_it_is=_description(reader),
        why_it_matters=_template(reader, "why_it_matters"),
        consumer_impact=_template(reader, "consumer_impact"),
        actions=_actions(reader),
        # Provision pages list the applicable regulations and agencies, so neither
        # list may be empty.
        regulation_ids=(
            tuple(choice.regulation_id for choice in regulation_articles)
            if regulation_articles
            else reader.text_list("regulation_ids", allow_empty=False)
        ),
        agency_ids=reader.text_list("agency_ids", allow_empty=False),
        related_ids=reader.text_list("related_ids"),
        positive_examples=_examples(reader, "positive_examples"),
        negative_examples=_examples(reader, "negative_examples"),
        subject_default=reader.text("subject_default"),
        subject_from_text=_flag(reader, "subject_from_text", default=True),
        denial_what_it_is=denial_what_it_is,
        denial_consumer_impact=denial_consumer_impact,
        neutral_what_it_is=neutral_what_it_is,
        neutral_consumer_impact=neutral_consumer_impact,
        regulation_articles=regulation_articles,
    )


def _regulation_articles(reader: EntryReader) -> tuple[RegulationArticles, ...]:
    """Read the ``regulations`` mapping of regulation id to article refs.

    The plain ``regulation_ids`` list is the other way to cite regulations, and it
    names no articles, so this returns () for it. Whether each id and ref exists in
    regulations.yaml is checked by the loader, which has the catalog.
    """
    has_plain_list = reader.raw.get("regulation_ids") is not None
    raw = reader.raw.get("regulations")
    if raw is None:
        if not has_plain_list:
            reader.fail(
                "required field is missing; add a mapping of regulation id to "
                "article refs, or the plain regulation_ids list",
                "regulations",
            )
        return ()
    if has_plain_list:
        reader.fail(
            "is given together with regulation_ids; keep only the regulations "
            "mapping, which also names the articles",
            "regulations",
        )
    if not isinstance(raw, dict) or not raw:
        reader.fail(
            "must be a mapping of regulation id to a list of article refs, "
            'such as {gdpr: ["Art. 22"], ccpa_cpra: []}',
            "regulations",
        )

    choices = []
    for regulation_id, refs in raw.items():
        if not isinstance(regulation_id, str) or not regulation_id.strip():
            reader.fail(f"key {regulation_id!r} must be a regulation id", "regulations")
        field = f"regulations.{regulation_id}"
        if refs is None:
            reader.fail(
                "must be a list of article refs; write [] when the regulation "
                "applies as a whole",
                field,
            )
        # A separate reader lets errors name the regulation inside the mapping.
        articles = EntryReader(
            reader.path,
            {field: refs},
            entry=reader.entry,
            position=reader.entry_id,
            allowed=[field],
        )
        choices.append(
            RegulationArticles(
                regulation_id=regulation_id, refs=articles.text_list(field)
            )
        )
    return tuple(choices)


def _flag(reader: EntryReader, field: str, *, default: bool) -> bool:
    value = reader.raw.get(field, default)
    if not isinstance(value, bool):
        reader.fail("must be true or false", field)
    return value


def _stance_texts(reader: EntryReader, group: str) -> tuple[str | None, str | None]:
    """Read the optional texts of ``group`` ("denial" or "neutral")."""
    raw = reader.raw.get(group)
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        reader.fail(
            f"must be a mapping with {' and '.join(_STANCE_TEXT_FIELDS)}", group
        )
    texts = EntryReader(
        reader.path,
        {f"{group}.{key}": value for key, value in raw.items()},
        entry=reader.entry,
        position=reader.entry_id,
        allowed=[f"{group}.{name}" for name in _STANCE_TEXT_FIELDS],
    )
    what_it_is = texts.text(f"{group}.what_it_is")
    consumer_impact = texts.text(f"{group}.consumer_impact")
    check_template(texts, f"{group}.what_it_is", what_it_is)
    check_template(texts, f"{group}.consumer_impact", consumer_impact)
    if "{platform}" not in what_it_is:
        texts.fail(
            "must name the platform with the {platform} placeholder",
            f"{group}.what_it_is",
        )
    return what_it_is, consumer_impact


def _severity(reader: EntryReader) -> Severity:
    label = reader.value("severity")
    if label not in _SEVERITY_LABELS:
        reader.fail(
            f"unknown severity {label!r}; use one of {', '.join(_SEVERITY_LABELS)}",
            "severity",
        )
    return _SEVERITY_LABELS[label]


def _description(reader: EntryReader) -> str:
    text = _template(reader, "what_it_is")
    if "{platform}" not in text:
        reader.fail(
            "must name the platform with the {platform} placeholder, because the "
            "sentence describes one platform's document",
            "what_it_is",
        )
    return text


def _actions(reader: EntryReader) -> tuple[Action, ...]:
    raw_actions = reader.mapping_list("actions")
    if not raw_actions:
        reader.fail("must list at least one action a user can take", "actions")
    return tuple(
        _parse_action(reader, raw_action, number)
        for number, raw_action in enumerate(raw_actions)
    )


def _template(reader: EntryReader, field: str) -> str:
    text = reader.text(field)
    check_template(reader, field, text)
    return text


def check_template(reader: EntryReader, field: str, text: str) -> None:
    """Fail unless ``text`` uses only the allowed placeholders, by name."""
    try:
        names = template_fields(text)
    except ValueError as error:
        reader.fail(
            f"malformed template ({error}); write a literal brace as {{{{", field
        )
    for name in names:
        if name not in PLACEHOLDERS:
            reader.fail(
                f"unknown placeholder {{{name}}}; use only "
                + ", ".join(f"{{{p}}}" for p in sorted(PLACEHOLDERS)),
                field,
            )


def _examples(reader: EntryReader, field: str) -> tuple[str, ...]:
    examples = reader.text_list(field)
    if len(examples) < MIN_EXAMPLES:
        reader.fail(
            f"has {len(examples)} example sentences; write at least {MIN_EXAMPLES}",
            field,
        )
    if field == "negative_examples":
        positives = set(reader.text_list("positive_examples"))
        for sentence in examples:
            if sentence in positives:
                reader.fail(
                    f"sentence {sentence!r} is also a positive example; keep one",
                    field,
                )
    return examples


def _parse_action(owner: EntryReader, raw: Any, number: int) -> Action:
    field = f"actions[{number}]"
    if not isinstance(raw, dict):
        owner.fail(f"must be a mapping with {', '.join(_ACTION_FIELDS)}", field)

    unknown = sorted(str(key) for key in raw if key not in _ACTION_FIELDS)
    if unknown:
        owner.fail(
            f"unknown field(s) {', '.join(unknown)}; "
            f"use only {', '.join(_ACTION_FIELDS)}",
            field,
        )

    # Errors name the action's field path inside the owning clause type.
    action = EntryReader(
        owner.path,
        {f"{field}.{key}": value for key, value in raw.items()},
        entry=owner.entry,
        position=owner.entry_id,
        allowed=[f"{field}.{name}" for name in _ACTION_FIELDS],
    )

    kind = action.text(f"{field}.kind")
    if kind not in ACTION_KINDS:
        action.fail(
            f"unknown action kind {kind!r}; "
            f"use one of {', '.join(sorted(ACTION_KINDS))}",
            f"{field}.kind",
        )

    needs = action.text_list(f"{field}.needs")
    for contact in needs:
        if contact not in CONTACT_KINDS:
            action.fail(
                f"unknown contact kind {contact!r}; "
                f"use one of {', '.join(sorted(CONTACT_KINDS))}",
                f"{field}.needs",
            )

    label = action.text(f"{field}.label")
    caveat = action.text(f"{field}.caveat")
    check_template(action, f"{field}.label", label)
    check_template(action, f"{field}.caveat", caveat)
    topic = _action_topic(action, f"{field}.topic", needs)
    return Action(kind=kind, label=label, needs=needs, caveat=caveat, topic=topic)


def _action_topic(
    action: EntryReader, field: str, needs: tuple[str, ...]
) -> str | None:
    """Read the optional subject that an action's contacts must be about."""
    if action.raw.get(field) is None:
        return None
    topic = action.text(field)
    if topic not in CONTACT_TOPICS:
        action.fail(
            f"unknown contact topic {topic!r}; "
            f"use one of {', '.join(sorted(CONTACT_TOPICS))} or leave it out",
            field,
        )
    if not needs:
        action.fail("is set on an action that needs no contacts; remove it", field)
    return topic
