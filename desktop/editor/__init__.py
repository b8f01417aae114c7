"""The editor mode: write, review and publish articles, snippets, team rules and packs.

Open it with ``EditorWindow(kb, tasks, settings, parent)``; it emits ``changes_made`` with
a ``kb.models.Changes`` after every write.
"""

from desktop.editor.window import EditorWindow

__all__ = ["EditorWindow"]
