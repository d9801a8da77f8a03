"""文字说明: 年度总体目标 and every narrative section, each beside its draft.

For every section the tab shows the officer's text (what prints), the draft
written from the document's figures (perfdesk.drafts) beside it with 采用 and
重新生成, and which printed forms and documents use the section. Sections are
grouped by the document they belong to. 采用 makes the draft the officer's text
in one undo step (through the session, as any typed edit); nothing generated
is printed unless accepted. The draft is marked as generated (tinted, its
figures in bold, its placeholders in brown italics) and is never edited in place.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
    QTextBrowser, QVBoxLayout, QWidget,
)

from perfdesk import drafts as drafting
from perfdesk.drafts.outline import documents_of, section_uses
from perfdesk.drafts.text import COUNT, GRADE, MONEY, RATE, SCORE, Draft
from perfdesk.model.document import PROJECT_NARRATIVE, UNIT_NARRATIVE, Evaluation, EvaluationKind
from perfdesk.model.layouts import LayoutError, layout_of
from perfdesk.ops import fields
from perfdesk.ui.spreadsheet import FieldBinder, plain_text_edit


def tr(text: str) -> str:
    return QCoreApplication.translate("narrative", text)


DRAFT_STYLE = "QTextBrowser { background: #fffbea; border: 1px solid #e6d9a8; }"
PLACEHOLDER_COLOR = "#8a5a00"
PLACEHOLDER_MARK = "（请"  # a draft's placeholder left in the officer's text


def draft_html(d: Draft) -> str:
    """The draft as HTML: figures in bold, placeholders in brown italics, sub-headings bold."""
    out = []
    for para in d.paragraphs:
        pieces = []
        for s in para:
            if s.heading:
                pieces.append(f"<b>{escape(s.text)}</b>")
            elif s.placeholder:
                pieces.append(f'<i style="color:{PLACEHOLDER_COLOR}">{_bold_figures(s)}</i>')
            else:
                pieces.append(_bold_figures(s))
        out.append(f'<p style="margin:0 0 4px 0">{"".join(pieces)}</p>')
    return "".join(out)


NUMERIC = (MONEY, RATE, SCORE, COUNT, GRADE)


def _bold_figures(s) -> str:
    """The sentence with its figures (amounts, rates, scores, counts, grades) in bold; quotes of the
    officer's own words stay plain."""
    text, pos, out = s.text, 0, []
    for fig in s.figures:
        at = text.find(fig.text, pos)
        if at < 0 or not fig.text or fig.kind not in NUMERIC:
            continue
        out.append(escape(text[pos:at]))
        out.append(f"<b>{escape(fig.text)}</b>")
        pos = at + len(fig.text)
    out.append(escape(text[pos:]))
    return "".join(out)


def section_groups(ev: Evaluation) -> list[tuple[str, list[str]]]:
    """(group title, keys) in order: the form's own texts, then each narrative document, then the rest."""
    keys = list(UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE)
    groups: list[tuple[str, list[str]]] = []
    placed: set[str] = set()
    try:
        layout = layout_of(ev.layout, ev.kind.value)
        form_keys = [k for k in keys if k in layout.narrative]
        if form_keys:
            groups.append((tr("%1（%2）").replace("%1", layout.title).replace("%2", layout.label), form_keys))
            placed.update(form_keys)
    except LayoutError:
        pass
    if ev.kind is EvaluationKind.PROJECT and "summary" in keys:
        groups.append((tr("预算绩效情况说明 · 本项目的自评综述"), ["summary"]))
        placed.add("summary")
    for outline in documents_of(ev.kind):
        own = [k for k in outline.keys if k in keys and k not in placed]
        if own:
            groups.append((tr(outline.title), own))
            placed.update(own)
    rest = [k for k in keys if k not in placed]
    if rest:
        groups.append((tr("其他文字说明（不属于任何表格或报告，填写后单独打印）"), rest))
    return groups


