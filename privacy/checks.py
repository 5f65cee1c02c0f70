"""System checks that keep the declaration complete and enforced (privacy.E001–E007)."""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from privacy import declaration, retention

CUSTOMER_MODEL = "customers.Customer"


def _declarable_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)]


def models_reaching_customer() -> list[type[models.Model]]:
    """Return every model that is Customer or reaches it through foreign keys."""
    reaching = {CUSTOMER_MODEL}
    all_models = apps.get_models()
    changed = True
    while changed:
        changed = False
        for model in all_models:
            label = model._meta.label
            if label in reaching:
                continue
            for f in model._meta.get_fields():
                if (
                    f.is_relation
                    and f.concrete
                    and (f.many_to_one or f.one_to_one or f.many_to_many)
                    and f.related_model is not None
                    and f.related_model._meta.label in reaching
                ):
                    reaching.add(label)
                    changed = True
                    break
    return [m for m in all_models if m._meta.label in reaching]


def _check_path(decl: declaration.ModelDeclaration) -> str | None:
    """Return why the customer path is wrong, or None when it leads to Customer."""
    if not decl.extra["linked"]:
        return None
    model = decl.model
    if not decl.customer_path:
        return None if model._meta.label == CUSTOMER_MODEL else "empty path"
    for part in decl.customer_path.split("__"):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return f"no field {part!r} on {model._meta.label}"
        if not f.is_relation:
            return f"{part!r} is not a relation"
        model = f.related_model
    return None if model._meta.label == CUSTOMER_MODEL else f"ends at {model._meta.label}"


@checks.register("privacy")
def check_declaration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Fail for each undeclared personal-data field or model and each stale declaration."""
    errors: list[checks.CheckMessage] = []
    for model in models_reaching_customer():
        if declaration.get_declaration(model) is None:
            errors.append(
                checks.Error(
                    f"{model._meta.label} reaches Customer through foreign keys but has no "
                    "personal-data declaration.",
                    hint="Declare it with privacy.declaration.declare() in the app's "
                    "personal_data.py.",
                    obj=model,
                    id="privacy.E003",
                )
            )
    for decl in declaration.declarations():
        model = decl.model
        existing = set(_declarable_fields(model))
        personal = set(decl.fields)
        for name in _declarable_fields(model):
            if name not in personal and name not in decl.not_personal:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{name} is not declared: declare it as personal "
                        "data or list it as not personal.",
                        obj=model,
                        id="privacy.E001",
                    )
                )
        for name in sorted((personal | decl.not_personal) - existing):
            errors.append(
                checks.Error(
                    f"The declaration of {model._meta.label} names {name!r}, which is not a "
                    "field of the model.",
                    obj=model,
                    id="privacy.E002",
                )
            )
        for name in sorted(personal & decl.not_personal):
            errors.append(
                checks.Error(
                    f"{model._meta.label}.{name} is declared both personal and not personal.",
                    obj=model,
                    id="privacy.E005",
                )
            )
        problem = _check_path(decl)
        if problem:
            errors.append(
                checks.Error(
                    f"The customer path {decl.customer_path!r} of {model._meta.label} does not "
                    f"lead to Customer ({problem}).",
                    obj=model,
                    id="privacy.E004",
                )
            )
    return errors


@checks.register("privacy")
def check_retention_enforced(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every declared retention rule has a mechanism, and every mechanism a declared rule."""
    declared = {rule.key: rule for rule in declaration.used("retention", everything=True)}
    enforced: dict[str, list[str]] = {}
    for enforcement in retention.enforcements():
        for rule in enforcement.rules:
            enforced.setdefault(rule.key, []).append(enforcement.key)
    errors = [
        checks.Error(
            f"The retention rule {key!r} is declared but nothing enforces it.",
            hint="Register a sweep step or an event enforcement for it (privacy.retention).",
            id="privacy.E006",
        )
        for key in sorted(set(declared) - set(enforced))
    ]
    errors += [
        checks.Error(
            f"{', '.join(enforced[key])} enforces the retention rule {key!r}, which no declared "
            "field uses: the statement would not tell anyone about it.",
            hint="Declare the fields it deletes with this rule, or register it for their rule.",
            id="privacy.E007",
        )
        for key in sorted(set(enforced) - set(declared))
    ]
    return errors
