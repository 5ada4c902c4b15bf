"""Structured summaries, with one generated sentence, for each kind of change."""

from __future__ import annotations

import re

from clausewatch.diff.edits import MAX_QUOTED_EDITS, Edit, group_edits, quoted_sides
from clausewatch.diff.lexicon import STOPWORDS
from clausewatch.diff.models import (
    SEVERITIES,
    ChangeKind,
    ChangeSummary,
    ProvisionState,
    WordDiff,
)
from clausewatch.diff.sentences import (
    ClauseTypeNamer,
    describe_date_bump,
    finish,
    heading_of,
    join_words,
    plain_text,
    provision_phrase,
    quote,
    quote_terms,
    severity_shift,
    type_names,
)
from clausewatch.diff.terms import changed_terms, stem, top_terms

_WORD_CHARACTER = re.compile(r"[^\W_]")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_NEGATION_WORDS = frozenset({"not", "never", "no", "cannot"})
_EDGE_PUNCTUATION = ".,;:!?\"'()[]“”‘’"


def summarize_added(state: ProvisionState, name_of: ClauseTypeNamer) -> ChangeSummary:
    """Summarize a provision that only the new version contains."""
    terms = top_terms(state.text)
    phrase = provision_phrase(state, name_of, article="a", terms=terms)
    heading = heading_of(state)
    core = f"Added {phrase}"
    if state.clause_types and heading is not None:
        core += f" under {quote(heading)}"
    mentions = f"mentioning {quote_terms(terms)}" if terms else None
    if not state.clause_types and heading is None:
        mentions = None
    return _summary(ChangeKind.ADDED, None, state, terms, (), finish(core, mentions))


def summarize_removed(state: ProvisionState, name_of: ClauseTypeNamer) -> ChangeSummary:
    """Summarize a provision that only the old version contains."""
    terms = top_terms(state.text)
    phrase = provision_phrase(state, name_of, article="a", terms=terms)
    heading = heading_of(state)
    core = f"Removed {phrase}"
    if state.clause_types and heading is not None:
        core += f" from {quote(heading)}"
    mentions = f"which mentioned {quote_terms(terms)}" if terms else None
    if not state.clause_types and heading is None:
        mentions = None
    return _summary(ChangeKind.REMOVED, state, None, (), terms, finish(core, mentions))


def summarize_modified(
    before: ProvisionState,
    after: ProvisionState,
    name_of: ClauseTypeNamer,
    *,
    cosmetic: bool,
    diff: WordDiff,
) -> ChangeSummary:
    """Summarize a change of text, with any change of classification it brought.

    A cosmetic change reports no terms, because its words mean the same.
    """
    if cosmetic:
        phrase = provision_phrase(after, name_of, article="a")
        core = describe_date_bump(before.text, after.text)
        if core is None and _only_formatting_changed(diff):
            core = f"Reformatted {phrase} without changing its wording"
        if core is None:
            core = f"Reworded {phrase} without changing its meaning"
        return _summary(ChangeKind.MODIFIED, before, after, (), (), finish(core))

    added, removed = _without_fragments(*changed_terms(before.text, after.text))
    subject = provision_phrase(before, name_of, article="the", terms=added or removed)
    core = _describe_term_changes(added, removed, subject, diff)
    return _summary(
        ChangeKind.MODIFIED,
        before,
        after,
        added,
        removed,
        finish(core, *_classification_tails(before, after, name_of)),
    )


