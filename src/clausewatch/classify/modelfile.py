"""Reading and writing trained model files: a joblib file plus a JSON manifest.

Both files are written in full under a ``.partial`` name before either replaces the
stored model, and the manifest is renamed last, so a model folder without one
contains no usable model.
Loading checks the manifest's format and model version, the scikit-learn version the
model was built with and the SHA-256 of the joblib file before unpickling it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.pipeline import FeatureUnion

from clausewatch.classify.linear import LinearModel
from clausewatch.classify.stacking import EmbeddingHead
from clausewatch.errors import ModelFileError

logger = logging.getLogger(__name__)

MODEL_FILE = "classifier.joblib"
MANIFEST_FILE = "classifier.json"
#: Layout version of the manifest and bundle; bump it when either changes shape.
FORMAT_VERSION = 1


def _remedy(model_dir: Path) -> str:
    return (
        f"delete {model_dir} to use the built-in patterns and examples, or train a "
        "new model with `clausewatch train --labels FOLDER`, where FOLDER contains "
        "the labelled data sets"
    )


@dataclass(frozen=True)
class ModelBundle:
    """Everything the classifier needs at prediction time."""

    vectorizer: FeatureUnion
    pattern_types: tuple[str, ...]
    linear: LinearModel
    # Per target: "model" when trained on labelled data, "examples" when only the
    # taxonomy's example sentences supported it (and its confidence is uncalibrated).
    sources: dict[str, str]
    # Targets whose confidence cross-validation calibrated against known negatives:
    # records of a data set that annotates the target, or, in a bundle fitted on the
    # taxonomy alone, the negative examples and background sentences.
    calibrated: frozenset[str]
    # Present in the accurate model only: stackers that also read sentence
    # embeddings. Bundles saved before this field existed load with the default.
    embedding_head: EmbeddingHead | None = None


def save_model(out_dir: Path, bundle: ModelBundle, manifest: dict[str, Any]) -> Path:
    """Write the bundle and its manifest into ``out_dir``; return the manifest path.

    A model already in ``out_dir`` stays as it was when writing either file fails.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    manifest_path = out_dir / MANIFEST_FILE
    model_partial = model_path.with_suffix(".joblib.partial")
    manifest_partial = manifest_path.with_suffix(".json.partial")
    try:
        joblib.dump(bundle, model_partial, compress=3)
        manifest = {
            **manifest,
            "format": FORMAT_VERSION,
            "model_file": MODEL_FILE,
            "model_sha256": _sha256(model_partial),
            "sklearn_version": sklearn.__version__,
        }
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        manifest_partial.write_text(text, encoding="utf-8")
    except BaseException:
        model_partial.unlink(missing_ok=True)
        manifest_partial.unlink(missing_ok=True)
        raise
    # NOTE: a crash between these two renames leaves the new model file with the old
    # manifest, which load_model rejects as a checksum mismatch.
    model_partial.replace(model_path)
    manifest_partial.replace(manifest_path)
    logger.info("wrote model %s to %s", manifest.get("version"), out_dir)
    return manifest_path


def model_present(model_dir: Path) -> bool:
    """Return whether ``model_dir`` contains a manifest or a model file."""
    return (model_dir / MANIFEST_FILE).exists() or (model_dir / MODEL_FILE).exists()


def load_model(model_dir: Path) -> tuple[ModelBundle, dict[str, Any]]:
    """Load and verify a model folder.

    Raises ModelFileError naming the file and what to do in these cases. The manifest
    is missing, unreadable or without a model version. The format or scikit-learn
    version differs. The checksum does not match. The joblib file does not unpickle
    into a model bundle.
    """
    manifest = _read_manifest(model_dir / MANIFEST_FILE)
    model_path = model_dir / str(manifest.get("model_file", MODEL_FILE))
    if not model_path.is_file():
        raise ModelFileError(
            f"model file {model_path} is missing; {_remedy(model_dir)}"
        )
    if _sha256(model_path) != manifest.get("model_sha256"):
        raise ModelFileError(
            f"model file {model_path} does not match the SHA-256 checksum in its "
            f"manifest, so it is damaged or was replaced; {_remedy(model_dir)}"
        )
    try:
        bundle = joblib.load(model_path)
    except (ImportError, AttributeError) as error:
        # The pickle names a module or class that this installation lacks.
        logger.debug("unpickling %s failed", model_path, exc_info=True)
        raise ModelFileError(
            f"model file {model_path} refers to code that this version of "
            f"clausewatch does not have, so another version built it; "
            f"{_remedy(model_dir)}"
        ) from error
    except Exception as error:  # unpickling raises many unrelated types
        # Their messages are internal details, such as KeyError(58) for an unknown
        # pickle opcode, so they go to the debug log and not to the user.
        logger.debug("unpickling %s failed", model_path, exc_info=True)
        raise ModelFileError(
            f"model file {model_path} could not be loaded because it is damaged or "
            f"is not a clausewatch model; {_remedy(model_dir)}"
        ) from error
    if not isinstance(bundle, ModelBundle):
        raise ModelFileError(
            f"model file {model_path} contains a {type(bundle).__name__}, not a "
            f"classifier model; {_remedy(model_dir)}"
        )
    return bundle, manifest


def _read_manifest(path: Path) -> dict[str, Any]:
    remedy = _remedy(path.parent)
    if not path.is_file():
        raise ModelFileError(f"model manifest {path} is missing; {remedy}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ModelFileError(
            f"model manifest {path} is unreadable: {error.strerror or error}; {remedy}"
        ) from error
    except UnicodeDecodeError as error:
        raise ModelFileError(
            f"model manifest {path} is unreadable: it is not UTF-8 text; {remedy}"
        ) from error
    except json.JSONDecodeError as error:
        # Some decoder messages end with "at" ("Unterminated string starting at"),
        # because the decoder appends the position to them.
        problem = error.msg.removesuffix(" at")
        raise ModelFileError(
            f"model manifest {path} is unreadable: it is not valid JSON "
            f"({problem} at line {error.lineno}, column {error.colno}); {remedy}"
        ) from error
    if not isinstance(manifest, dict):
        raise ModelFileError(f"model manifest {path} is not a JSON object; {remedy}")
    if manifest.get("format") != FORMAT_VERSION:
        raise ModelFileError(
            f"model manifest {path} is in model format {manifest.get('format')!r}, "
            f"but this version of clausewatch reads only format {FORMAT_VERSION}; "
            f"{remedy}"
        )
    if manifest.get("sklearn_version") != sklearn.__version__:
        raise ModelFileError(
            f"model {path.parent} was built with scikit-learn "
            f"{manifest.get('sklearn_version')}, this installation has "
            f"{sklearn.__version__}; {remedy}"
        )
    if not manifest.get("version"):
        raise ModelFileError(f"model manifest {path} has no model version; {remedy}")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
