"""Small dialogs shared by the whole app (settings, about)."""
