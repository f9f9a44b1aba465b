"""The 2014 demo data set: the Gender Unit's year as the seed page tells it.

`musow demo` loads it (see `load.demo_load`); it reproduces the four figures of
"L'Unité Genre en chiffres" exactly, each from its own activities, and loading
it again changes nothing.
"""
