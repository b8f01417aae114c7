"""The Import and publish page: markdown folders in and out, content packs, and the
shared folder small offices publish to. Long work runs with ``tasks.long`` behind a
progress dialog with Cancel; problems a user can fix are shown as plain messages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kb.errors import KbError

from desktop.editor.common import author, confirm, muted, run_long, show_error
from desktop.editor.report_dialog import ReportDialog

PACK_FILTER = "Tactful packs (*.tactpack *.zip);;All files (*)"
PACK_SUFFIX = ".tactpack"


def describe_pack(info) -> str:  # noqa: ANN001 - kb.packs.PackInfo
    """A few readable lines about a pack, from whatever its manifest says."""
    parts = []
    version = getattr(info, "version", None)
    if version is not None:
        parts.append(f"Version {version}")
    publisher = getattr(info, "publisher", "")
    if publisher:
        parts.append(f"published by {publisher}")
    created = getattr(info, "created", None) or getattr(info, "created_at", None)
    if created:
        parts.append(f"on {str(created).replace('T', ' ')[:16]}")
    lines = [" ".join(parts)] if parts else []
    counts = [f"{n} {label}" for label in ("articles", "snippets", "recipes", "team_rules")
              if isinstance(n := getattr(info, label, None), int)]
    if counts:
        lines.append("Contains " + ", ".join(c.replace("team_rules", "team rules") for c in counts) + ".")
    return "\n".join(lines) or str(info)


class PublishingPage(QWidget):
    changes_made = Signal(object)
    status_message = Signal(str)

    def __init__(self, kb, tasks, settings, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self.report_dialog: ReportDialog | None = None
        self.last_task = None

        def button(text: str, slot, tip: str) -> QPushButton:  # noqa: ANN001
            b = QPushButton(text)
            b.setToolTip(tip)
            b.clicked.connect(lambda _checked=False: slot())
            return b

        self.import_folder_button = button("&Import a markdown folder…", self.import_folder,
                                           "Add or update articles from a folder of .md files")
        self.export_folder_button = button("&Export to a markdown folder…", self.export_folder,
                                           "Write every article as <slug>.md into a folder")
        folders = QGroupBox("Markdown folders")
        row = QHBoxLayout(folders)
        row.addWidget(self.import_folder_button)
        row.addWidget(self.export_folder_button)
        row.addStretch(1)

        self.export_pack_button = button("Export a &pack…", self.export_pack_file,
                                         "Save articles, snippets, recipes and team rules as one file")
        self.import_pack_button = button("Import a p&ack…", self.import_pack_file,
                                         "Check a pack completely, then apply it in one step")
        self.rollback_button = button("&Roll back the last pack import…", self.rollback,
                                      "Put back the content as it was before the last pack import")
        packs = QGroupBox("Content packs")
        pack_layout = QVBoxLayout(packs)
        pack_row = QHBoxLayout()
        pack_row.addWidget(self.export_pack_button)
        pack_row.addWidget(self.import_pack_button)
        pack_row.addWidget(self.rollback_button)
        pack_row.addStretch(1)
        pack_layout.addLayout(pack_row)
        pack_layout.addWidget(muted("A pack is one file with content only. Importing checks everything "
                                    "first; your own drafts and settings are never touched."))

        self.folder = QLineEdit(str(settings.get("sharing/folder")))
        self.folder.setAccessibleName("Shared folder")
        self.folder.setPlaceholderText("A network folder every rep can read, for example S:\\Tactful")
        self.folder.editingFinished.connect(self._folder_edited)
        self.browse_button = button("&Browse…", self.choose_folder, "Choose the shared folder")
        self.publish_button = button("&Publish to shared folder", self.publish,
                                     "Write a new pack into the shared folder (reps pick it up automatically)")
        self.check_button = button("Check &now", self.check_now,
                                   "Look in the shared folder for a newer pack and import it")
        self.sharing_status = muted()
        sharing = QGroupBox("Shared folder")
        share_layout = QVBoxLayout(sharing)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse_button)
        share_layout.addLayout(folder_row)
        action_row = QHBoxLayout()
        action_row.addWidget(self.publish_button)
        action_row.addWidget(self.check_button)
        action_row.addStretch(1)
        share_layout.addLayout(action_row)
        share_layout.addWidget(self.sharing_status)
        share_layout.addWidget(muted("Tactful checks this folder at start and every few minutes. "
                                     "Reps only read from it; publishing writes the pack in one step."))

        layout = QVBoxLayout(self)
        for box in (folders, packs, sharing):
            layout.addWidget(box)
        layout.addStretch(1)
        order = [self.import_folder_button, self.export_folder_button, self.export_pack_button,
                 self.import_pack_button, self.rollback_button, self.folder, self.browse_button,
                 self.publish_button, self.check_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        settings.changed.connect(self._setting_changed)
        self._update_sharing()
        self._apply_policy()

    def _apply_policy(self) -> None:
        """What the organisation's policy fixes is shown as such and cannot be changed here."""
        reason = self.settings.locked_reason("sharing/folder")
        if reason is not None:
            self.folder.setReadOnly(True)
            self.browse_button.setEnabled(False)
            self.folder.setToolTip(f"Locked by your organisation: {reason}")
        policy = self.settings.policy
        if policy is not None and not policy.allow_manual_pack_install:
            self.import_pack_button.setEnabled(False)
            self.import_pack_button.setToolTip(
                f"Turned off by your organisation: {policy.manual_pack_reason} "
                "Packs arrive through the shared folder."
            )

    # -- markdown folders --------------------------------------------------------------

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a markdown folder")
        if not folder:
            return
        kb = self.kb

        def work(progress, cancel):  # noqa: ANN001
            return kb.import_markdown(folder, progress=progress, cancel=cancel)

        self.last_task = run_long(self, self.tasks, work, title="Importing articles", on_done=self._imported)

    def _imported(self, report) -> None:  # noqa: ANN001 - kb.models.ImportReport
        if report.cancelled:
            self.status_message.emit("Import cancelled; nothing was changed.")
            return
        summary = (f"{len(report.created)} new, {len(report.updated)} updated and "
                   f"{len(report.unchanged)} unchanged articles.")
        if report.problems:
            summary += (f" {len(report.problems)} file{'s' if len(report.problems) != 1 else ''} "
                        "could not be imported and {} left out:".format("was" if len(report.problems) == 1 else "were"))
        self._show_report("Import report", summary, [(p.path, p.message) for p in report.problems])
        if report.changes:
            self.changes_made.emit(report.changes)

    def export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export articles to a folder")
        if not folder:
            return
        kb = self.kb

        def work(progress, cancel):  # noqa: ANN001
            return kb.export_markdown(folder, progress=progress, cancel=cancel)

        self.last_task = run_long(self, self.tasks, work, title="Exporting articles",
                                  on_done=lambda report: self._exported(folder, report))

    def _exported(self, folder: str, report) -> None:  # noqa: ANN001
        if report.cancelled:
            self.status_message.emit("Export cancelled; the folder was left as it was.")
            return
        summary = f"{len(report.written)} articles written to {folder}."
        if report.problems:
            self._show_report("Export report", summary, [(p.path, p.message) for p in report.problems])
        else:
            self.status_message.emit(summary)

    def _show_report(self, title: str, summary: str, problems: list[tuple[str, str]]) -> None:
        if self.report_dialog is not None:
            self.report_dialog.close()
        self.report_dialog = ReportDialog(title, summary, problems, self)
        self.report_dialog.open()

    # -- packs -------------------------------------------------------------------------

    def export_pack_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, "Export a content pack", "tactful" + PACK_SUFFIX,
                                                    PACK_FILTER)
        if not path:
            return
        if not Path(path).suffix:
            path += PACK_SUFFIX
        kb, who = self.kb, author()

        def work(progress, cancel):  # noqa: ANN001, ARG001 - writing a pack is atomic, not cancellable
            return kb.export_pack(path, publisher=who, progress=progress)

        self.last_task = run_long(self, self.tasks, work, title="Exporting a pack",
                                  on_done=lambda info: self._pack_exported(path, info))

    def _pack_exported(self, path: str, info) -> None:  # noqa: ANN001
        self.status_message.emit(f"Pack saved to {path}.")
        QMessageBox.information(self, "Pack exported", f"Saved {Path(path).name}.\n\n{describe_pack(info)}")

    def import_pack_file(self) -> None:
        policy = self.settings.policy
        if policy is not None and not policy.allow_manual_pack_install:
            return
        path, _filter = QFileDialog.getOpenFileName(self, "Import a content pack", "", PACK_FILTER)
        if not path:
            return
        self.tasks.read(self.kb.inspect_pack, path, on_done=lambda info: self._confirm_import(path, info),
                        on_error=lambda err: show_error(self, err, "Pack refused"))

    def _confirm_import(self, path: str, info) -> None:  # noqa: ANN001
        older = bool(getattr(info, "older", False) or getattr(info, "is_older", False))
        text = f"Import {Path(path).name}?\n\n{describe_pack(info)}"
        if older:
            text += ("\n\nThis pack is older than the content you have. Importing it replaces newer "
                     "content; you can roll back afterwards.")
        text += "\n\nYour own drafts and settings are kept."
        if confirm(self, "Import a pack", text, "Import"):
            self._import_pack(path, force=older)

    def _import_pack(self, path: str, force: bool = False) -> None:
        kb = self.kb

        def work(progress, cancel):  # noqa: ANN001
            return kb.import_pack(path, force=force, progress=progress, cancel=cancel)

        self.last_task = run_long(self, self.tasks, work, title="Importing a pack",
                                  on_done=self._pack_imported,
                                  on_error=lambda err: self._pack_failed(path, err, force))

    def _pack_failed(self, path: str, error, forced: bool) -> None:  # noqa: ANN001
        from kb.errors import Cancelled

        if isinstance(error, Cancelled):
            self.status_message.emit("Pack import cancelled; nothing was changed.")
            return
        if not forced and "older" in str(error).lower() and isinstance(error, KbError):
            if confirm(self, "Older pack", f"{error}\n\nImport it anyway? You can roll back afterwards.",
                       "Import anyway"):
                self._import_pack(path, force=True)
            return
        show_error(self, error, "Pack refused")

    def _pack_imported(self, summary) -> None:  # noqa: ANN001 - kb.packs.ImportSummary
        changes = getattr(summary, "changes", None)
        message = getattr(summary, "message", None) or "Pack imported."
        self.status_message.emit(str(message))
        QMessageBox.information(self, "Pack imported", f"{message}\n\n{describe_pack(getattr(summary, 'info', summary))}")
        if changes:
            self.changes_made.emit(changes)

    def rollback(self) -> None:
        if not confirm(self, "Roll back", "Put back the content as it was before the last pack import?\n\n"
                       "Your own drafts and settings are not affected.", "Roll back"):
            return
        kb = self.kb
        self.tasks.write(kb.rollback_last_pack, on_done=self._rolled_back,
                         on_error=lambda err: show_error(self, err, "Roll back"))

    def _rolled_back(self, changes) -> None:  # noqa: ANN001
        self.status_message.emit("The last pack import was rolled back.")
        QMessageBox.information(self, "Roll back", "The content is back as it was before the last pack import.")
        if changes:
            self.changes_made.emit(changes)

    # -- shared folder -----------------------------------------------------------------

    def shared_folder(self) -> str:
        return self.folder.text().strip()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the shared folder", self.shared_folder())
        if folder:
            self.folder.setText(folder)
            self._folder_edited()

    def _folder_edited(self) -> None:
        self.settings.set("sharing/folder", self.shared_folder())
        self._update_sharing()

    def _setting_changed(self, name: str) -> None:
        if name == "sharing/folder" and self.folder.text().strip() != self.settings.get("sharing/folder"):
            self.folder.setText(str(self.settings.get("sharing/folder")))
            self._update_sharing()

    def _update_sharing(self) -> None:
        has = bool(self.shared_folder())
        self.publish_button.setEnabled(has)
        self.check_button.setEnabled(has)
        if not has:
            self.sharing_status.setText("No shared folder set: content is only on this computer.")

    def publish(self) -> None:
        folder = self.shared_folder()
        if not folder:
            return
        kb, who = self.kb, author()

        def work(progress, cancel):  # noqa: ANN001, ARG001
            return kb.publish_pack(folder, who, progress=progress)

        self.last_task = run_long(self, self.tasks, work, title="Publishing to the shared folder",
                                  on_done=self._published)

    def _published(self, info) -> None:  # noqa: ANN001
        text = f"Published to the shared folder. {describe_pack(info)}"
        self.sharing_status.setText(text)
        self.status_message.emit("Published to the shared folder.")

    def check_now(self) -> None:
        folder = self.shared_folder()
        if not folder:
            return
        kb = self.kb

        def work(progress, cancel):  # noqa: ANN001
            return kb.check_shared_folder(folder, progress=progress, cancel=cancel)

        self.last_task = run_long(self, self.tasks, work, title="Checking the shared folder",
                                  on_done=self._checked)

    def _checked(self, result) -> None:  # noqa: ANN001 - kb.sharing.SharedFolderResult
        message = getattr(result, "message", None) or str(result)
        self.sharing_status.setText(str(message))
        changes = getattr(result, "changes", None)
        if changes:
            self.changes_made.emit(changes)
