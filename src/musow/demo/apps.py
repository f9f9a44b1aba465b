from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set and accounts, and the `musow demo` command."""

    name = "musow.demo"

    def serve_notes(self, url: str) -> list[str]:
        """What `musow serve` says when it starts (it asks every app that has this method,
        and imports none): how to sign in with the demo account, while it exists with the
        demo password."""
        from musow.demo.users import demo_login

        login = demo_login(url)
        return [login] if login else []
