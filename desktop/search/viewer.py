"""The article view: sanitised HTML in a locked-down QTextBrowser, plus the article's snippets.

QTextBrowser follows links and loads ``file:`` resources by itself unless told not to
(DESIGN.md, "Viewer"). Here it never navigates on its own (``setOpenLinks(False)``), never
loads a resource (``loadResource`` answers nothing), and every click goes through one
allow-list:

* ``tactful://article/<slug>`` navigates in place (``article_link_clicked``);
* ``#anchor`` scrolls within the article;
* web and mail links are never opened — there is no network — the address is copied to
  the clipboard and a short notice says so;
* anything else is ignored.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import theme

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from kb.models import Article, Snippet

DOCUMENT_CSS = """
h1 {{ font-size: x-large; font-weight: 600; margin-top: 0; margin-bottom: 2px; }}
h2 {{ font-size: large; font-weight: 600; margin-top: 18px; margin-bottom: 6px; }}
h3 {{ font-size: medium; font-weight: 600; margin-top: 14px; margin-bottom: 4px; }}
p, li {{ line-height: 135%; }}
blockquote {{ color: {muted}; margin-left: 14px; margin-right: 8px; }}
code, pre {{ font-family: monospace; }}
a {{ color: {accent}; }}
.meta {{ color: {muted}; }}
.dead-link {{ color: {muted}; }}
.image-placeholder {{ color: {muted}; font-style: italic; }}
"""

PLACEHOLDER_HTML = (
    "<p class='meta'>Choose an article from the list to read it here. "
    "Search above, or browse the whole playbook.</p>"
)


class ArticleBrowser(QTextBrowser):
    """A QTextBrowser that never follows links or loads anything on its own."""

    back_requested = Signal()
    forward_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.document().setDocumentMargin(14)

    def loadResource(self, type: int, name: QUrl) -> None:  # noqa: A002, N802 - Qt API
        return None  # no images, style sheets or files: not from disk, not from anywhere

    # Alt+Left/Right and the mouse's back/forward buttons land here.
    def backward(self) -> None:
        self.back_requested.emit()

    def forward(self) -> None:
        self.forward_requested.emit()

    def home(self) -> None:
        pass

    def reload(self) -> None:
        pass


class SnippetCard(QFrame):
    insert_requested = Signal(str)

    def __init__(self, snippet: Snippet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slug = snippet.slug
        self.setObjectName("snippetCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(snippet.title)
        title.setProperty("role", "heading")
        title.setWordWrap(True)
        text = QLabel(snippet.text)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setProperty("role", "muted")
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.insert_button = QPushButton("Insert")
        self.insert_button.setAccessibleName(f"Insert snippet: {snippet.title}")
        self.insert_button.setToolTip("Put this snippet into the reply you are writing")
        self.insert_button.clicked.connect(lambda: self.insert_requested.emit(self.slug))
        column = QVBoxLayout()
        column.setSpacing(2)
        column.addWidget(title)
        column.addWidget(text)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 8, 10, 8)
        row.addLayout(column, 1)
        row.addWidget(self.insert_button, 0, Qt.AlignmentFlag.AlignTop)


class SnippetList(QWidget):
    """ "Snippets for this article": one card per snippet, each with an Insert button."""

    insert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel("Snippets for this article")
        self.heading.setProperty("role", "heading")
        self.cards: list[SnippetCard] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 6, 2, 6)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.heading)
        self._layout.addStretch(1)

    def set_snippets(self, snippets: Sequence[Snippet]) -> None:
        for card in self.cards:
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for number, snippet in enumerate(snippets):
            card = SnippetCard(snippet, self)
            card.insert_requested.connect(self.insert_requested)
            self._layout.insertWidget(1 + number, card)
            self.cards.append(card)

    def slugs(self) -> list[str]:
        return [card.slug for card in self.cards]


class ArticleView(QWidget):
    """Navigation bar, the article and its snippets."""

    article_link_clicked = Signal(str, str)  # slug, fragment
    insert_snippet_requested = Signal(str)
    back_requested = Signal()
    forward_requested = Signal()
    zoom_in_requested = Signal()
    zoom_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slug: str | None = None
        self._html = ""
        self.back_button = self._tool_button("‹ Back", "Back to the previous article (Alt+Left)",
                                             self.back_requested)
        self.forward_button = self._tool_button("Forward ›", "Forward again (Alt+Right)",
                                                self.forward_requested)
        self.zoom_out_button = self._tool_button("A−", "Smaller text (Ctrl+−)", self.zoom_out_requested)
        self.zoom_out_button.setAccessibleName("Smaller text")
        self.zoom_in_button = self._tool_button("A+", "Larger text (Ctrl++)", self.zoom_in_requested)
        self.zoom_in_button.setAccessibleName("Larger text")
        self.set_history_state(False, False)

        # Containers join their parent before they are filled: under the app style sheet a
        # finished subtree added to a splitter is polished once more for every level it moves.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        layout.addLayout(bar)
        bar.addWidget(self.back_button)
        bar.addWidget(self.forward_button)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)

        self.notice = QLabel()
        self.notice.setObjectName("linkNotice")
        self.notice.setWordWrap(True)
        self.notice.setProperty("role", "muted")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setAccessibleName("Link notice")
        self.notice.hide()
        layout.addWidget(self.notice)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.browser = ArticleBrowser()
        self.browser.setAccessibleName("Article")
        self.browser.anchorClicked.connect(self._anchor_clicked)
        self.browser.highlighted.connect(self._link_hovered)
        self.browser.back_requested.connect(self.back_requested)
        self.browser.forward_requested.connect(self.forward_requested)
        self.splitter.addWidget(self.browser)

        self.snippet_scroll = QScrollArea()
        self.snippet_scroll.setWidgetResizable(True)
        self.snippet_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.snippet_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.snippet_scroll.setAccessibleName("Snippets for this article")
        self.splitter.addWidget(self.snippet_scroll)
        self.snippet_scroll.hide()
        self.snippets = SnippetList()
        self.snippets.insert_requested.connect(self.insert_snippet_requested)
        self.snippet_scroll.setWidget(self.snippets)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.show_placeholder()

    def _tool_button(self, text: str, tip: str, signal) -> QToolButton:  # noqa: ANN001 - SignalInstance
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.strip("‹› "))
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda: signal.emit())
        return button

    # -- content ------------------------------------------------------------------------

    def _set_html(self, page_html: str) -> None:
        colours = theme.current()
        self.browser.document().setDefaultStyleSheet(
            DOCUMENT_CSS.format(muted=colours.muted, accent=colours.accent)
        )
        self._html = page_html
        self.browser.setHtml(page_html)

    def restyle(self) -> None:
        """The theme changed (``MainWindow`` calls this): redraw the page in its colours."""
        if self._html:
            scroll = self.scroll_position()
            self._set_html(self._html)
            self.browser.verticalScrollBar().setValue(scroll)

    def show_placeholder(self) -> None:
        self.slug = None
        self._set_html(PLACEHOLDER_HTML)
        self.snippets.set_snippets([])
        self.snippet_scroll.hide()

    def show_message(self, message: str) -> None:
        self.slug = None
        self._set_html(f"<p class='meta'>{html.escape(message)}</p>")
        self.snippets.set_snippets([])
        self.snippet_scroll.hide()

    def show_article(self, article: Article, body_html: str, snippets: Sequence[Snippet],
                     *, scroll: int = 0, fragment: str = "") -> None:
        """Show an article; ``body_html`` must already be sanitised (``kb.render``)."""
        self.slug = article.slug
        self.hide_notice()
        self._set_html(_article_html(article, body_html))
        had_snippets = self.snippet_scroll.isVisible()
        self.snippets.set_snippets(snippets)
        self.snippet_scroll.setVisible(bool(snippets))
        if snippets and not had_snippets:
            self._size_snippet_area()
        if fragment:
            self.browser.scrollToAnchor(fragment)
        else:
            self.browser.verticalScrollBar().setValue(scroll)

    def _size_snippet_area(self) -> None:
        """Room for the snippets (up to 40% of the pane), so the first card is never cut off."""
        total = sum(self.splitter.sizes()) or self.splitter.height()
        if total <= 0:
            return
        self.snippets.adjustSize()
        wanted = self.snippets.sizeHint().height() + 2 * self.snippet_scroll.frameWidth()
        first = self.snippets.cards[0].sizeHint().height() + self.snippets.heading.sizeHint().height() + 16
        height = max(min(wanted, int(total * 0.4)), min(first, int(total * 0.45)))
        self.splitter.setSizes([total - height, height])

    def scroll_position(self) -> int:
        return self.browser.verticalScrollBar().value()

    def set_history_state(self, can_back: bool, can_forward: bool) -> None:
        self.back_button.setEnabled(can_back)
        self.forward_button.setEnabled(can_forward)

    # -- links --------------------------------------------------------------------------

    def _anchor_clicked(self, url: QUrl) -> None:
        # kb.models and kb.render load with the knowledge base, after the window is up.
        from kb.models import is_valid_slug
        from kb.render import is_external_url, slug_from_url

        text = url.toString()
        if text.startswith("#"):
            self.browser.scrollToAnchor(url.fragment())
            return
        slug = slug_from_url(text)
        if slug is not None:
            if is_valid_slug(slug):
                self.article_link_clicked.emit(slug, url.fragment())
            return
        if is_external_url(text):
            self._outside_link(text)
        # Anything else (file:, javascript:, relative paths, ...) is not followed.

    def _outside_link(self, address: str) -> None:
        QGuiApplication.clipboard().setText(address)
        self.notice.setText(
            f"That link goes outside Tactful ({address}). It has not been opened; "
            "the address is copied to the clipboard if you need it elsewhere."
        )
        self.notice.show()

    def hide_notice(self) -> None:
        self.notice.hide()
        self.notice.clear()

    def _link_hovered(self, url: QUrl) -> None:
        from kb.render import is_external_url, slug_from_url

        text = url.toString()
        if not text:
            self.browser.setToolTip("")
        elif is_external_url(text):
            self.browser.setToolTip(f"Outside link, not opened here: {text}")
        elif slug_from_url(text):
            self.browser.setToolTip("Open this article")
        else:
            self.browser.setToolTip("")


def _article_html(article: Article, body_html: str) -> str:
    meta = []
    if article.status != "vetted":
        meta.append(f"<b>{html.escape(article.status.replace('-', ' ').capitalize())}</b>, not vetted yet")
    if article.tags:
        meta.append(" · ".join(html.escape(t) for t in article.tags))
    if article.reviewed:
        meta.append(f"reviewed {html.escape(article.reviewed)}")
    meta_html = f"<p class='meta'>{' — '.join(meta)}</p>" if meta else ""
    return f"<h1>{html.escape(article.title)}</h1>{meta_html}{body_html}"
