"""The model's own checks: elfproef, postcode, dates; each with its Dutch message."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

import forms
from forms import Address, Dossier, Gesprek, Household, Member, Role, dutch_messages, elfproef
from forms.validators import check_rsin


def person(**kw):
    base = dict(voornaam="Test", achternaam="Persoon", geboortedatum=dt.date(1990, 5, 1), rol=Role.OUDER)
    return Member(**{**base, **kw})


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return dutch_messages(exc.value)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "1112.22.333", " 111 222 333 "])
def test_valid_bsn(bsn):
    assert person(bsn=bsn).bsn == bsn.replace(".", "").replace(" ", "")


def test_eight_digit_bsn_gets_leading_zero():
    # 012345672: 0*9+1*8+2*7+3*6+4*5+5*4+6*3+7*2-2 = 110, a multiple of 11
    assert person(bsn="12345672").bsn == "012345672"


@pytest.mark.parametrize(
    "bsn, message",
    [
        ("123456789", "Dit BSN klopt niet (de elfproef faalt). Controleer het nummer op een typefout."),
        ("000000000", "Dit BSN klopt niet (de elfproef faalt). Controleer het nummer op een typefout."),
        ("12345", "Een BSN bestaat uit 9 cijfers."),
        ("12345678a", "Een BSN bestaat uit 9 cijfers (0 tot en met 9); hier staat ook een ander teken in."),
    ],
)
def test_invalid_bsn(bsn, message):
    with pytest.raises(ValidationError) as exc:
        person(bsn=bsn)
    assert messages(exc) == [message]
    assert exc.value.errors()[0]["type"] in {"bsn_elfproef", "bsn_format", "bsn_tekens"}


def test_elfproef_and_rsin():
    assert elfproef("111222333") and elfproef("123456782")
    assert not elfproef("123456789") and not elfproef("000000000") and not elfproef("12345678")
    with pytest.raises(Exception) as exc:
        check_rsin("123456789")
    assert "RSIN klopt niet" in str(exc.value)


@pytest.mark.parametrize("raw, normal", [("1234ab", "1234 AB"), ("1234 AB", "1234 AB"), (" 9999 zz ", "9999 ZZ")])
def test_valid_postcode(raw, normal):
    assert Address(huisnummer="1", postcode=raw, plaats="X").postcode == normal


@pytest.mark.parametrize("raw", ["0123 AB", "1234 SS", "1234 SA", "1234 SD", "12345", "ABCD 12", "1234 A"])
def test_invalid_postcode(raw):
    with pytest.raises(ValidationError) as exc:
        Address(huisnummer="1", postcode=raw, plaats="X")
    assert messages(exc) == ["Vul een Nederlandse postcode in, zoals 1234 AB."]


def test_birth_date_in_future():
    with pytest.raises(ValidationError) as exc:
        person(geboortedatum=dt.date.today() + dt.timedelta(days=1))
    assert messages(exc) == ["Een geboortedatum kan niet in de toekomst liggen."]


def test_birth_date_before_1900():
    with pytest.raises(ValidationError) as exc:
        person(geboortedatum=dt.date(1899, 12, 31))
    assert messages(exc) == ["Controleer de geboortedatum: die ligt voor 1900."]


def test_gesprek_before_birth():
    baby = person(voornaam="Pim", geboortedatum=dt.date(2024, 6, 1), rol=Role.KIND)
    with pytest.raises(ValidationError) as exc:
        Dossier(
            huishouden=Household(adres=Address(huisnummer="1", postcode="1234 AB", plaats="X"), leden=[baby]),
            gesprek=Gesprek(datum=dt.date(2024, 5, 1)),
        )
    assert messages(exc) == ["De datum van het gesprek ligt voor de geboortedatum van Pim."]


def test_assignment_is_validated_too():
    m = person()
    with pytest.raises(ValidationError) as exc:
        m.bsn = "123456789"
    assert "elfproef" in messages(exc)[0]
    assert m.bsn is None


def test_consent_not_in_future_and_text_limits():
    with pytest.raises(ValidationError) as exc:
        forms.Consent(contact_toegestaan=True, delen_toegestaan=True, datum=dt.date.today() + dt.timedelta(days=2))
    assert messages(exc) == ["Toestemming kan niet in de toekomst gegeven zijn."]
    with pytest.raises(ValidationError) as exc:
        forms.ContactRecord(member_id=person().id, status="niet_gesproken", reden="x" * 501)
    assert messages(exc) == ["Deze tekst is te lang (hooguit 500 tekens)."]


def test_domain_entry_not_both():
    with pytest.raises(ValidationError) as exc:
        forms.DomainEntry(domein="wonen", definitie=forms.DefinitionRef(id="leefgebieden-basis", version=1), besproken=True, niet_van_toepassing=True)
    assert messages(exc) == ["Een leefgebied is besproken of niet van toepassing, niet allebei."]


def test_validation_error_text_leaves_out_the_rejected_value():
    """A ValidationError that reaches a log or traceback must not carry the BSN or a text."""
    with pytest.raises(ValidationError) as exc:
        person(bsn="123456789")
    assert "123456789" not in str(exc.value) and "123456789" not in repr(exc.value)
    with pytest.raises(ValidationError) as exc:
        forms.ContactRecord(member_id=person().id, status="niet_gesproken", reden="Geheim verhaal " * 40)
    assert "Geheim" not in str(exc.value)
