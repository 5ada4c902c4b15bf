"""Content-addressed snapshot store: raw captured bytes kept once per SHA-256."""

from clausewatch.snapshot.blob_store import BlobProblem, BlobStore, sha256_hex

__all__ = ["BlobProblem", "BlobStore", "sha256_hex"]