def summarize_moved(
    before: ProvisionState,
    after: ProvisionState,
    name_of: ClauseTypeNamer,
    *,
    old_rank: int,
    new_rank: int,
) -> ChangeSummary:
    """Summarize a provision whose order among the kept provisions changed.

    Ranks count from 0 in each version and are shown counting from 1.
    """
    # The phrase names the clause types of a classified provision, not its terms.
    terms = () if after.clause_types else top_terms(after.text)
    phrase = provision_phrase(
        after, name_of, article="the", terms=terms, use_heading=False
    )
    old_heading = heading_of(before)
    new_heading = heading_of(after)
    positions = f"from position {old_rank + 1} to {new_rank + 1}"
    if old_heading is not None and new_heading is not None:
        if old_heading != new_heading:
            core = f"Moved {phrase} from {quote(old_heading)} to {quote(new_heading)}"
        else:
            # Positions count in the whole document and the provision may have
            # moved with its section, so the sentence reads "under", not "within".
            core = f"Moved {phrase} under {quote(new_heading)} {positions}"
    else:
        core = f"Moved {phrase} {positions}"
    return _summary(ChangeKind.MOVED, before, after, (), (), finish(core))


def summarize_reclassified(
    before: ProvisionState, after: ProvisionState, name_of: ClauseTypeNamer
) -> ChangeSummary:
    """Summarize a change of clause types or severity with no material text change."""
    old_types = sorted(before.clause_types)
    new_types = sorted(after.clause_types)
    shift = severity_shift(before.severity, after.severity)
    if old_types == new_types:
        phrase = provision_phrase(after, name_of, article="the")
        core = _describe_severity_change(before.severity, after.severity, phrase)
        return _summary(ChangeKind.RECLASSIFIED, before, after, (), (), finish(core))

    unclassified = ProvisionState(
        key=after.key,
        position=after.position,
        heading_path=after.heading_path,
        text=after.text,
    )
    phrase = provision_phrase(unclassified, name_of, article="the")
    if not new_types:
        core = f"Removed the classification as {type_names(old_types, name_of)}"
        core += f" from {phrase}"
    elif not old_types:
        core = f"Classified {phrase} as {type_names(new_types, name_of)}"
    else:
        core = f"Reclassified {phrase} from {type_names(old_types, name_of)}"
        core += f" to {type_names(new_types, name_of)}"
    tail = f"with {shift}" if shift is not None else None
    return _summary(ChangeKind.RECLASSIFIED, before, after, (), (), finish(core, tail))


def _describe_severity_change(
    before: str | None, after: str | None, phrase: str
) -> str:
    if after is None:
        return f"Removed the severity rating of {phrase}"
    if before is None:
        return f"Rated the severity of {phrase} {after}"
    verb = "Raised" if SEVERITIES.index(after) > SEVERITIES.index(before) else "Lowered"
    return f"{verb} the severity of {phrase} from {before} to {after}"


def _only_formatting_changed(diff: WordDiff) -> bool:
    """Tell whether every inserted or deleted piece lacks letters and digits."""
    return not any(
        _WORD_CHARACTER.search(text) for op, text in diff.ops if op != "equal"
    )


def _describe_term_changes(
    added: tuple[str, ...], removed: tuple[str, ...], subject: str, diff: WordDiff
) -> str:
    negation_dropped = _find_negation_pair(removed, added)
    if negation_dropped is not None:
        negated, plain = negation_dropped
        now = quote(plain)
        return f"Dropped the negation in {quote(negated)}, now {now}, in {subject}"
    negation_added = _find_negation_pair(added, removed)
    if negation_added is not None:
        negated, plain = negation_added
        return f"Negated {quote(plain)}, now {quote(negated)}, in {subject}"
    if added and removed:
        return _describe_added_and_removed(added, removed, subject, diff)
    if added:
        return f"Added {quote_terms(added)} to {subject}"
    if removed:
        return f"Removed {quote_terms(removed)} from {subject}"
    return _describe_first_edit(diff, subject)


