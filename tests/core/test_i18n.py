"""Translations: Chinese by default, English on /lang/en, FAB's catalogues and ours together.

The catalogue tests fail when a string was added without refreshing the catalogues:
run ``scripts/i18n.sh``, translate the new entries in translations/en/LC_MESSAGES/messages.po,
run it again to compile (docs/i18n.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import url_for
from flask_babel import force_locale, gettext

from core.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
REFRESH = "run scripts/i18n.sh (extract → update → compile; see docs/i18n.md)"

# What a user reads on the home page and the parcel list, per language: our strings
# (menu, module list, list title) and FAB's own (the user menu).
CHINESE = {"ours": ["土地管理", "宗地台账", "监督管理"], "fab": ["注销", "用户信息"]}
ENGLISH = {"ours": ["Land management", "Land parcels", "Oversight"], "fab": ["Logout", "Profile"]}


def _catalog(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def _msgids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _pages(app) -> list[str]:
    with app.test_request_context():
        return [url_for("HomeView.index"), url_for("LandParcelView.list")]


def _read(browser, url) -> str:
    response = browser.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return _visible_text(response.get_data(as_text=True))


def _assert_language(browser, shown: dict, hidden: dict) -> None:
    for url in _pages(browser.app):
        text = _read(browser, url)
        for word in shown["ours"] + shown["fab"]:
            assert word in text, f"{word!r} missing on {url}"
        for word in hidden["ours"] + hidden["fab"]:
            assert word not in text, f"{word!r} still shown on {url}"


# --- the running app ---------------------------------------------------------------


def test_chinese_is_the_default(login):
    browser = login("admin")
    _assert_language(browser, CHINESE, ENGLISH)
    assert "土地宗地" in _read(browser, _pages(browser.app)[1])  # the list title


def test_lang_en_switches_our_strings_and_fabs_and_lang_zh_switches_back(login):
    browser = login("admin")
    assert browser.get("/lang/en").status_code == 302
    _assert_language(browser, ENGLISH, CHINESE)
    assert "Land parcel" in _read(browser, _pages(browser.app)[1])  # the list title
    assert browser.get("/lang/zh").status_code == 302
    _assert_language(browser, CHINESE, ENGLISH)


def test_unknown_language_is_refused(login):
    browser = login("admin")
    assert browser.get("/lang/xx").status_code == 404
    _assert_language(browser, CHINESE, ENGLISH)


def test_both_fab_and_project_catalogues_are_loaded(app):
    directories = app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert str(TRANSLATIONS) in directories
    assert any(Path(d).resolve().parent.name == "flask_appbuilder" for d in directories)
    with app.test_request_context():
        with force_locale("zh"):
            assert gettext("Logout") == "注销"  # FAB's zh catalogue
            assert gettext("宗地台账") == "宗地台账"  # ours: the msgid is the Chinese
        with force_locale("en"):
            assert gettext("Logout") == "Logout"
            assert gettext("宗地台账") == "Land parcels"
            assert gettext("机关事务管理部门") == "Government offices administration bureau"


# --- the catalogues ------------------------------------------------------------------


def test_catalogue_is_up_to_date_with_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "i18n.sh"), "--extract-to", str(fresh)],
        env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    in_source, in_catalogue = _msgids(_catalog(fresh)), _msgids(_catalog(POT))
    new, gone = sorted(in_source - in_catalogue), sorted(in_catalogue - in_source)
    assert not new and not gone, (
        f"translations/messages.pot is out of date: {REFRESH}.\n"
        f"  new in the source: {new}\n  no longer in the source: {gone}"
    )


@pytest.mark.parametrize("lang", ["en", "zh", "ug"])
def test_language_catalogue_covers_the_template(lang):
    missing = sorted(_msgids(_catalog(POT)) - _msgids(_catalog(TRANSLATIONS / lang / "LC_MESSAGES" /
                                                                  "messages.po")))
    assert not missing, f"{lang}/messages.po lacks {missing}: {REFRESH}"


def test_every_message_has_an_english_translation():
    catalog = _catalog(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, (
        "translate these in translations/en/LC_MESSAGES/messages.po (and clear any "
        f"'#, fuzzy' flag), then {REFRESH}:\n  " + "\n  ".join(map(str, untranslated))
    )
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not broken, f"placeholders (%(name)s) differ between msgid and msgstr: {broken}"


def test_chinese_catalogue_shows_the_msgid():
    catalog = _catalog(TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po")
    rewritten = [(m.id, m.string) for m in catalog if m.id and m.string and m.string != m.id]
    assert not rewritten, (
        "msgids are the Chinese text; change the Chinese in the source, not in zh/messages.po: "
        f"{rewritten}"
    )


@pytest.mark.parametrize("lang", ["en", "zh", "ug"])
def test_compiled_catalogue_matches_the_po(lang):
    folder = TRANSLATIONS / lang / "LC_MESSAGES"
    assert (folder / "messages.mo").exists(), f"{lang}/messages.mo missing: {REFRESH}"
    with open(folder / "messages.mo", "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    expected = {m.id: m.string for m in _catalog(folder / "messages.po")
                if m.id and m.string and not m.fuzzy}
    assert compiled == expected, f"{lang}/messages.mo is older than messages.po: {REFRESH}"


# --- the generated REST APIs reuse the screens' labels ------------------------------------


def test_api_column_labels_follow_the_language(login):
    browser = login("admin")
    labels = browser.get("/api/v1/land_parcel/?q=(page_size:1)").get_json()["label_columns"]
    assert labels["certificate_no"] == "不动产权证书号"
    browser.get("/lang/en")
    labels = browser.get("/api/v1/land_parcel/?q=(page_size:1)").get_json()["label_columns"]
    assert "不动产权证书号" not in labels.values() and labels["certificate_no"].isascii()
    browser.get("/lang/zh")


def test_api_info_does_not_show_the_catalogue_header(login):
    browser = login("admin")
    for lang in ("zh", "en"):
        browser.get(f"/lang/{lang}")
        info = browser.get("/api/v1/land_parcel/_info").get_data(as_text=True)
        assert "Project-Id-Version" not in info, lang


# --- Uyghur (issue 16 item 4) and the framework catalogues -------------------------------------

FRAMEWORK = TRANSLATIONS / "framework"
ARABIC = re.compile(r"[\u0600-\u06ff]")


def test_every_message_has_a_uyghur_translation():
    catalog = _catalog(TRANSLATIONS / "ug" / "LC_MESSAGES" / "messages.po")
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, (
        "translate these in translations/ug/LC_MESSAGES/messages.po (glossary: docs/i18n.md), "
        f"then {REFRESH}:\n  " + "\n  ".join(map(str, untranslated)))


def test_uyghur_translations_keep_placeholders_and_are_uyghur():
    """What is translated is usable: the msgid's placeholders, Arabic script, no Chinese left."""
    catalog = _catalog(TRANSLATIONS / "ug" / "LC_MESSAGES" / "messages.po")
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not broken, f"placeholders (%(name)s) differ between msgid and msgstr: {broken}"
    han = re.compile(r"[\u4e00-\u9fff]")
    wrong = [m.id for m in catalog if m.id and m.string and (han.search(m.string) or (
        not ARABIC.search(m.string) and re.search(r"[^\W\d_]", re.sub(r"%\(\w+\)s", "", m.id))))]
    assert not wrong, f"ug msgstr with Chinese or without Uyghur letters: {wrong}"


