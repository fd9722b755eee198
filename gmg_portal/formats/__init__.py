"""Date formats where the portal departs from Django's locale defaults (settings.FORMAT_MODULE_PATH)."""
