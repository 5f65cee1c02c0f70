import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Customer
from integrations.csv_import import ImportFileError, RowAction, import_customers
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

EXCEL_FI = (
    "Asiakasnumero;Etunimi;Sukunimi;Sähköposti;Puhelin;Katuosoite;Postinumero;"
    "Postitoimipaikka;Yritys;Y-tunnus\r\n"
    "1001;Äijö;Öhman;aijo@example.fi;040 123 4567;Härmänkatu 1;00100;Helsinki;;\r\n"
    "1002;Åsa;Lindén;asa@example.fi;+358 50 765 4321;Storgatan 2;65100;Vaasa;"
    "Lindén Oy;0737546-2\r\n"
)
ENGLISH = (
    "External ID,First name,Last name,Email,Phone,Address,Postal code,City,Company,Business ID\r\n"
    'e-1,Aino,Virtanen,AINO@EXAMPLE.FI,0401234567,"Katu 1, B 2",33100,Tampere,,\r\n'
    "e-2,Eino,Leino,eino@example.fi,,,,,,\r\n"
)


def test_windows_1252_with_semicolons_and_finnish_headers_imports():
    report = import_customers(data=EXCEL_FI.encode("cp1252"), dry_run=False)
    assert report.written and report.count(RowAction.CREATE) == 2
    aijo = Customer.objects.get(external_id="1001")
    assert (aijo.first_name, aijo.last_name, aijo.street_address) == (
        "Äijö",
        "Öhman",
        "Härmänkatu 1",
    )
    assert aijo.phone == "+358401234567"
    assert aijo.source == Customer.Source.IMPORT
    asa = Customer.objects.get(email="asa@example.fi")
    assert (asa.company, asa.business_id) == ("Lindén Oy", "0737546-2")
    assert len(asa.number) == 9


def test_utf8_with_bom_commas_and_english_headers_imports():
    report = import_customers(data=b"\xef\xbb\xbf" + ENGLISH.encode(), dry_run=False)
    assert report.written and report.count(RowAction.CREATE) == 2
    aino = Customer.objects.get(external_id="e-1")
    assert (aino.email, aino.street_address, aino.post_office) == (
        "aino@example.fi",
        "Katu 1, B 2",
        "Tampere",
    )


def test_the_same_file_twice_changes_nothing():
    data = ENGLISH.encode()
    import_customers(data=data, dry_run=False)
    before = list(Customer.objects.order_by("id").values())
    report = import_customers(data=data, dry_run=False)
    assert report.count(RowAction.UNCHANGED) == 2
    assert list(Customer.objects.order_by("id").values()) == before


def test_rows_match_by_email_when_the_register_has_no_shop_id():
    existing = CustomerFactory(email="eino@example.fi", external_id="", first_name="E.")
    report = import_customers(data=ENGLISH.encode(), dry_run=False)
    assert [r.action for r in report.rows] == [RowAction.CREATE, RowAction.UPDATE]
    existing.refresh_from_db()
    assert (existing.external_id, existing.first_name) == ("e-2", "Eino")
    # An empty cell does not clear what the register holds.
    assert existing.phone


def test_dry_run_reports_each_row_and_writes_nothing():
    CustomerFactory(external_id="e-2", first_name="Vanha", last_name="Leino", email="")
    data = ENGLISH + "e-3,Bad,Row,ei-osoite,,,,,,\r\n"
    report = import_customers(data=data.encode(), dry_run=True)
    assert [(r.row, r.action) for r in report.rows] == [
        (2, RowAction.CREATE),
        (3, RowAction.UPDATE),
        (4, RowAction.REJECT),
    ]
    assert report.rows[2].reasons == ["sähköposti: Anna kelvollinen sähköpostiosoite."]
    assert Customer.objects.count() == 1
    assert Customer.objects.get().first_name == "Vanha"


def test_malformed_file_is_rejected_with_row_reasons_and_changes_nothing():
    data = (
        ENGLISH
        + "e-3,Bad,Phone,bad@example.fi,123,,1234,,,1234567-8\r\n"
        + "e-4,Too,Few\r\n"
        + "e-1,Dup,Licate,dup@example.fi,,,,,,\r\n"
    )
    report = import_customers(data=data.encode(), dry_run=False)
    assert not report.written
    assert Customer.objects.count() == 0
    reasons = {r.row: r.reasons for r in report.rejected}
    assert reasons[4] == [
        "puhelin: Puhelinnumero 123 ei ole kelvollinen.",
        "postinumero: Postinumeron 1234 pitää olla viisi numeroa.",
        "Y-tunnus: Y-tunnuksen 1234567-8 tarkistusmerkki ei täsmää.",
    ]
    assert reasons[5] == ["Rivillä on 3 saraketta, otsikkorivillä 10."]
    assert reasons[6] == ["Sama tunniste on jo rivillä 2."]


