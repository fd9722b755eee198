from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Synthetic data for benchmarks and load tests: `generate_history` and `remove_generated_history`.

    A top layer beside the pages: it writes the domain's records, and nothing
    else imports it. It has no models of its own.
    """

    name = "devdata"
