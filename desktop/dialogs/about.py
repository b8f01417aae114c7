"""The About box: version, data folder and the licences of everything that ships."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from kb import __version__, resources


class AboutDialog(QDialog):
    def __init__(self, home: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Tactful")
        self.setAccessibleName("About Tactful")
        header = QLabel(
            f"<h2>Tactful {__version__}</h2>"
            "<p>The playbook and reply composer for difficult customer conversations. "
            "Works entirely offline.</p>"
            f"<p>Data folder: <code>{_escape(str(home))}</code><br>"
            f"Qt {qVersion()} · Python {platform.python_version()}</p>"
        )
        header.setWordWrap(True)
        licences = QTextBrowser()
        licences.setOpenLinks(False)
        licences.setAccessibleName("Licences")
        licences.setMarkdown(resources.read_text("licenses", "third-party.md"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(licences, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
