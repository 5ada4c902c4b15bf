"""Write small versions histories of our own text for tests."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

PRIVACY_V1 = """# Example Privacy Policy

Last updated: January 5, 2025

## What we collect

We collect the name and e-mail address you give us when you create an account.

We collect the messages you send to our assistant so that we can answer them.

## How we share data

We share data with service providers who host our servers under contract.

## Your choices

You can delete your account at any time from the settings page.
"""

PRIVACY_V2 = PRIVACY_V1.replace(
    "so that we can answer them.",
    "so that we can answer them and train our artificial intelligence models.",
).replace("January 5, 2025", "March 1, 2026")

PRIVACY_V3 = PRIVACY_V2.replace(
    "## Your choices\n",
    "## Advertising\n\n"
    "We sell aggregated audience segments to advertising partners.\n\n"
    "## Your choices\n",
)


def timestamp_name(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H-%M-%SZ") + ".md"


def write_folder_history(
    root: Path, service: str, terms_type: str, versions: list[tuple[datetime, str]]
) -> Path:
    folder = root / service / terms_type
    folder.mkdir(parents=True, exist_ok=True)
    for moment, text in versions:
        (folder / timestamp_name(moment)).write_text(text, "utf-8")
    return root


def write_git_history(
    root: Path, service: str, terms_type: str, versions: list[tuple[datetime, str]]
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / service).mkdir(exist_ok=True)
    for moment, text in versions:
        (root / service / f"{terms_type}.md").write_text(text, "utf-8")
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        environment = {
            **os.environ,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_AUTHOR_NAME": "test",
            "GIT_AUTHOR_EMAIL": "test@example.org",
            "GIT_COMMITTER_NAME": "test",
            "GIT_COMMITTER_EMAIL": "test@example.org",
        }
        subprocess.run(
            ["git", "-C", str(root), "add", "-A"], check=True, env=environment
        )
        subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                f"Record {terms_type}",
            ],
            check=True,
            env=environment,
        )
    return root
