"""Analysis of one provision: severity, plain-language explanation and user actions.

Pure functions over a clause type and text; no storage or network. ``extract_contacts``
reads all of a platform's documents for the links and addresses that the actions use.
"""

from clausewatch.analysis.actions import ResolvedAction, resolve_actions
from clausewatch.analysis.contacts import CONTACT_KINDS, Contact, extract_contacts
from clausewatch.analysis.explanation import Explanation, explain
from clausewatch.analysis.severity import (
    SeverityAssessment,
    SeverityModifier,
    assess_severity,
    modifier_table,
)
from clausewatch.analysis.stance import (
    AFFIRMS,
    DENIES,
    STANCES,
    Stance,
    detect_stance,
    stance_aware,
)
from clausewatch.analysis.subjects import detect_subjects

__all__ = [
    "AFFIRMS",
    "DENIES",
    "STANCES",
    "Stance",
    "detect_stance",
    "stance_aware",
    "CONTACT_KINDS",
    "Contact",
    "Explanation",
    "ResolvedAction",
    "SeverityAssessment",
    "SeverityModifier",
    "assess_severity",
    "detect_subjects",
    "explain",
    "extract_contacts",
    "modifier_table",
    "resolve_actions",
]