class SectionEditor(QFrame):
    """One section: title, where it prints, the officer's text and the draft beside it."""

    def __init__(self, tab: "NarrativeTab", key: str, title: str):
        super().__init__()
        self.tab, self.key = tab, key
        self.draft: Draft | None = None
        self.setObjectName(f"section:{key}")
        self.setFrameShape(QFrame.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        head = QHBoxLayout()
        self.title_label = QLabel(f"<b>{escape(title)}</b>")
        head.addWidget(self.title_label)
        self.status_label = QLabel()
        self.status_label.setObjectName(f"status:{key}")
        head.addWidget(self.status_label)
        head.addStretch(1)
        self.draftable = drafting.draftable(tab.ev.kind, key)
        self.accept_button = QPushButton(tr("采用草稿"))
        self.accept_button.setObjectName(f"accept:{key}")
        self.accept_button.setToolTip(tr("用右侧草稿（不含括号中的提示）替换左侧文字；可撤销"))
        self.regenerate_button = QPushButton(tr("重新生成"))
        self.regenerate_button.setObjectName(f"regenerate:{key}")
        self.regenerate_button.setToolTip(tr("按文档中当前的数字重新生成草稿"))
        for button in (self.accept_button, self.regenerate_button):
            button.setAutoDefault(False)
            head.addWidget(button)
            if not self.draftable:  # (hidden only once parented: a parentless widget shown is a window)
                button.hide()
        layout.addLayout(head)
        uses = section_uses(tab.ev, key)
        self.uses_label = QLabel(tr("用于：%1").replace("%1", "；".join(uses)))
        self.uses_label.setObjectName(f"uses:{key}")
        self.uses_label.setWordWrap(True)
        self.uses_label.setStyleSheet("color: #555;")
        layout.addWidget(self.uses_label)

        self.splitter = QSplitter(Qt.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(tr("本单位的文字（打印此栏）")))
        self.edit: QPlainTextEdit = plain_text_edit(120)
        self.edit.setMaximumHeight(260)
        self.edit.setObjectName(f"field:narrative.{key}")
        self.edit.installEventFilter(self)
        left_layout.addWidget(self.edit)
        self.splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(tr("草稿（按表中数字生成，采用后才会打印）") if self.draftable
                                      else tr("此栏保存导入或填写的原文，不生成草稿")))
        self.draft_view = QTextBrowser()
        self.draft_view.setObjectName(f"draft:{key}")
        self.draft_view.setOpenLinks(False)
        self.draft_view.setMinimumHeight(120)
        self.draft_view.setMaximumHeight(260)
        self.draft_view.setStyleSheet(DRAFT_STYLE)
        self.draft_view.setFocusPolicy(Qt.ClickFocus)
        right_layout.addWidget(self.draft_view)
        self.splitter.addWidget(right)
        if not self.draftable:
            right.hide()
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter)
        self.accept_button.clicked.connect(lambda: tab.accept(key))
        self.regenerate_button.clicked.connect(lambda: tab.regenerate(key))

    def eventFilter(self, obj, event):
        if obj is self.edit and event.type() == QEvent.FocusIn:
            self.tab.ensureWidgetVisible(self.edit, 20, 60)  # the 审核 jump and Tab bring it into view
        return False

    def set_draft(self, d: Draft | None) -> None:
        self.draft = d
        if d is None:
            self.draft_view.clear()
        else:
            self.draft_view.setHtml(draft_html(d))
        self.update_status()

    def update_status(self) -> None:
        text = self.edit.toPlainText()
        accepted = self.draft.accept_text() if self.draft is not None else ""
        if not text.strip():
            status, color = tr("未填写，不打印"), "#888"
        elif accepted and text.strip() == accepted.strip():
            status, color = tr("已采用草稿"), "#2e7d32"
        elif PLACEHOLDER_MARK in text:
            status, color = tr("文字中仍有待填写的提示"), "#b00020"
        else:
            status, color = tr("已填写"), "#2e7d32"
        self.status_label.setText(f"　{status}")
        self.status_label.setStyleSheet(f"color: {color};")
        self.accept_button.setEnabled(bool(accepted) and text.strip() != accepted.strip())


