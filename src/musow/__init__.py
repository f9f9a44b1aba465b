"""musow — the information system of a peacekeeping mission's Gender Unit."""
