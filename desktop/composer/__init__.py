"""Compose: the reply editor with live phrasing checks, snippets, recipes and drafts.

``ComposerPanel`` (``desktop.composer.panel``) is the widget the main window shows; it is
imported from there (not re-exported here) so the dialogs in this package load without it.
"""
