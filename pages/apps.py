from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages that draw on every domain: the home page and the dashboard.

    The top layer: it reads the chairmanships and the workplan, and nothing
    below imports it.
    """

    name = "pages"
