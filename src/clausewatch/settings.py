"""The one typed settings object of clausewatch.

Values come, highest priority first, from explicit arguments (CLI options), environment
variables prefixed ``CLAUSEWATCH_``, a ``clausewatch.toml`` file in the data directory,
and the defaults below. No other module reads the environment.
"""

from __future__ import annotations

import os
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from clausewatch.errors import ConfigurationError, quote_value

# The largest document accepted, whether fetched or imported. Policies are usually
# well under a megabyte, so a larger file is most likely a generated or wrong capture.
# Its hundreds of thousands of provisions would slow every page that shows it.
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def default_data_dir() -> Path:
    """Return the per-user data directory (``~/.local/share/clausewatch`` on Linux)."""
    return Path(platformdirs.user_data_dir("clausewatch", appauthor=False))


class Settings(BaseSettings):
    """Runtime configuration. Every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="CLAUSEWATCH_", extra="forbid")

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description=(
            "Folder holding the SQLite database, the snapshot blobs and models."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy database URL. Default: a SQLite file clausewatch.db in the "
            "data directory. PostgreSQL: postgresql+psycopg://user@host/dbname."
        ),
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description=(
            "Public base URL of the web UI, used in permanent links and citations. "
            "Unset, serve uses the address it listens on."
        ),
    )
    fetch_timeout: float = Field(
        default=30.0, gt=0, description="Seconds before one HTTP request times out."
    )
    fetch_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Retries after a failed request (backoff 0.5 s x 2^n).",
    )
    fetch_max_bytes: int = Field(
        default=DOCUMENT_MAX_BYTES,
        gt=0,
        description=(
            "Maximum response body size accepted, in bytes, after decompression."
        ),
    )
    import_max_bytes: int = Field(
        default=DOCUMENT_MAX_BYTES,
        gt=0,
        description=(
            "Maximum size of one file of an imported versions history, in bytes. "
            "Larger files are skipped with an error."
        ),
    )
    fetch_max_redirects: int = Field(
        default=10,
        ge=0,
        description="Maximum number of redirects followed for one document URL.",
    )
    fetch_per_host_concurrency: int = Field(
        default=2, ge=1, description="Requests in flight at once to the same host."
    )
    fetch_concurrency: int = Field(
        default=16, ge=1, description="Documents fetched at once across all hosts."
    )
    extraction_processes: int = Field(
        default=0,
        ge=0,
        le=64,
        description=(
            "Worker processes that extract and segment fetched pages during track. "
            "0 starts one per CPU on machines with two or more, 1 works in the "
            "tracking process."
        ),
    )
    user_agent: str = Field(
        default=(
            "clausewatch/0.1 (+https://github.com/clausewatch/clausewatch; "
            "policy monitor)"
        ),
        description="User-Agent header sent with every request.",
    )
    allowed_private_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Hosts or IP networks (CIDR) that may be fetched although private, "
            "loopback or link-local, e.g. 127.0.0.1 for local test servers. "
            "Empty by default."
        ),
    )
    browser_executable: Path = Field(
        default=Path("/usr/bin/chromium"),
        description=(
            "Chromium binary used for documents that declare executeClientScripts."
        ),
    )
    browser_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a browser page load may take."
    )
    classifier_threshold: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description=(
            "Confidence below which the classifier abstains from a clause type."
        ),
    )

    @field_validator("allowed_private_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        # The environment gives one string, so accept a comma-separated list such as
        # "127.0.0.1,10.0.0.0/8".
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str) -> str:
        # The value starts every permanent link, feed entry and citation, so a
        # javascript: or relative value would end up in every href.
        value = value.strip()
        try:
            parts = urlsplit(value)
            _ = parts.port  # raises ValueError for a port out of range
        except ValueError as error:
            raise ValueError(f"{error}; {BASE_URL_EXAMPLE}") from error
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an absolute http or https URL; {BASE_URL_EXAMPLE}")
        if parts.query or parts.fragment:
            raise ValueError(
                "contains a query or fragment, after which no path can be appended; "
                f"{BASE_URL_EXAMPLE}"
            )
        return value

    @cached_property
    def resolved_database_url(self) -> str:
        """Return the database URL, by default a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'clausewatch.db'}"

    @property
    def blob_dir(self) -> Path:
        """Folder of the content-addressed snapshot store."""
        return self.data_dir / "blobs"

    @property
    def model_dir(self) -> Path:
        """Folder of trained classifier models."""
        return self.data_dir / "models"


BASE_URL_EXAMPLE = (
    "give the address readers open, such as https://policies.example.org or "
    "https://example.org/clausewatch"
)


def load_settings(**overrides: Any) -> Settings:
    """Build settings from overrides, the environment and ``clausewatch.toml``.

    Raises ConfigurationError with the offending field when a value is invalid.
    """
    overrides = {key: value for key, value in overrides.items() if value is not None}
    file_values: dict[str, Any] = {}
    probe_dir = overrides.get("data_dir")
    try:
        if probe_dir is None:
            probe_dir = Settings().data_dir
        config_file = Path(probe_dir) / "clausewatch.toml"
        if config_file.is_file():
            with config_file.open("rb") as handle:
                file_values = tomllib.load(handle)
        # Settings() gives keyword arguments priority over the environment, so file
        # values are passed only where the environment does not set the same name.
        from_file = {
            key: value
            for key, value in file_values.items()
            if f"CLAUSEWATCH_{key.upper()}" not in os.environ
        }
        settings = Settings(**{**from_file, **overrides})
    except tomllib.TOMLDecodeError as error:
        raise ConfigurationError(f"invalid TOML in {config_file}: {error}") from error
    except ValidationError as error:
        raise ConfigurationError(
            f"invalid setting {describe_invalid_settings(error)}. Fix the value in "
            "clausewatch.toml, its CLAUSEWATCH_ environment variable or its "
            "command-line option."
        ) from error
    except ValueError as error:
        raise ConfigurationError(
            f"invalid setting: {error}\nFix the value in clausewatch.toml, its "
            "CLAUSEWATCH_ environment variable or its command-line option."
        ) from error
    return settings


def describe_invalid_settings(error: ValidationError) -> str:
    """Word each invalid setting as "name 'value': problem", without links."""
    problems = []
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "value"
        if item["type"] == "extra_forbidden":
            problem = "unknown setting; docs/configuration.md lists them"
        else:
            problem = str(item["msg"]).removeprefix("Value error, ")
        problems.append(f"{name} {quote_value(str(item['input']))}: {problem}")
    return "; ".join(problems)
