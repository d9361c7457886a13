"""The three-way merge moved to :mod:`forms.merge` (it is about the dossier; the desktop
merges too) and the paths to :mod:`forms.paths`. Kept as the sync's name for the same
objects so modules importing ``sync.merge`` need no change."""

from forms.merge import (
    MISSING,
    Conflict,
    Item,
    MergeResult,
    Path,
    get_at,
    merge,
    merge_validated,
    parse_path,
    path_text,
    set_at,
)

__all__ = [
    "MISSING",
    "Item",
    "Path",
    "Conflict",
    "MergeResult",
    "merge",
    "merge_validated",
    "get_at",
    "set_at",
    "path_text",
    "parse_path",
]
