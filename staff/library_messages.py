"""The messages Django, django-otp and django-axes show staff that their catalogues lack in Finnish.

Marked here (never called) so that makemessages keeps them in locale/, where our translations
override the libraries' own: Django 6.1's admin has no Finnish for its actions button and its
new blank choice, django-otp and django-axes ship no Finnish or Swedish at all. The msgids are the
libraries' English, exactly as they spell them.

Some of Django's Finnish reads wrong with our verbose names, which are nouns in the nominative
("Muokkaa asiakas", "asiakas ”Matti” on lisätty."): ours puts the name after a colon or in
brackets, where the nominative is right ("Muokkaa: asiakas", "Lisätty: asiakas ”Matti”.").
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django's admin: the actions bar and the blank choice of a select (BLANK_CHOICE_LABEL); the
# hidden column headings of the front page's lists, read out by screen readers (app_list.html),
# of which Django's Finnish lacks the last and words the second as an order ("Lisää linkki").
DJANGO = (
    gettext_noop("Run"),
    gettext_noop("- Select an option -"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)

# Django's admin: the change page's title, the messages after a save or a deletion, and the
# delete confirmations (options.py, actions.py, delete_confirmation.html,
# delete_selected_confirmation.html). "Add %s" and "Select %s to change" ("Lisää asiakas",
# "Valitse muokattava asiakas") already take the nominative and keep Django's Finnish.
DJANGO_ADMIN = (
    gettext_noop("Change %s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
        "following related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
        "protected related objects:"
    ),
    # An inline's add link ("Lisää toinen Asiakaspalvelun viesti"): Django capitalises the name
    # (helpers.InlineAdminFormSet), so ours puts it first, where the capital is right.
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following "
        "objects and their related items will be deleted:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
)

# django-otp's form errors (django_otp/forms.py, OTPAuthenticationFormMixin).
OTP = (
    gettext_noop("Please enter your OTP token."),
    gettext_noop("Invalid token. Please make sure you have entered it correctly."),
    gettext_noop("Verification of the token is currently disabled"),
    gettext_noop("Please select a device."),
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, "
        "please try again soon.",
        "Verification temporarily disabled because of %(failure_count)d failed attempts, "
        "please try again soon.",
        "failure_count",
    ),
)

# django-axes: its lockout messages and the names its admin shows (axes/conf.py, models.py,
# admin.py).
AXES = (
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Expires At"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
)