def test_file_without_identifying_column_is_refused():
    with pytest.raises(ImportFileError, match="sähköpostisaraketta"):
        import_customers(data=b"etunimi;sukunimi\nAino;Virtanen\n", dry_run=True)


def test_broken_quoting_is_refused_with_its_line():
    with pytest.raises(ImportFileError, match="Rivi 2"):
        import_customers(data=b'email;etunimi\n"a@example.fi;Aino\n', dry_run=True)


def test_email_of_another_customer_is_rejected():
    CustomerFactory(external_id="x-9", email="aino@example.fi")
    report = import_customers(data=ENGLISH.encode(), dry_run=False)
    assert report.rejected[0].reasons == ["Sähköpostiosoite on jo toisen asiakkaan käytössä."]
    assert Customer.objects.count() == 1


def test_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "asiakkaat.csv"
    path.write_bytes(EXCEL_FI.encode("cp1252"))
    call_command("import_customers", str(path), "--dry-run", "--no-progress")
    out = capsys.readouterr().out
    assert "Rivi 2 (1001): luodaan" in out
    assert Customer.objects.count() == 0
    call_command("import_customers", str(path), "--no-progress")
    assert Customer.objects.count() == 2


def test_command_fails_with_row_reasons_when_a_row_is_bad(tmp_path, capsys):
    path = tmp_path / "asiakkaat.csv"
    path.write_text(ENGLISH + "e-3,X,Y,ei-osoite,,,,,,\r\n", encoding="utf-8")
    with pytest.raises(CommandError, match="mitään ei tallennettu"):
        call_command("import_customers", str(path), "--no-progress")
    assert "Rivi 4 (e-3): hylätään: sähköposti" in capsys.readouterr().out
    assert Customer.objects.count() == 0


def test_swedish_headers_are_understood():
    data = "Kundnummer;Förnamn;Efternamn;E-post;Telefon;Gatuadress;Postnummer;Postort\n"
    data += "77;Åsa;Öberg;asa@example.fi;050 765 4321;Storgatan 2;65100;Vasa\n"
    report = import_customers(data=data.encode("utf-8"), dry_run=False)
    assert report.ignored_columns == []
    asa = Customer.objects.get(external_id="77")
    assert (asa.first_name, asa.post_office, asa.phone) == ("Åsa", "Vasa", "+358507654321")


def test_every_imported_or_changed_customer_has_an_audit_entry(django_user_model):
    from privacy.models import AuditEntry

    staff = django_user_model.objects.create_user("tuoja", is_staff=True)
    existing = CustomerFactory(email="eino@example.fi", external_id="", first_name="E.")
    import_customers(data=ENGLISH.encode(), dry_run=False, actor=staff)
    entries = {e.customer_id: e for e in AuditEntry.objects.all()}
    aino = Customer.objects.get(external_id="e-1")
    assert set(entries) == {aino.pk, existing.pk}
    assert (entries[aino.pk].action, entries[aino.pk].actor_label) == ("add", "tuoja")
    assert entries[aino.pk].object_label == f"customers.customer:{aino.pk}"
    assert entries[existing.pk].action == "change"
    assert entries[existing.pk].details == {
        "via": "import",
        "fields": ["external_id", "first_name", "last_name"],
    }
    # Re-running the file changes nothing, so it adds no entries either.
    import_customers(data=ENGLISH.encode(), dry_run=False, actor=staff)
    assert AuditEntry.objects.count() == 2


def test_each_update_changes_only_its_own_fields():
    one = CustomerFactory(external_id="a", first_name="Vanha", phone="+358401111111")
    two = CustomerFactory(external_id="b", first_name="Eino", phone="+358402222222")
    data = f"id;etunimi;puhelin\na;Uusi;{one.phone}\nb;Eino;0403333333\n"
    report = import_customers(data=data.encode(), dry_run=False)
    assert [r.action for r in report.rows] == [RowAction.UPDATE, RowAction.UPDATE]
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.first_name, one.phone) == ("Uusi", "+358401111111")
    assert (two.first_name, two.phone) == ("Eino", "+358403333333")


def test_command_shows_progress_on_stderr(tmp_path, capsys):
    path = tmp_path / "asiakkaat.csv"
    path.write_bytes(EXCEL_FI.encode("cp1252"))
    call_command("import_customers", str(path))
    captured = capsys.readouterr()
    assert "Tarkistetaan" in captured.err and "2/2" in captured.err
    assert "Tallennettu." in captured.out
