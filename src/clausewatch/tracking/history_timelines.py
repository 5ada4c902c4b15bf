"""Join the folders of a versions history that contain one platform's document.

A history may record one platform under two service names, such as a folder kept
under a former name ("Twitter") beside one under the current name ("X"). Both map to
the catalog platform that lists the two names (its name, id or aliases), and each
terms type then gets one timeline, in date order, from the files of both folders.

Two such folders often come from two collections with their own extraction rules, so
their captures of one day differ in navigation lists or obfuscated e-mail addresses
even when the document did not change. Alternating between them would record each
such difference as a change and its reverse as the next change. So a timeline
follows one folder at a time. At each date, the leading folder is the folder with
the latest last capture among those that have started by then. Of two folders that
end on the same date, the one that started first leads. The lead only passes to a
folder whose last capture is later, so a timeline changes folder at most once per
extra folder.

A file of a folder that is not leading at its date is linked to the current version
when its normalized text is the same, and is otherwise kept as a snapshot only. The
exception is a document with no version yet (when the leading folder's first
captures are all suspect, for example). Such a file makes the first version, which
adds one more change of folder. Every file keeps its own path as its snapshot's URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from clausewatch.tracking.history_files import HistoryFile
from clausewatch.tracking.history_platforms import PlatformMatch


@dataclass(frozen=True)
class Folder:
    """One ``<service>/<terms type>`` folder of a history and the dates it spans."""

    service: str
    terms_type: str
    first: datetime
    last: datetime
    files: int

    @property
    def name(self) -> str:
        return f"{self.service}/{self.terms_type}"


@dataclass(frozen=True)
class TimelineFile:
    """A history file in its document's timeline."""

    item: HistoryFile
    # The folder that leads the timeline at this file's date, or None when that is
    # the file's own folder.
    led_by: Folder | None = None


@dataclass
class DocumentTimeline:
    """The files of every folder that feeds one document, in timeline order."""

    platform: PlatformMatch
    terms_type: str
    folders: list[Folder]
    files: list[TimelineFile]

    def leading_from(self) -> list[tuple[Folder, datetime]]:
        """Return each folder that leads the timeline and the date it starts to."""
        starts: list[tuple[Folder, datetime]] = []
        for item in self.files:
            if item.led_by is not None:
                continue
            folder = _folder_of(self.folders, item.item)
            if not starts or starts[-1][0] != folder:
                starts.append((folder, item.item.captured_at))
        return starts


def document_timelines(
    files: Iterable[HistoryFile], platforms: Mapping[str, PlatformMatch]
) -> list[DocumentTimeline]:
    """Group a history's files by document, each group in timeline order.

    ``platforms`` gives the platform of each file's service folder (see
    ``history_platforms``). The groups are sorted by platform id, then terms type.
    """
    grouped: dict[tuple[str, str], tuple[PlatformMatch, list[HistoryFile]]] = {}
    for item in files:
        match = platforms[item.service]
        key = (match.platform_id, item.terms_type)
        grouped.setdefault(key, (match, []))[1].append(item)
    return [
        _timeline(match, terms_type, items)
        for (_, terms_type), (match, items) in sorted(grouped.items())
    ]


def _timeline(
    platform: PlatformMatch, terms_type: str, items: Sequence[HistoryFile]
) -> DocumentTimeline:
    folders = _folders(items)
    timeline: list[tuple[datetime, int, str, TimelineFile]] = []
    for item in items:
        leader = _leader_at(folders, item.captured_at)
        led_by = None if leader.service == item.service else leader
        # At equal dates the leading folder's file comes first, so that the other
        # folder's file of that moment is compared with the version it records.
        order = 0 if led_by is None else 1
        timeline.append(
            (item.captured_at, order, item.service, TimelineFile(item, led_by))
        )
    # A stable sort keeps the history's own order for files of one folder and date.
    timeline.sort(key=lambda entry: entry[:3])
    return DocumentTimeline(
        platform, terms_type, folders, [entry[3] for entry in timeline]
    )


def _folders(items: Sequence[HistoryFile]) -> list[Folder]:
    spans: dict[str, list[HistoryFile]] = {}
    for item in items:
        spans.setdefault(item.service, []).append(item)
    return [
        Folder(
            service=service,
            terms_type=group[0].terms_type,
            first=min(item.captured_at for item in group),
            last=max(item.captured_at for item in group),
            files=len(group),
        )
        for service, group in sorted(spans.items())
    ]


def _leader_at(folders: Sequence[Folder], moment: datetime) -> Folder:
    started = [folder for folder in folders if folder.first <= moment]
    # The name only makes the choice deterministic between identical spans.
    return max(
        started,
        key=lambda folder: (folder.last, -folder.first.timestamp(), folder.service),
    )


def _folder_of(folders: Sequence[Folder], item: HistoryFile) -> Folder:
    return next(folder for folder in folders if folder.service == item.service)
