"""What the verslag needs from the installation's settings (the desktop fills it in)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["VerslagSettings"]


@dataclass(frozen=True)
class VerslagSettings:
    """Letterhead and choices for the gesprek-adviesverslag.

    ``toon_instrument_details``: print the safety instrument's item answers per child.
    Off by default: the parents read the conclusion in words; the item detail stays
    in the dossier.
    """

    gemeente: str = "Gemeente"
    team: str = "Sociaal wijkteam"
    toon_instrument_details: bool = False
    wijkcoach: str = ""  # who held the gesprek, as printed under "Het gesprek"
    functie: str = ""  # their function, printed after the name ("wijkcoach", "gezinscoach")
    team_telefoon: str = ""
    team_email: str = ""
