"""Drive the real window through the main flows and save screenshots (for the README and review).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshots.py [OUT_DIR] [--dark] [--scale 2]

Uses a throw-away data folder. Each shot is the window as drawn on the (virtual) screen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--scale", default="1")
    args = parser.parse_args()
    os.environ["QT_SCALE_FACTOR"] = args.scale
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = ("-dark" if args.dark else "") + (f"-x{args.scale}" if args.scale != "1" else "")

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import theme
    from desktop.main_window import MainWindow
    from desktop.settings import Settings, State
    from desktop.tasks import Tasks
    from kb.paths import DataPaths

    app = QApplication(sys.argv)
    app.setApplicationName("Tactful")
    home = Path(tempfile.mkdtemp()) / "home"
    paths = DataPaths.for_home(home).ensure()
    settings = Settings(paths.settings_file)
    settings.set("appearance/theme", "dark" if args.dark else "light")
    theme.apply(app, settings.get("appearance/theme"), settings.get("appearance/text_size"))
    tasks = Tasks(app)
    window = MainWindow(paths, settings, State(paths.state_file), tasks)
    window.resize(1360, 860)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(name: str) -> None:
        wait(300)
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    window.start()
    for _ in range(100):
        if window.find is not None:
            break
        wait(100)
    wait(800)
    find, composer = window.find, window.composer
    find.field.setText("customer blames me")
    wait(900)
    find.open_article("when-a-customer-blames-you")
    composer.case_ref.setText("CS-20417")
    composer.customer.setText("Dana Whitfield")
    composer.editor.setPlainText(
        "Hi Dana,\n\nThanks for writing. Sorry for any inconvenience. You should have checked the "
        "size guide before ordering, and they won't let me refund opened items.\n\n"
        "Your replacement for order {order_number} will arrive soon.\n\nKind regards,\nSam"
    )
    wait(1500)
    shot("main")
    find.field.setText("apologize")
    wait(900)
    shot("search")

    # A recipe scaffold with its guide beside the reply.
    kb = window.kb
    recipe = kb.recipe("customer-blames-you")
    from kb.compose import scaffold

    composer.editor.clear()
    composer._apply_recipe(recipe, scaffold(recipe, {s.slug: s for s in kb.snippets()},
                                            {"customer_name": "Dana"}))
    wait(1500)
    shot("recipe")

    def dialog_shot(dialog, name: str, width: int = 820, height: int = 560) -> None:
        dialog.resize(width, height)
        dialog.show()
        wait(700)
        dialog.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")
        dialog.close()

    from desktop.composer.fields_dialog import FieldsDialog
    from desktop.composer.snippet_picker import SnippetPicker

    picker = SnippetPicker(kb, tasks, settings, window)
    wait(300)
    picker.search.setText("late")
    dialog_shot(picker, "snippet-picker", 900, 600)
    snippet = next(s for s in kb.snippets() if len(s.fields) >= 2)
    dialog_shot(FieldsDialog(snippet, {"customer_name": "Dana"}, window), "fields", 620, 480)

    settings.set("editor/enabled", True)
    window.show_editor()
    window.editor.resize(1360, 860)
    window.editor.open_article("saying-no-so-it-sounds-like-yes")
    wait(1500)
    window.editor.grab().save(str(out / f"editor{suffix}.png"))
    print(out / f"editor{suffix}.png")
    window.editor.close()
    window.close()
    tasks.shutdown()
    return 0


if __name__ == "__main__":
    from desktop.app import _exit_now

    _exit_now(main())  # see desktop.app._exit_now: PySide6's teardown can abort