def _without_fragments(
    added: tuple[str, ...], removed: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Drop terms that are only part of a changed term on the other side.

    An edit that turns "Please note" into "Further, note" yields "note" as added and
    "please note" as removed, but "note" was there all along. A term that differs by
    a negation ("sell" against "not sell") is kept, because the negation is the
    change.
    """
    kept_added = tuple(term for term in added if not _is_fragment(term, removed))
    kept_removed = tuple(term for term in removed if not _is_fragment(term, added))
    return kept_added, kept_removed


def _is_fragment(term: str, others: tuple[str, ...]) -> bool:
    words = _term_stems(term)
    for other in others:
        other_words = _term_stems(other)
        negation = {word for word in other_words if word in _NEGATION_WORDS}
        if words < other_words and words != other_words - negation:
            return True
    return False


def _describe_added_and_removed(
    added: tuple[str, ...], removed: tuple[str, ...], subject: str, diff: WordDiff
) -> str:
    # A replacement is claimed only for terms that one edit of the word diff deletes
    # and inserts together. Terms deleted in one place and inserted in another are
    # unrelated edits, and calling them a replacement would misstate the change.
    replaced, replacing, edits = _replaced_terms(added, removed, diff)
    if not replaced:
        return (
            f"Added {quote_terms(added)} to {subject} "
            f"and removed {quote_terms(removed)}"
        )
    swaps = _quote_short_edits(edits, [*replaced, *replacing])
    if swaps is None:
        swaps = f"{quote_terms(replaced)} with {quote_terms(replacing)}"
    core = f"Replaced {swaps} in {subject}"
    others_added = [term for term in added if term not in replacing]
    others_removed = [term for term in removed if term not in replaced]
    if others_added and others_removed:
        return (
            f"{core}, added {quote_terms(others_added)} "
            f"and removed {quote_terms(others_removed)}"
        )
    if others_added:
        return f"{core} and added {quote_terms(others_added)}"
    if others_removed:
        return f"{core} and removed {quote_terms(others_removed)}"
    return core


def _replaced_terms(
    added: tuple[str, ...], removed: tuple[str, ...], diff: WordDiff
) -> tuple[list[str], list[str], list[Edit]]:
    """Return the removed and added terms that share an edit, and those edits."""
    # TODO: one long edit that swaps a phrase and also inserts new sentences pairs
    # every term it inserts with the swapped phrase ("Replaced 'printed Content'
    # with 'obtained Content' and 'Apple App Store'").
    replaced: list[str] = []
    replacing: list[str] = []
    edits: list[Edit] = []
    for edit in group_edits(diff):
        deleted_stems = _stems_of(edit.deleted)
        inserted_stems = _stems_of(edit.inserted)
        deleted_terms = [term for term in removed if _touches(term, deleted_stems)]
        inserted_terms = [term for term in added if _touches(term, inserted_stems)]
        if deleted_terms and inserted_terms:
            replaced += [term for term in deleted_terms if term not in replaced]
            replacing += [term for term in inserted_terms if term not in replacing]
            edits.append(edit)
    return replaced, replacing, edits


def _quote_short_edits(edits: list[Edit], terms: list[str]) -> str | None:
    """Quote up to two short replacing edits as they read: "'a' with 'b'".

    Key terms leave out function words, so quoting them for a short edit reads
    badly ("Replaced 'turn' with 'cannot turned'"). The edit's own words read as
    the text does. Returns None when there are more edits or one of them is long.
    """
    if len(edits) > MAX_QUOTED_EDITS:
        return None
    term_words = {word.lower() for term in terms for word in term.split()}
    swaps = []
    for edit in edits:
        sides = quoted_sides(edit, term_words)
        if sides is None:
            return None
        swaps.append(f"{quote(sides[0])} with {quote(sides[1])}")
    return join_words(swaps)


def _stems_of(text: str) -> set[str]:
    return {stem(word) for word in _WORD.findall(plain_text(text))}


def _touches(term: str, stems: set[str]) -> bool:
    # A term is only on one side because the edit changed at least one of its words,
    # so "30 days" belongs to the edit that turned "30" into "90".
    words = [word for word in term.split() if word.lower() not in _NEGATION_WORDS]
    return any(stem(word) in stems for word in words)


def _describe_first_edit(diff: WordDiff, subject: str) -> str:
    # Without changed key terms, the first edit of the word diff that changes
    # visible words is the most concrete thing to show ("Changed 'may' to 'will'").
    for edit in group_edits(diff):
        old, new = _trim_common_words(
            plain_text(edit.deleted), plain_text(edit.inserted)
        )
        if old.casefold() != new.casefold() and _WORD_CHARACTER.search(old + new):
            return _describe_edit(old, new, subject)
    return f"Reworded {subject}"


def _describe_edit(old: str, new: str, subject: str) -> str:
    if old and new:
        return f"Changed {quote(old)} to {quote(new)} in {subject}"
    if new:
        return f"Inserted {quote(new)} into {subject}"
    return f"Deleted {quote(old)} from {subject}"


def _trim_common_words(old: str, new: str) -> tuple[str, str]:
    # A folded word diff can repeat unchanged words on both sides of an edit.
    old_words, new_words = old.split(), new.split()
    start = 0
    limit = min(len(old_words), len(new_words))
    while start < limit and _same_word(old_words[start], new_words[start]):
        start += 1
    end = 0
    while end < limit - start and _same_word(old_words[-1 - end], new_words[-1 - end]):
        end += 1
    old_kept = old_words[start : len(old_words) - end]
    new_kept = new_words[start : len(new_words) - end]
    return plain_text(" ".join(old_kept)), plain_text(" ".join(new_kept))


def _same_word(a: str, b: str) -> bool:
    return a.strip(_EDGE_PUNCTUATION) == b.strip(_EDGE_PUNCTUATION)


def _find_negation_pair(
    negated_side: tuple[str, ...], plain_side: tuple[str, ...]
) -> tuple[str, str] | None:
    plain_terms = {" ".join(_term_words(term)): term for term in plain_side}
    for term in negated_side:
        negation, _, rest = term.partition(" ")
        if rest and negation.lower() in _NEGATION_WORDS:
            plain = plain_terms.get(" ".join(_term_words(rest)))
            if plain is not None:
                return term, plain
    return None


def _term_words(term: str) -> list[str]:
    """Return a term's lowercase words without the stopwords a negation brings.

    A negated term shows the words between the negation and its content words
    ("cannot be turned"), which the same term without negation lacks ("turned").
    """
    return [word for word in term.lower().split() if word not in STOPWORDS]


def _term_stems(term: str) -> set[str]:
    words = term.lower().split()
    return {stem(w) for w in words if w in _NEGATION_WORDS or w not in STOPWORDS}


def _classification_tails(
    before: ProvisionState, after: ProvisionState, name_of: ClauseTypeNamer
) -> tuple[str | None, str | None]:
    gained = type_names(sorted(after.clause_types - before.clause_types), name_of)
    lost = type_names(sorted(before.clause_types - after.clause_types), name_of)
    types_tail = None
    if gained and lost:
        types_tail = f"now classified as {gained} instead of {lost}"
    elif gained:
        types_tail = f"now also classified as {gained}"
    elif lost:
        types_tail = f"no longer classified as {lost}"
    shift = severity_shift(before.severity, after.severity)
    severity_tail = f"with {shift}" if shift is not None else None
    return types_tail, severity_tail


def _summary(
    kind: ChangeKind,
    before: ProvisionState | None,
    after: ProvisionState | None,
    terms_added: tuple[str, ...],
    terms_removed: tuple[str, ...],
    sentence: str,
) -> ChangeSummary:
    return ChangeSummary(
        kind=kind,
        clause_types_before=tuple(sorted(before.clause_types)) if before else (),
        clause_types_after=tuple(sorted(after.clause_types)) if after else (),
        severity_before=before.severity if before else None,
        severity_after=after.severity if after else None,
        terms_added=terms_added,
        terms_removed=terms_removed,
        sentence=sentence,
    )
