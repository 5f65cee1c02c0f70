"""The register admin's guided set-up page: upload, confirm sections, clear errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from privacy.models import AuditEntry
from statement import onboarding
from statement.completeness import completeness
from statement.models import Controller, StatementDraft, StatementPart
from tests.statement.import_expectations import FIXTURES

pytestmark = pytest.mark.django_db

URL = "/hallinta/statement/statementdraft/kayttoonotto/"


@pytest.fixture
def admin_client(client, register_admin, otp_login):
    return otp_login(client, register_admin)


def _upload(client, name: str = "001_db8140427b108a6d.txt"):
    data = (FIXTURES / "seeds" / name).read_bytes()
    return client.post(
        URL, {"section": "upload", "file": SimpleUploadedFile(name, data)}, follow=True
    )


def test_the_url_is_the_named_one():
    assert reverse("admin:statement_onboarding") == URL


def test_customer_service_may_not_open_the_set_up(client, customer_service, otp_login):
    otp_login(client, customer_service)
    assert client.get(URL).status_code == 403


def test_uploading_a_seed_prefills_controller_recipients_and_lists_promises(admin_client):
    page = _upload(admin_client).content.decode()
    assert "Seloste 001_db8140427b108a6d.txt luettiin" in page
    assert 'value="Komiat Hetket Oy"' in page and 'value="2311066-7"' in page
    assert 'value="Heidi Saukko"' in page
    assert "Tapahtuma- ja käyttäjäanalyysitiedot" in page  # named but not held
    assert "Jätä pois" in page  # "Tarkastuspyyntö tulee lähettää kirjallisesti…"
    assert "Rekisteri pitää tämän" in page
    assert StatementDraft.current().imported_from == "001_db8140427b108a6d.txt"


def test_a_wrong_y_tunnus_is_refused_with_a_clear_error_and_nothing_saved(admin_client):
    _upload(admin_client)
    response = admin_client.post(
        URL,
        {"section": "controller", "controller-name": "Komiat Hetket Oy",
         "controller-business_id": "2311066-8"},
    )  # fmt: skip
    page = response.content.decode()
    assert "Y-tunnus ei ole oikein" in page
    assert "Tietoja ei tallennettu" in page
    assert not Controller.objects.exists()


def test_confirming_the_controller_saves_it(admin_client):
    _upload(admin_client)
    response = admin_client.post(
        URL,
        {"section": "controller", "controller-name": "Komiat Hetket Oy",
         "controller-business_id": "2311066-7", "controller-post_office": "Seinäjoki"},
        follow=True,
    )  # fmt: skip
    assert "Rekisterinpitäjän tiedot tallennettiin." in response.content.decode()
    assert Controller.objects.get().business_id == "2311066-7"


def test_a_file_that_is_not_a_statement_is_refused_on_the_page(admin_client):
    response = admin_client.post(
        URL, {"section": "upload", "file": SimpleUploadedFile("x.txt", b"")}
    )
    assert "tyhjä" in response.content.decode()


def _drop(client, **extra):
    return client.post(URL, {"section": "promises", **extra}, follow=True)


def _promises_in_draft() -> list[str]:
    return [
        state.review.text for state in onboarding.promise_states(StatementDraft.current())
        if state.to_drop
    ]  # fmt: skip


def test_the_register_admin_drops_the_promises_marked_to_drop(admin_client, register_admin):
    page = _upload(admin_client).content.decode()
    to_drop = _promises_in_draft()
    assert to_drop  # 001 asks for a written, signed access request
    assert "Jätä lupaukset pois" in page
    assert "allekirjoitettua kirjettä tai lomaketta ei voi vaatia" in page  # the reason

    refused = _drop(admin_client).content.decode()  # not confirmed: nothing removed
    assert "Vahvista ensin, että lupaukset poistetaan luonnoksesta." in refused
    assert _promises_in_draft() == to_drop

    page = _drop(admin_client, **{"promises-confirm": "on"}).content.decode()
    assert f"Luonnoksen teksteistä poistettiin {len(to_drop)} lupausta." in page
    assert _promises_in_draft() == []
    texts = " ".join(StatementDraft.current().texts["fi"].values())
    assert all(" ".join(sentence.split()) not in " ".join(texts.split()) for sentence in to_drop)
    assert "Jätetty pois" in page and "Jätä lupaukset pois" not in page
    entry = AuditEntry.objects.get(details__onboarding="promises")
    assert entry.actor == register_admin and entry.details["dropped"] == len(to_drop)

    again = _drop(admin_client, **{"promises-confirm": "on"}).content.decode()  # re-runnable
    assert "Luonnoksessa ei ollut enää pois jätettäviä lupauksia." in again


@pytest.mark.parametrize("role", ["customer_service", "marketing"])
def test_only_the_register_admin_may_drop_promises(client, admin_client, otp_login, role, request):
    _upload(admin_client)
    texts = StatementDraft.current().texts
    admin_client.logout()
    otp_login(client, request.getfixturevalue(role))
    response = client.post(URL, {"section": "promises", "promises-confirm": "on"})
    assert response.status_code == 403
    assert StatementDraft.current().texts == texts
    assert not AuditEntry.objects.filter(details__onboarding="promises").exists()


def test_a_translation_of_a_part_a_promise_left_must_be_checked_before_publishing(admin_client):
    """Dropping a promise edits the Finnish text: a translation written before still says it."""
    _upload(admin_client)
    sentence = _promises_in_draft()[0]
    draft = StatementDraft.current()
    part = next(
        p
        for p, text in draft.texts["fi"].items()
        if onboarding.replace_sentence(text, sentence, "") != text
    )
    draft.set_text(part, "sv", "Den gamla utfästelsen på svenska.")
    draft.save()
    assert not _outdated(draft)

    _drop(admin_client, **{"promises-confirm": "on"})
    draft = StatementDraft.current()
    assert draft.translation_outdated(part, "sv")
    assert _outdated(draft) == [
        f"{StatementPart(part).label}: ruotsinkielinen teksti on kirjoitettu aiemmalle "
        "suomenkieliselle tekstille. Päivitä käännös tai vahvista, että se vastaa suomenkielistä."
    ]
    assert not draft.translation_outdated(part, "en")  # no English text was written


def _outdated(draft) -> list[str]:
    return [gap for gap in completeness(draft) if "aiemmalle suomenkieliselle" in gap]
