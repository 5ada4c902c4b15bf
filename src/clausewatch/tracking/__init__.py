"""Tracking runs: live capture of declared documents and import of version histories."""
