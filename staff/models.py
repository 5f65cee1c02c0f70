"""The staff app has no models of its own.

The module exists because Django sends post_migrate only to apps with a models module, and the
staff roles are synced on post_migrate (staff.apps).
"""
