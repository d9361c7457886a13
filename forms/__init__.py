"""What a keukentafelgesprek contains and what counts as complete. No Qt, no SQL."""

from .models import *  # noqa: F401,F403  (the model classes are the package's surface)
from .models import __all__ as _model_names
from .errors import (
    AlreadyFinal,
    DefinitionError,
    IncompleteDossier,
    KeukentafelError,
    NotFinal,
    UnknownDefinition,
    UnsupportedSchema,
)
from .validators import dutch_messages, elfproef

__all__ = [
    *_model_names,
    "dutch_messages",
    "elfproef",
    "KeukentafelError",
    "DefinitionError",
    "UnknownDefinition",
    "IncompleteDossier",
    "AlreadyFinal",
    "NotFinal",
    "UnsupportedSchema",
]
