"""Every figure and read model that pages, API, feeds and CLI show, from one place.

Each figure is computed here from stored versions and change events, so every page,
API response, feed and command that shows it agrees. The rules behind the figures are
written down in docs/methodology-figures.md.
"""

from clausewatch.figures.activity import (
    WINDOW_DAYS,
    DocumentedTotals,
    RecentActivity,
    documented_filter,
    documented_totals,
    recent_activity,
)
from clausewatch.figures.changes import (
    CHANGE_KINDS,
    ChangeFilter,
    ChangeItem,
    ChangePage,
    InvalidFilterError,
    TimelineEntry,
    check_filter_records,
    list_changes,
    platform_timeline,
)
from clausewatch.figures.dates import DocumentDates, document_dates
from clausewatch.figures.embeddings import (
    ProvisionEmbedding,
    SentenceEncoder,
    embed_current_provisions,
    embed_missing_vectors,
    ensure_vectors,
)
from clausewatch.figures.prevalence import (
    RARITY_CUTOFFS,
    Prevalence,
    counted_platform_count,
    other_platform_provisions,
    platforms_denying_type,
    platforms_with_type,
    prevalence,
    prevalence_of_all,
    rarity_label,
    tracked_platform_count,
)
from clausewatch.figures.prevalence_history import (
    PrevalencePoint,
    prevalence_over_time,
)
from clausewatch.figures.risk import RiskItem, RiskSummary, platform_risk_summary
from clausewatch.figures.similar import (
    SimilarProvision,
    shared_encoder,
    similar_provisions,
)
from clausewatch.figures.stability import (
    MIN_STABLE_MONTHS,
    STABILITY_LABELS,
    Stability,
    find_provision,
    provision_stability,
    stability_label,
    stability_of,
)
from clausewatch.figures.staleness import STALE_AFTER_DAYS, Staleness, staleness
from clausewatch.figures.stats import StatsFigures, stats_figures
from clausewatch.figures.version_diff import VersionDiff, diff_versions, version_diff

__all__ = [
    "CHANGE_KINDS",
    "MIN_STABLE_MONTHS",
    "RARITY_CUTOFFS",
    "STABILITY_LABELS",
    "STALE_AFTER_DAYS",
    "WINDOW_DAYS",
    "ChangeFilter",
    "ChangeItem",
    "check_filter_records",
    "ChangePage",
    "DocumentDates",
    "DocumentedTotals",
    "InvalidFilterError",
    "Prevalence",
    "PrevalencePoint",
    "ProvisionEmbedding",
    "RecentActivity",
    "RiskItem",
    "RiskSummary",
    "SentenceEncoder",
    "SimilarProvision",
    "Stability",
    "Staleness",
    "StatsFigures",
    "TimelineEntry",
    "VersionDiff",
    "diff_versions",
    "counted_platform_count",
    "document_dates",
    "documented_filter",
    "documented_totals",
    "embed_current_provisions",
    "embed_missing_vectors",
    "ensure_vectors",
    "find_provision",
    "list_changes",
    "other_platform_provisions",
    "platform_risk_summary",
    "platform_timeline",
    "platforms_denying_type",
    "platforms_with_type",
    "prevalence",
    "prevalence_of_all",
    "prevalence_over_time",
    "provision_stability",
    "rarity_label",
    "recent_activity",
    "shared_encoder",
    "similar_provisions",
    "stability_label",
    "stability_of",
    "staleness",
    "stats_figures",
    "tracked_platform_count",
    "version_diff",
]
