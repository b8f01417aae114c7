"""Bundled data files for Tactful (installed as the package ``tactful_resources``).

Read them through ``kb.resources``, never by building paths by hand.
"""
