"""Complaint links of the pages: the agencies that take complaints from individuals."""

from __future__ import annotations

from clausewatch.taxonomy.models import Agency

# NOTE: the taxonomy has no field for this yet, so the ids are kept here. The role of
# each of these agencies in agencies.yaml states it, and its complaint_url is then the
# page that names where to complain instead.
NO_INDIVIDUAL_COMPLAINTS = frozenset({"edpb", "eu_ai_office", "uk_cma"})


def takes_complaints(agency: Agency) -> bool:
    """Tell whether members of the public can file a complaint with the agency."""
    return agency.id not in NO_INDIVIDUAL_COMPLAINTS
