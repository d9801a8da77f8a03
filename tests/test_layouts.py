"""The layout registry: one data file per printed form, nothing else names layout ids."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from perfdesk import templates
from perfdesk.model import layouts
from perfdesk.model.document import Document, EvaluationKind
from perfdesk.model.layouts import LayoutError, get_layout, layout_of
from perfdesk.resources import resources_dir


@pytest.fixture
def own_resources(tmp_path, monkeypatch):
    """A copy of resources/ the test may add files to; caches reloaded before and after."""
    folder = tmp_path / "resources"
    for part in ("layouts", "templates"):
        shutil.copytree(resources_dir() / part, folder / part)
    for part in ("fonts", "demo"):  # large: linked, not copied
        (folder / part).symlink_to(resources_dir() / part)
    monkeypatch.setenv("PERFDESK_RESOURCES", str(folder))
    layouts._registry.cache_clear()
    templates._load_all.cache_clear()
    yield folder
    monkeypatch.delenv("PERFDESK_RESOURCES")
    layouts._registry.cache_clear()
    templates._load_all.cache_clear()


def test_every_layout_names_its_source_and_its_functions_exist():
    all_layouts = layouts.layouts()
    assert {layout.kind for layout in all_layouts} == {"unit", "project"}
    for layout in all_layouts:
        assert len(layout.source) > 10, layout.id
        assert callable(layout.print_builder())
        if layout.recogniser is not None:
            assert callable(layout.recognise()) and callable(layout.read())
        templates.load_template(layout.template)  # its template exists


def test_unknown_layout_is_an_error_not_the_mof_form():
    with pytest.raises(LayoutError, match="未知的表样“unit-xinjiang”"):
        layout_of("unit-xinjiang", "unit")
    with pytest.raises(LayoutError, match="不能用于项目支出"):
        layout_of("unit-jiangsu", EvaluationKind.PROJECT)
    assert layout_of("", "project").id == layouts.DEFAULTS["project"]


def test_unit_forms_pair_with_their_project_form():
    # the 投入/过程/产出/效果 framework goes with the 晋中 project form, the others with 财政部's
    assert templates.default_project_template("unit-framework") == "project-jinzhong"
    assert templates.default_project_template("unit-jiangsu") == "project-mof"
    assert templates.default_project_template("unit-mof") == "project-mof"


def test_a_template_naming_an_unknown_layout_fails_to_load_with_a_chinese_message(own_resources):
    path = own_resources / "templates" / "project-mof.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layout"] = "project-nowhere"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(templates.TemplateError, match="project-mof.json.*未知的表样“project-nowhere”"):
        templates.list_templates()


def test_a_layout_file_without_its_source_is_refused(own_resources):
    path = own_resources / "layouts" / "project-mof.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["source"] = " "
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LayoutError, match="没有写明依据"):
        layouts.layouts()


def test_adding_a_layout_is_one_entry_plus_its_builder(own_resources, tmp_path, monkeypatch):
    """A new province's project form: a layout file, a template file and a builder function."""
    import sys
    import types

    calls = []

    def build(doc, ev, layout, signatories):
        from perfdesk.printing.forms_project import mof_project_form

        calls.append(layout.id)
        return mof_project_form(doc, ev, layout, signatories)

    module = types.ModuleType("perfdesk_test_province_forms")
    module.build = build
    monkeypatch.setitem(sys.modules, module.__name__, module)
    entry = json.loads((own_resources / "layouts" / "project-mof.json").read_text(encoding="utf-8"))
    entry.update(id="project-testprov", title="项目支出绩效自评表（测试省）", label="测试省格式",
                 source="测试省财政厅 测试文件", printed_form=f"{module.__name__}:build",
                 recogniser=None, reader=None, template="project-testprov")
    (own_resources / "layouts" / "project-testprov.json").write_text(
        json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    template = json.loads((own_resources / "templates" / "project-mof.json").read_text(encoding="utf-8"))
    template.update(id="project-testprov", name="项目支出绩效自评表（测试省）", layout="project-testprov")
    (own_resources / "templates" / "project-testprov.json").write_text(
        json.dumps(template, ensure_ascii=False), encoding="utf-8")

    ev = templates.new_evaluation("project-testprov", "测试项目")
    assert ev.layout == "project-testprov" and ev.execution.weight == Decimal(10)
    from perfdesk.printing.export import evaluation_form

    doc = Document(year=2024)
    doc.projects.append(ev)
    _orientation, story, title = evaluation_form(doc, ev, {})
    assert calls == ["project-testprov"] and story and title.startswith("项目支出绩效自评表（测试省）")
    assert get_layout("project-testprov").label == "测试省格式"


def test_a_document_with_an_unknown_layout_does_not_open(tmp_path):
    from perfdesk.store import DocumentFileError, open_document, save_document
    from perfdesk.templates import new_document

    doc = new_document("unit-mof", 2023, "某单位")
    path = tmp_path / "a.pdesk"
    save_document(doc, path)
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("UPDATE evaluation SET layout = 'unit-atlantis'")
    conn.commit()
    conn.close()
    with pytest.raises(DocumentFileError, match="不认识的表样"):
        open_document(path)
