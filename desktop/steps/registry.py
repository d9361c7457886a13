"""Which page class shows which step, per kind of gesprek: the one registry.

The steps of a gesprek are ``forms.rules.sections_for(soort)`` (gap locations name them):
an intake has the ten steps of ``forms.SECTIONS``, an evaluatie and an afsluiting their own
list (contact, evaluatie, veiligheid, …). A step id names a module ``desktop.steps.<module>``
that defines one ``StepPage`` subclass with that ``step_id``. ``PAGES`` maps every step id
to its module; ``BY_SOORT`` overrides it for one kind of gesprek where a step looks
different there (an evaluatie's view of "veiligheid", say). A step id without a page is a
programming error and raises ``LookupError``.
"""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

from forms import GesprekSoort

from .base import STEP_TITLES, StepPage

__all__ = ["PAGES", "BY_SOORT", "step_ids_for", "page_class", "load_step_classes"]

# step id -> module under desktop.steps: every step's module is named after it
PAGES: dict[str, str] = {step_id: step_id for step_id in STEP_TITLES}

# (kind of gesprek, step id) -> module, where that kind shows the step with its own page
BY_SOORT: dict[tuple[GesprekSoort, str], str] = {}


def step_ids_for(soort: GesprekSoort | str) -> tuple[str, ...]:
    """The steps of a gesprek of this kind, in order (``forms.rules.sections_for``)."""
    from forms.rules import sections_for

    return tuple(sections_for(GesprekSoort(soort)))


def _class_in(module: ModuleType, step_id: str) -> type[StepPage] | None:
    for _name, obj in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(obj, StepPage)
            and obj is not StepPage
            and obj.__module__ == module.__name__
            and obj.step_id == step_id
        ):
            return obj
    return None


def page_class(step_id: str, soort: GesprekSoort | str = GesprekSoort.INTAKE) -> type[StepPage]:
    """The page class of one step of a gesprek of this kind."""
    name = BY_SOORT.get((GesprekSoort(soort), step_id)) or PAGES.get(step_id)
    if name is None:
        raise LookupError(f"no step page registered for {step_id!r}")
    module = importlib.import_module(f"desktop.steps.{name}")
    cls = _class_in(module, step_id)
    if cls is None:
        raise LookupError(f"desktop.steps.{name} defines no StepPage with step_id={step_id!r}")
    return cls


def load_step_classes(soort: GesprekSoort | str = GesprekSoort.INTAKE) -> dict[str, type[StepPage]]:
    """step id -> page class for a gesprek of this kind, in its step order."""
    return {step_id: page_class(step_id, soort) for step_id in step_ids_for(soort)}