def _fab_zh_translated() -> set[str]:
    import flask_appbuilder

    fab = Path(flask_appbuilder.__file__).parent / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
    return {m.id for m in _catalog(fab) if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


@pytest.mark.parametrize("lang", ["zh", "ug"])
def test_framework_catalogue_is_translated(lang):
    """FAB's English msgids on our pages: every entry of translations/framework/<lang> has a
    translation; the Uyghur one covers every FAB string a Chinese page shows translated (FAB's
    own zh catalogue and ours), since FAB ships no Uyghur."""
    catalog = _catalog(FRAMEWORK / lang / "LC_MESSAGES" / "messages.po")
    empty = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not empty, f"framework/{lang}: no translation for {empty}: {REFRESH}"
    broken = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not broken, f"framework/{lang}: placeholders differ: {broken}"
    if lang == "ug":
        needed = _fab_zh_translated() | _msgids(_catalog(FRAMEWORK / "zh" / "LC_MESSAGES" / "messages.po"))
        missing = sorted(needed - _msgids(catalog))
        assert not missing, f"framework/ug lacks FAB strings Chinese pages translate: {missing}"
    with open(FRAMEWORK / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    assert compiled == {m.id: m.string for m in catalog if m.id}, f"framework/{lang}: {REFRESH}"


def test_uyghur_pages_read_uyghur(login):
    browser = login("admin")
    browser.get("/lang/ug")
    with browser.app.test_request_context(), force_locale("ug"):
        ours = gettext("宗地台账")
        fab = gettext("Logout")
    assert ARABIC.search(ours) and ARABIC.search(fab)
    text = _read(browser, _pages(browser.app)[1])
    assert ours in text and "宗地台账" not in text
    browser.get("/lang/zh")
