"""What a keukentafelgesprek contains and what counts as complete. No Qt, no SQL."""

from . import (
    invariants,
    migrate,
    trajectory,
)
from .definitions import Definitions, default_definitions, load_definitions
from .errors import (
    AlreadyFinal,
    DefinitionError,
    IncompleteDossier,
    KeukentafelError,
    NotFinal,
    TrajectoryClosed,
    UnknownDefinition,
    UnsupportedSchema,
)
from .finalise import (
    canonical_json,
    content_hash,
    finalise,
    is_frozen,
    new_version,
    plan_changed,
    start_gesprek,
    verify,
)
from .invariants import (
    FINAL_GAP_CODES,
    FINAL_INVARIANTS,
    STORAGE_INVARIANTS,
    Invariant,
    Problem,
    final_problems,
    storage_problems,
)
from .models import *  # noqa: F403  (the model classes are the package's surface)
from .models import __all__ as _model_names
from .rules import RULES, SECTIONS, Gap, Location, RuleSettings, Severity, blocking, gaps, is_complete, sections_for
from .validators import dutch_messages, elfproef

__all__ = [
    *_model_names,
    "dutch_messages",
    "elfproef",
    # errors
    "KeukentafelError",
    "DefinitionError",
    "UnknownDefinition",
    "IncompleteDossier",
    "AlreadyFinal",
    "NotFinal",
    "TrajectoryClosed",
    "UnsupportedSchema",
    # definitions
    "Definitions",
    "default_definitions",
    "load_definitions",
    # rules
    "gaps",
    "blocking",
    "is_complete",
    "Gap",
    "Location",
    "Severity",
    "RuleSettings",
    "RULES",
    "SECTIONS",
    "sections_for",
    # finalising
    "finalise",
    "content_hash",
    "canonical_json",
    "verify",
    "is_frozen",
    "new_version",
    "start_gesprek",
    "plan_changed",
    "migrate",
    "trajectory",
    # invariants
    "invariants",
    "Invariant",
    "Problem",
    "STORAGE_INVARIANTS",
    "FINAL_INVARIANTS",
    "FINAL_GAP_CODES",
    "storage_problems",
    "final_problems",
]
