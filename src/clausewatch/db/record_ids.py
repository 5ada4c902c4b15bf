"""Record IDs: short, human-readable, permanent identifiers that are never reused.

A record ID is a prefix ("D" for documents, "P" for provisions), a dash, the value of a
monotonic counter padded to five characters, and one check character. The counter is
written in Crockford base 32, which has no I, L, O or U, so it reads aloud and survives
handwriting. The check character comes from the Luhn mod 32 algorithm, which catches
any single mistyped character and most swaps of two neighbours. Every character is a
letter or digit, so IDs are safe in URLs and file names. Counters only grow, so a
deleted record's ID is never handed out again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from clausewatch.db.models import RecordCounter

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE = len(ALPHABET)
_VALUES = {character: value for value, character in enumerate(ALPHABET)}
WIDTH = 5


def encode(number: int) -> str:
    """Encode a non-negative integer in Crockford base 32, padded to WIDTH."""
    if number < 0:
        raise ValueError(f"record numbers are non-negative, got {number}")
    digits = []
    while True:
        number, remainder = divmod(number, 32)
        digits.append(ALPHABET[remainder])
        if number == 0:
            break
    return "".join(reversed(digits)).rjust(WIDTH, "0")


def check_character(number: int) -> str:
    """Luhn mod 32 check character of the encoded digits."""
    return _check_of(encode(number))


def _check_of(digits: str) -> str:
    total = 0
    for index, character in enumerate(reversed(digits)):
        value = _VALUES[character]
        if index % 2 == 0:
            value *= 2
            value = value // BASE + value % BASE
        total += value
    return ALPHABET[(BASE - total % BASE) % BASE]


def format_record_id(prefix: str, number: int) -> str:
    digits = encode(number)
    return f"{prefix}-{digits}{_check_of(digits)}"


def parse_record_id(record_id: str) -> tuple[str, int] | None:
    """Return (prefix, number) of a well-formed record ID, or None."""
    prefix, _, body = record_id.strip().upper().partition("-")
    if not prefix or len(body) < WIDTH + 1:
        return None
    digits, check = body[:-1], body[-1]
    if any(character not in ALPHABET for character in digits):
        return None
    number = 0
    for character in digits:
        number = number * 32 + ALPHABET.index(character)
    if check_character(number) != check:
        return None
    return prefix, number


def next_record_ids(session: Session, prefix: str, count: int = 1) -> list[str]:
    """Reserve `count` new record IDs for `prefix` inside the session's transaction."""
    # Create the counter row if it is missing without failing when a concurrent
    # transaction creates it first; the row lock below then serializes the writers.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            postgresql_insert(RecordCounter)
            .values(name=prefix, value=0)
            .on_conflict_do_nothing()
        )
    else:
        session.execute(
            sqlite_insert(RecordCounter)
            .values(name=prefix, value=0)
            .on_conflict_do_nothing()
        )
    counter = session.execute(
        select(RecordCounter)
        .where(RecordCounter.name == prefix)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    first = counter.value + 1
    counter.value += count
    session.flush()
    return [format_record_id(prefix, number) for number in range(first, first + count)]
