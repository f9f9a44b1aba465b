from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "musow.operations"
