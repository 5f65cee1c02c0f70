"""A consent wording lacking a language the statement serves keeps the statement from publishing.

The portal asks consents in the reader's language with the shop's wordings (ConsentWording) and
falls back to Finnish, so a Swedish reader of a shop that serves Swedish would be asked in
Finnish. The customers app reports such a wording to the statement's completeness check.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from customers.models import ConsentWording
from demo.shop import ensure_demo_statement
from statement.completeness import completeness
from statement.models import StatementDraft
from statement.publishing import publish_statement

pytestmark = pytest.mark.django_db

GAP = "Suostumuksen sanamuoto ”suoramarkkinointi / sähköposti”: ruotsinkielinen käännös puuttuu."


@pytest.fixture
def draft() -> StatementDraft:
    ensure_demo_statement()
    wording = ConsentWording.objects.get(purpose="direct_marketing", channel="email")
    wording.text_sv = " "
    wording.save()
    return StatementDraft.current()


def _wording_gaps(draft: StatementDraft) -> list[str]:
    return [gap for gap in completeness(draft) if "sanamuoto" in gap]


def test_a_wording_without_swedish_is_listed_and_refuses_publishing_when_swedish_is_served(draft):
    draft.serves_swedish = True
    draft.save()
    gaps = _wording_gaps(draft)
    assert len(gaps) == 1
    assert gaps[0].startswith(GAP)
    # It says where the wording is fixed.
    assert "Asiakasrekisteri › Suostumusten sanamuodot" in gaps[0]
    with pytest.raises(ValidationError) as refused:
        publish_statement(draft=draft)
    assert any(message.startswith(GAP) for message in refused.value.messages)

    ConsentWording.objects.filter(text_sv=" ").update(text_sv="Erbjudanden från oss (e-post)")
    assert _wording_gaps(draft) == []


def test_a_wording_without_swedish_is_no_gap_when_swedish_is_not_served(draft):
    draft.serves_swedish = False
    draft.save()
    assert _wording_gaps(draft) == []
    assert completeness(draft) == []
    assert publish_statement(draft=draft).number == 2


def test_the_statement_page_in_the_staff_panel_links_to_the_wording(
    draft, register_admin, otp_login
):
    draft.serves_swedish = True
    draft.save()
    staff = otp_login(Client(), register_admin)
    page = staff.get(f"/hallinta/statement/statementdraft/{draft.pk}/change/").content.decode()
    wording = ConsentWording.objects.get(purpose="direct_marketing", channel="email")
    assert GAP in page
    assert (
        f'<a href="/hallinta/customers/consentwording/{wording.pk}/change/">Korjaa tästä</a>'
        in page
    )


def test_a_wording_without_english_is_listed_while_english_is_served(draft):
    ConsentWording.objects.filter(purpose="research", channel="phone").update(text_en="")
    draft.serves_swedish, draft.serves_english = False, True
    draft.save()
    assert _wording_gaps(draft)[0].startswith(
        "Suostumuksen sanamuoto ”markkina- ja mielipidetutkimus / puhelin”: englanninkielinen "
        "käännös puuttuu."
    )
    draft.serves_english = False
    draft.save()
    assert _wording_gaps(draft) == []
