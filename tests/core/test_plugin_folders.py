"""The folders next to a plugin's ``plugin.py`` the core finds: templates and translations."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import force_locale, gettext

from core.config import PROJECT_ROOT
from tests.conftest import make_app

PLUGIN = '''
from core.api import Module, hookimpl


@hookimpl
def register_module():
    return Module(key="glossary", label="术语", depends=("catalog",))
'''


def _package(root, translations: dict[str, str]):
    package = root / "jiguan_glossary_fixture"
    (package / "templates" / "glossary").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(PLUGIN)
    (package / "templates" / "glossary" / "hello.html").write_text("{{ _('术语表') }}")
    folder = package / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalog = Catalog(locale="en")
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    with open(folder / "messages.mo", "wb") as f:
        write_mo(f, catalog)
    return package


def test_a_plugins_translations_are_found_and_never_reword_the_core(tmp_path, monkeypatch):
    # its own string, and one the core translates too ("宗地台账" is "Land parcels" in ours)
    package = _package(tmp_path / "site", {"术语表": "Glossary", "宗地台账": "Plots (the plugin's word)"})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    app = make_app(f"sqlite:///{tmp_path / 'x.db'}", EXTRA_PLUGINS=["jiguan_glossary_fixture.plugin"])
    folders = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    ours = str(PROJECT_ROOT / "translations")
    mine = str((package / "translations").resolve())
    assert mine in folders and folders.index(mine) < folders.index(ours)
    with app.test_request_context():
        with force_locale("en"):
            assert gettext("术语表") == "Glossary"
            assert gettext("宗地台账") == "Land parcels"  # the core's wording wins
            assert app.jinja_env.get_template("glossary/hello.html").render() == "Glossary"
        with force_locale("zh"):
            assert gettext("术语表") == "术语表"


def test_without_a_translations_folder_nothing_changes(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'x.db'}")
    folders = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert folders[-1] == str(PROJECT_ROOT / "translations") and len(folders) == 3  # FAB's, framework, ours
