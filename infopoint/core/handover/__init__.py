"""Backup and restore of a running instance, and the hand-over export and import.

``backup``: the database in its engine's own format (``pg_dump``, SQLite's online backup)
and the uploaded files as a tar archive, for putting the same instance back.
``exchange``: the whole service as JSON Lines per model plus files, for a new operator
(docs/handover.md describes both formats).
"""
