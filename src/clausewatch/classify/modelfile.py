"""Reading and writing trained model files: a joblib file plus a JSON manifest.

The manifest is written last, so a model folder without one contains no usable
model.
Loading checks the manifest's format, the scikit-learn version the model was built
with and the SHA-256 of the joblib file before unpickling it.
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

_RETRAIN = (
    "run `clausewatch train` to rebuild it, or delete the folder to use the "
    "built-in patterns and examples"
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
    """Write the bundle and its manifest into ``out_dir``; return the manifest path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / MODEL_FILE
    partial = model_path.with_suffix(".joblib.partial")
    joblib.dump(bundle, partial, compress=3)
    partial.replace(model_path)

    manifest = {
        **manifest,
        "format": FORMAT_VERSION,
        "model_file": MODEL_FILE,
        "model_sha256": _sha256(model_path),
        "sklearn_version": sklearn.__version__,
    }
    manifest_path = out_dir / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    logger.info("wrote model %s to %s", manifest.get("version"), out_dir)
    return manifest_path


def model_present(model_dir: Path) -> bool:
    """Return whether ``model_dir`` contains a manifest or a model file."""
    return (model_dir / MANIFEST_FILE).exists() or (model_dir / MODEL_FILE).exists()


def load_model(model_dir: Path) -> tuple[ModelBundle, dict[str, Any]]:
    """Load and verify a model folder.

    Raises ModelFileError naming the file and what to do when the manifest is missing
    or unreadable, the format or scikit-learn version differs, the checksum does not
    match, or the joblib file does not unpickle into a model bundle.
    """
    manifest = _read_manifest(model_dir / MANIFEST_FILE)
    model_path = model_dir / str(manifest.get("model_file", MODEL_FILE))
    if not model_path.is_file():
        raise ModelFileError(f"model file {model_path} is missing; {_RETRAIN}")
    if _sha256(model_path) != manifest.get("model_sha256"):
        raise ModelFileError(
            f"model file {model_path} does not match the checksum in its manifest "
            f"(corrupt or replaced); {_RETRAIN}"
        )
    try:
        bundle = joblib.load(model_path)
    except Exception as error:  # unpickling raises many unrelated types
        raise ModelFileError(
            f"model file {model_path} could not be read ({error}); {_RETRAIN}"
        ) from error
    if not isinstance(bundle, ModelBundle):
        raise ModelFileError(
            f"model file {model_path} contains a {type(bundle).__name__}, not a "
            f"classifier model; {_RETRAIN}"
        )
    return bundle, manifest


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ModelFileError(f"model manifest {path} is missing; {_RETRAIN}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(
            f"model manifest {path} is unreadable ({error}); {_RETRAIN}"
        ) from error
    if not isinstance(manifest, dict):
        raise ModelFileError(f"model manifest {path} is not a JSON object; {_RETRAIN}")
    if manifest.get("format") != FORMAT_VERSION:
        raise ModelFileError(
            f"model manifest {path} has format {manifest.get('format')!r}, this "
            f"version reads format {FORMAT_VERSION}; {_RETRAIN}"
        )
    if manifest.get("sklearn_version") != sklearn.__version__:
        raise ModelFileError(
            f"model {path.parent} was built with scikit-learn "
            f"{manifest.get('sklearn_version')}, this installation has "
            f"{sklearn.__version__}; {_RETRAIN}"
        )
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