class NarrativeTab(QScrollArea):
    """The 文字说明 tab of one evaluation (``widgets``: field path -> its edit, for the 审核 jump)."""

    def __init__(self, session, ev: Evaluation, parent=None):
        super().__init__(parent)
        self.session, self.ev = session, ev
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.binders: dict[str, FieldBinder] = {}
        self.widgets: dict[str, QPlainTextEdit] = {}
        self.sections: dict[str, SectionEditor] = {}
        self._stale = True

        goals = QGroupBox(tr("年度总体目标"))
        grid = QGridLayout(goals)
        for col, (path, label) in enumerate((("goals.expected", tr("预期目标")),
                                             ("goals.achieved", tr("实际完成情况")))):
            grid.addWidget(QLabel(label), 0, col)
            edit = plain_text_edit(80)
            edit.setMaximumHeight(140)
            edit.setObjectName(f"field:{path}")
            grid.addWidget(edit, 1, col)
            self._bind(edit, path)
        layout.addWidget(goals)

        hint = QLabel(tr("每一栏左侧是打印的文字；右侧草稿按表中数字生成，只有“采用草稿”或照着修改后才会打印。"
                         "空着的栏目和文件不打印。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        titles = UNIT_NARRATIVE if ev.kind is EvaluationKind.UNIT else PROJECT_NARRATIVE
        for group_title, keys in section_groups(ev):
            box = QGroupBox(group_title)
            box_layout = QVBoxLayout(box)
            for key in keys:
                section = SectionEditor(self, key, _short_title(titles[key]))
                self.sections[key] = section
                self._bind(section.edit, f"narrative.{key}")
                section.edit.textChanged.connect(section.update_status)
                box_layout.addWidget(section)
            layout.addWidget(box)
        layout.addStretch(1)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._regenerate_if_visible)
        session.changesApplied.connect(self._document_changed)

    def _bind(self, edit, path):
        self.widgets[path] = edit
        self.binders[path] = FieldBinder(
            edit, lambda: fields.get_evaluation_field(self.ev, path) or "",
            lambda text: self.session.set_evaluation_field(self.ev, path, text), self.session, self)

    # --- drafts --------------------------------------------------------------------------
    def _document_changed(self, _changes=None) -> None:
        """Any change can move a figure a draft states (the unit's 情况说明 reads every project)."""
        self._stale = True
        self._timer.start(0)

    def _regenerate_if_visible(self) -> None:
        if self.isVisible() and self._stale:
            self.regenerate_all()

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale:
            self.regenerate_all()

    def regenerate_all(self) -> None:
        self._stale = False
        for key, d in drafting.drafts(self.session.doc, self.ev).items():
            section = self.sections.get(key)
            if section is not None:
                section.set_draft(d)

    def regenerate(self, key: str) -> Draft | None:
        """重新生成: the section's draft from the document's figures as they are now."""
        d = drafting.draft(self.session.doc, self.ev, key)
        self.sections[key].set_draft(d)
        return d

    def draft_of(self, key: str) -> Draft | None:
        section = self.sections[key]
        if section.draft is None or self._stale:
            self.regenerate_all()
        return section.draft

    def accept(self, key: str) -> bool:
        """采用: the section's current draft becomes the officer's text, one undo step."""
        binder = self.binders[f"narrative.{key}"]
        binder.commit()  # what was typed and not yet applied is its own undo step first
        d = self.regenerate(key)  # never accept figures older than the document's
        if d is None:
            return False
        text = d.accept_text()
        if not text:
            return False
        changed = self.session.set_evaluation_field(self.ev, f"narrative.{key}", text)
        binder.refresh()
        self.sections[key].update_status()
        return changed

    # --- the editor's protocol ------------------------------------------------------------------
    def refresh(self):
        for binder in self.binders.values():
            binder.refresh()
        for section in self.sections.values():
            section.update_status()

    def commit(self):
        for binder in self.binders.values():
            binder.commit()


def _short_title(title: str) -> str:
    """“自评报告：项目基本情况” → “项目基本情况” (the group says which document)."""
    return title.split("：", 1)[1] if "：" in title and title.startswith(("自评报告", "报告")) else title


__all__ = ["NarrativeTab", "SectionEditor", "draft_html", "section_groups"]
