"""Choose the platform that each service folder of a versions history is imported into.

A service folder is imported into, in this order of preference:

1. the catalog platform that lists the folder's name as its id, name or alias (see
   ``history_timelines`` for folders of one platform under two names);
2. the stored platform whose id the folder name gives, when it has the folder's name;
3. the stored platform of exactly the folder's name, whatever its id (a platform
   declared with an id of its own, or one stored under an id that an earlier release
   gave the name);
4. a new platform with the folder's name and the id it gives.

Two different names can give one id ("ACME" and "Acme!" both give "acme"). Importing
both into one platform would make one company's policy a version of another's and
rename the platform. Such a folder is a collision and nothing of it is imported, as
``track`` rejects a declaration whose file name gives the id of another stored
platform.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from clausewatch.db.store import Store
from clausewatch.declarations import PlatformDeclaration
from clausewatch.tracking.slugs import (
    legacy_platform_slug,
    platform_slug,
    same_platform_name,
)


@dataclass(frozen=True)
class PlatformMatch:
    """The stored platform that a history's service folder is imported into."""

    platform_id: str
    platform_name: str
    declared: PlatformDeclaration | None = None
    # The catalog platform of this service, when an earlier import stored the
    # service as a platform of its own.
    catalog_platform: PlatformDeclaration | None = None


@dataclass(frozen=True)
class StoredPlatforms:
    """The stored platforms that the services of a history may be imported into."""

    # Stored name of each stored platform id that a service name gives.
    names: Mapping[str, str] = field(default_factory=dict)
    # Id and stored name of the stored platform of each service name, by the
    # name's Unicode NFC form.
    named: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, services: Iterable[str]) -> StoredPlatforms:
        """Read the stored platforms that these service names can refer to."""
        services = set(services)
        ids = {platform_slug(name) for name in services}
        ids |= {legacy_platform_slug(name) for name in services}
        names = {_nfc(name) for name in services} | services
        named = {
            _nfc(name): (platform_id, name)
            for name, platform_id in store.platform_ids_named(names).items()
        }
        return cls(store.platform_names(ids), named)

    def ids(self) -> set[str]:
        return set(self.names) | {platform_id for platform_id, _ in self.named.values()}


@dataclass(frozen=True)
class Collision:
    """A service folder whose platform id belongs to a platform of another name."""

    service: str
    platform_id: str
    # The stored platform's name, or None when the other names are folders of the
    # same history that give the same id.
    stored_name: str | None = None
    other_folders: tuple[str, ...] = ()

    def describe(self, files: int) -> str:
        """Return the import error for this folder, which keeps ``files`` files out."""
        skipped = f"{files} file{'' if files == 1 else 's'} skipped"
        if self.stored_name is not None:
            return (
                f'{self.service}/: the platform id "{self.platform_id}" that this '
                f'folder name gives belongs to the stored platform "{self.stored_name}"'
                f', not to a platform named "{self.service}"; {skipped}, so that '
                "two platforms are not merged. To import the folder into that "
                f'platform, name it "{self.stored_name}"; to import it as a platform '
                "of its own, give it a name with other letters or digits."
            )
        others = ", ".join(f'"{name}/"' for name in self.other_folders)
        return (
            f"{self.service}/: this folder and {others} give the same platform id "
            f'"{self.platform_id}"; {skipped}, so that two platforms are not merged. '
            "Rename the folders of different platforms so that their names differ "
            "in letters or digits, or give one platform's folders one name, and "
            "import the history again."
        )


@dataclass
class ServiceMatches:
    """The platform of each service folder of a history, and the folders left out."""

    platforms: dict[str, PlatformMatch] = field(default_factory=dict)
    collisions: dict[str, Collision] = field(default_factory=dict)


def match_services(
    services: Iterable[str],
    catalog: Mapping[str, PlatformDeclaration],
    stored: StoredPlatforms,
) -> ServiceMatches:
    """Match every service folder to its platform, or report it as a collision."""
    result = ServiceMatches()
    stored_ids = stored.ids()
    new_platforms: dict[str, list[str]] = {}
    for service in sorted(set(services)):
        match = match_platform(service, catalog, stored)
        if isinstance(match, Collision):
            result.collisions[service] = match
            continue
        result.platforms[service] = match
        is_new = (
            match.declared is None
            and match.catalog_platform is None
            and match.platform_id not in stored_ids
        )
        if is_new:
            new_platforms.setdefault(match.platform_id, []).append(service)
    for platform_id, group in new_platforms.items():
        distinct = {_nfc(name) for name in group}
        if len(distinct) < 2:
            continue
        for service in group:
            del result.platforms[service]
            others = tuple(
                name for name in group if not same_platform_name(name, service)
            )
            result.collisions[service] = Collision(
                service, platform_id, other_folders=others
            )
    return result


def match_platform(
    service: str,
    catalog: Mapping[str, PlatformDeclaration],
    stored: StoredPlatforms,
) -> PlatformMatch | Collision:
    """Choose the platform of one service folder, by the order the module gives.

    A service that the catalog names is imported into the catalog platform, unless
    an import made before the catalog listed that name stored the service under a
    platform of its own, which keeps receiving it (see
    ``PlatformMatch.catalog_platform``).
    """
    slug = platform_slug(service)
    platform = catalog.get(slug)
    if platform is not None:
        if platform.id != slug and slug in stored.names:
            # NOTE: no command merges two stored platforms yet. Importing this
            # folder into the catalog platform instead would leave the earlier
            # platform in place and put every earlier file out of order there, so
            # the import goes on as before and reports the duplicate.
            return PlatformMatch(slug, stored.names[slug], catalog_platform=platform)
        return PlatformMatch(platform.id, platform.name, declared=platform)

    stored_name = stored.names.get(slug)
    if stored_name is not None and same_platform_name(stored_name, service):
        return PlatformMatch(slug, stored_name)
    named = stored.named.get(_nfc(service))
    if named is not None:
        # The stored spelling is kept, so that an import does not rename a platform
        # only because the folder name is in another Unicode normalization form.
        return PlatformMatch(*named)
    if stored_name is None:
        return PlatformMatch(slug, service)
    return Collision(service, slug, stored_name=stored_name)


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)
