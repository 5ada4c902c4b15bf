"""Citation record of a provision and its exports: BibTeX, RIS and CSL-JSON."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clausewatch.figures.provision_page import ProvisionPage

PUBLISHER = "clausewatch"


@dataclass(frozen=True)
class CitationRecord:
    """Fields of the citation of one provision, as shown on its page."""

    entity: str
    document: str
    record_id: str
    document_record_id: str
    #: Place of the provision, counting from 1 as everywhere else we publish.
    provision_number: int
    version_number: int
    heading: str
    captured_at: datetime
    sha256: str | None
    permanent_url: str
    accessed: date

    @property
    def title(self) -> str:
        base = f"{self.entity} {self.document}, provision {self.record_id}"
        return f"{base}: {self.heading}" if self.heading else base

    @property
    def place(self) -> str:
        """Where the cited text sits: "provision 7 of version 3"."""
        return f"provision {self.provision_number} of version {self.version_number}"

    @property
    def note(self) -> str:
        parts = [
            f"Record ID {self.record_id}, {self.place} of document "
            f"{self.document_record_id}",
            f"captured {self.captured_at.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        ]
        if self.sha256:
            parts.append(f"snapshot SHA-256 {self.sha256}")
        return "; ".join(parts)


def citation_record(
    page: ProvisionPage, *, permanent_url: str, accessed: date
) -> CitationRecord:
    """Build the citation of a provision from its page record.

    The citation names the version the text comes from: its capture date and the
    snapshot that first recorded it. Later captures of the same text add snapshots to
    the version but leave the citation unchanged.
    """
    record = page.record
    # Snapshots are ordered by fetch time, so the first belongs to the capture that
    # recorded the version.
    snapshot = record.snapshots[0] if record.snapshots else None
    return CitationRecord(
        entity=record.platform_name,
        document=record.terms_type,
        record_id=record.record_id,
        document_record_id=record.document_record_id,
        provision_number=record.number,
        version_number=record.last_version.number,
        heading=" › ".join(record.heading_path),
        captured_at=record.last_version.captured_at,
        sha256=snapshot.sha256 if snapshot else None,
        permanent_url=permanent_url,
        accessed=accessed,
    )


_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(value: str) -> str:
    """Escape the characters that LaTeX would read as commands or groups."""
    return "".join(_BIBTEX_SPECIALS.get(character, character) for character in value)


def bibtex_key(record_id: str) -> str:
    """Return a citation key of letters and digits, such as ``clausewatch-P00012X``."""
    return "clausewatch-" + re.sub(r"[^A-Za-z0-9]", "", record_id)


def to_bibtex(citation: CitationRecord) -> str:
    fields = [
        ("title", "{" + bibtex_escape(citation.title) + "}"),
        ("author", "{" + bibtex_escape(citation.entity) + "}"),
        ("year", str(citation.captured_at.year)),
        ("month", citation.captured_at.strftime("%b").lower()),
        ("howpublished", r"\url{" + citation.permanent_url + "}"),
        ("url", citation.permanent_url),
        ("urldate", citation.accessed.isoformat()),
        ("publisher", PUBLISHER),
        ("note", bibtex_escape(citation.note)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(citation.record_id)},\n{body}\n}}\n"


def _ris_value(value: str) -> str:
    # RIS is line-based: a value never spans lines.
    return " ".join(value.split())


def to_ris(citation: CitationRecord) -> str:
    captured = citation.captured_at
    lines = [
        ("TY", "ELEC"),
        ("TI", citation.title),
        ("AU", citation.entity),
        ("T2", f"{citation.entity} {citation.document}"),
        ("PY", str(captured.year)),
        ("DA", captured.strftime("%Y/%m/%d")),
        ("UR", citation.permanent_url),
        ("Y2", citation.accessed.strftime("%Y/%m/%d")),
        ("PB", PUBLISHER),
        ("ID", citation.record_id),
        ("N1", citation.note),
    ]
    body = "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)
    return body + "ER  - \r\n"


def to_csl_json(citation: CitationRecord) -> list[dict[str, Any]]:
    """Return a CSL-JSON list of one item, the input format of citeproc processors."""
    captured = citation.captured_at
    return [
        {
            "id": citation.record_id,
            "type": "webpage",
            "title": citation.title,
            "author": [{"literal": citation.entity}],
            "container-title": f"{citation.entity} {citation.document}",
            "publisher": PUBLISHER,
            "URL": citation.permanent_url,
            "issued": {"date-parts": [[captured.year, captured.month, captured.day]]},
            "accessed": {
                "date-parts": [
                    [
                        citation.accessed.year,
                        citation.accessed.month,
                        citation.accessed.day,
                    ]
                ]
            },
            "note": citation.note,
        }
    ]
