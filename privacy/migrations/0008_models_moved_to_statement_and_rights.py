"""The statement's and the requests' models leave the privacy app (state only: no table changes).

Their content types move with them, so the permissions granted to staff groups (which point to
content types) and their ids stay as they were.
"""

from django.db import migrations

MOVED = {
    "statement": ["controller", "statementversion", "statementdraft", "statementrecipient", "statementpdf"],
    "rights": [
        "datasubjectrequest",
        "requestevent",
        "correctionitem",
        "recipientnotification",
        "accesspackage",
        "accesspackagedownload",
        "erasureledger",
    ],
}


def _relabel(apps, schema_editor, source_of, target_of):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for app_label, models in MOVED.items():
        for model in models:
            source, target = source_of(app_label), target_of(app_label)
            if content_type.objects.using(db).filter(app_label=target, model=model).exists():
                continue
            content_type.objects.using(db).filter(app_label=source, model=model).update(
                app_label=target
            )


def move_content_types(apps, schema_editor):
    _relabel(apps, schema_editor, lambda app: "privacy", lambda app: app)


def move_content_types_back(apps, schema_editor):
    _relabel(apps, schema_editor, lambda app: app, lambda app: "privacy")



class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('customers', '0006_statement_version_moved'),
        ('privacy', '0007_audit_lockout'),
        ('rights', '0001_initial'),
        ('statement', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name='accesspackage',
                    name='access_package_expiry_idx',
                ),
                migrations.RemoveField(
                    model_name='accesspackagedownload',
                    name='package',
                ),
                migrations.RemoveField(
                    model_name='accesspackagedownload',
                    name='downloaded_by',
                ),
                migrations.DeleteModel(
                    name='Controller',
                ),
                migrations.RemoveField(
                    model_name='correctionitem',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='correctionitem',
                    name='request',
                ),
                migrations.RemoveIndex(
                    model_name='datasubjectrequest',
                    name='dsr_queue_idx',
                ),
                migrations.RemoveConstraint(
                    model_name='datasubjectrequest',
                    name='dsr_extension_at_most_two_months',
                ),
                migrations.RemoveConstraint(
                    model_name='datasubjectrequest',
                    name='dsr_refusal_has_reason',
                ),
                migrations.RemoveConstraint(
                    model_name='datasubjectrequest',
                    name='dsr_completed_is_verified',
                ),
                migrations.RemoveConstraint(
                    model_name='datasubjectrequest',
                    name='dsr_closed_has_decision_time',
                ),
                migrations.RemoveField(
                    model_name='recipientnotification',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='erasureledger',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='requestevent',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='erasureledger',
                    name='erased_by',
                ),
                migrations.RemoveField(
                    model_name='recipientnotification',
                    name='disclosure',
                ),
                migrations.RemoveField(
                    model_name='recipientnotification',
                    name='notified_by',
                ),
                migrations.RemoveField(
                    model_name='requestevent',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='statementrecipient',
                    name='draft',
                ),
                migrations.RemoveConstraint(
                    model_name='statementpdf',
                    name='privacy_statementpdf_version_language',
                ),
                migrations.RemoveField(
                    model_name='statementversion',
                    name='published_by',
                ),
                migrations.RemoveField(
                    model_name='accesspackage',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='accesspackage',
                    name='customer',
                ),
                migrations.RemoveField(
                    model_name='accesspackage',
                    name='request',
                ),
                migrations.DeleteModel(
                    name='AccessPackageDownload',
                ),
                migrations.DeleteModel(
                    name='CorrectionItem',
                ),
                migrations.RemoveField(
                    model_name='datasubjectrequest',
                    name='customer',
                ),
                migrations.RemoveField(
                    model_name='datasubjectrequest',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='datasubjectrequest',
                    name='verified_by',
                ),
                migrations.DeleteModel(
                    name='ErasureLedger',
                ),
                migrations.DeleteModel(
                    name='RecipientNotification',
                ),
                migrations.DeleteModel(
                    name='RequestEvent',
                ),
                migrations.DeleteModel(
                    name='StatementDraft',
                ),
                migrations.DeleteModel(
                    name='StatementRecipient',
                ),
                migrations.RemoveField(
                    model_name='statementpdf',
                    name='version',
                ),
                migrations.DeleteModel(
                    name='AccessPackage',
                ),
                migrations.DeleteModel(
                    name='DataSubjectRequest',
                ),
                migrations.DeleteModel(
                    name='StatementPdf',
                ),
                migrations.DeleteModel(
                    name='StatementVersion',
                ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=False),
    ]
