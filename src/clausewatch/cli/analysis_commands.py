"""Commands of the classifier: train, eval and classify (re-run over stored data)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from clausewatch.cli.context import (
    console,
    error_console,
    open_store,
    print_json,
    reported_errors,
    state_of,
)
from clausewatch.cli.tracking_commands import counted

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
SEED_HELP = "Seed of the document-level train/validation split."
DEFAULT_SEED = 20261204


class Split(StrEnum):
    VALIDATION = "validation"
    ALL = "all"


class ModelChoice(StrEnum):
    FAST = "fast"
    ACCURATE = "accurate"


def train(
    context: typer.Context,
    labels: Annotated[
        Path, typer.Option("--labels", help="Folder of labelled JSONL datasets.")
    ],
    seed: Annotated[int, typer.Option(help=SEED_HELP)] = DEFAULT_SEED,
    model: Annotated[
        ModelChoice,
        typer.Option(
            help="Model to train. fast is the linear model on n-grams and patterns. "
            "accurate also reads MiniLM sentence embeddings and is slower to train "
            "and to classify."
        ),
    ] = ModelChoice.FAST,
    json_output: JsonOption = False,
) -> None:
    """Train the statistical classifier into the data directory's models folder."""
    from clausewatch.classify import train as run_train

    with reported_errors():
        settings = state_of(context).settings
        report = run_train(labels, settings.model_dir, seed=seed, model=model.value)
    if json_output:
        print_json(report.to_dict())
    else:
        console.print(f"Trained model {report.version} into {settings.model_dir}")


def evaluate(
    context: typer.Context,
    dataset: Annotated[Path, typer.Argument(help="Labelled JSONL file or its folder.")],
    split: Annotated[
        Split,
        typer.Option(
            help="validation: the held-out documents of the split; all: every record."
        ),
    ] = Split.VALIDATION,
    seed: Annotated[int, typer.Option(help=SEED_HELP)] = DEFAULT_SEED,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="YAML table mapping the data set's labels to clause type ids "
            "('labels: {label: [type ids]}'). Without it, a bundled table of the "
            "data set's name is used, else the labels must be clause type ids."
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Report per-type precision, recall and F1, averages and sentences per second.

    Without a trained model, it scores the patterns and the taxonomy's examples.
    A data set of your own (no bundled table) is scored on all its records.
    """
    from clausewatch.classify import Classifier
    from clausewatch.classify import evaluate as run_evaluate

    with reported_errors():
        settings = state_of(context).settings
        classifier = Classifier.load(settings)
        reports = [
            run_evaluate(
                path, classifier, split=split.value, seed=seed, mapping_file=mapping
            )
            for path in _datasets(dataset)
        ]
    if json_output:
        payload = [report.to_dict() for report in reports]
        print_json(payload[0] if len(payload) == 1 else payload)
    else:
        for report in reports:
            console.print(report.render_table())


def _datasets(path: Path) -> list[Path]:
    """Return the dataset at `path`, or every dataset folder inside it.

    `train --labels` takes the folder of all datasets, so eval accepts it too.
    """
    if path.is_dir() and not (path / f"{path.name}.jsonl").exists():
        folders = sorted(
            child
            for child in path.iterdir()
            if child.is_dir() and (child / f"{child.name}.jsonl").exists()
        )
        if folders:
            return folders
    return [path]


def classify(context: typer.Context, json_output: JsonOption = False) -> None:
    """Classify every stored provision again with the current model (no fetching).

    Contacts are read again from each platform's latest versions as well.
    """
    from rich.progress import Progress

    from clausewatch.tracking.analyzer_factory import build_analyzer
    from clausewatch.tracking.reclassify import document_ids, reclassify

    with open_store(context) as store, reported_errors():
        analyzer = build_analyzer(state_of(context).settings)
        with Progress(console=error_console, transient=True) as progress:
            task = progress.add_task("Classifying", total=len(document_ids(store)))
            report = reclassify(
                store, analyzer, on_document=lambda _: progress.advance(task)
            )
    if json_output:
        print_json(report.to_dict())
    else:
        console.print(
            f"Classified {counted(report.provision_texts, 'provision text')} of "
            f"{counted(report.documents, 'document')} with {report.model_version} "
            f"in {report.seconds:.1f} s; {report.labelled} "
            f"{'has' if report.labelled == 1 else 'have'} at least one clause type; "
            f"{counted(report.contacts, 'contact')} read again."
        )


def embed(context: typer.Context, json_output: JsonOption = False) -> None:
    """Store sentence vectors of current classified provisions for similar clauses.

    Without stored vectors, a provision page ranks similar clauses by TF-IDF; run
    this after import or track to rank them by sentence embeddings. Vectors are
    committed in chunks, so a stopped run keeps its work and the next run resumes.
    """
    import time

    from rich.progress import Progress

    from clausewatch.figures import SentenceEncoder, embed_missing_vectors

    started = time.perf_counter()
    stored = total = 0
    with open_store(context) as store, reported_errors():
        encoder = SentenceEncoder.load()
        with Progress(console=error_console, transient=True) as progress:
            task = progress.add_task("Embedding provision texts", total=None)

            def show(done: int, texts: int) -> None:
                nonlocal stored, total
                stored, total = done, texts
                progress.update(task, completed=done, total=texts)

            try:
                count = embed_missing_vectors(store.session, encoder, on_progress=show)
            except KeyboardInterrupt:
                error_console.print(
                    f"Interrupted: vectors of {stored} of "
                    f"{counted(total, 'provision text')} "
                    "are stored; run `clausewatch embed` again to embed the rest."
                )
                raise typer.Exit(1) from None
    seconds = round(time.perf_counter() - started, 1)
    if json_output:
        print_json({"embedded": count, "seconds": seconds})
    else:
        console.print(
            f"Stored vectors of {counted(count, 'provision text')} in {seconds} s."
        )


def register(app: typer.Typer) -> None:
    app.command()(train)
    app.command("eval")(evaluate)
    app.command()(classify)
    app.command()(embed)
