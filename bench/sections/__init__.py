"""The sections of `manage.py bench`, in the order the report lists them.

Each module has SECTIONS and may have LOAD_TARGETS (see bench.harness). The modules import the
harness, so the harness imports them by name, not at its top.
"""

MODULES = ("portal", "staff", "privacy", "webhooks", "imports")
