def rules_register() -> None:
    pass
