"""The user screens a bureau's system admin uses: e-mail optional, names in 姓名 order,
role labels instead of role keys, no LDAP/OID or FAB group fields (issue 10, part 5)."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.extensions import db


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _ids(app, org_name: str) -> tuple[int, int]:
    from core.tenancy import Organization

    with app.app_context():
        org = db.session.execute(select(Organization).where(Organization.name == org_name)).scalar_one()
        return org.id, app.appbuilder.sm.find_role("Clerk").id


def _form(app, username: str, **changes) -> dict:
    org, clerk = _ids(app, "喀什市财政局")
    return {"last_name": "张", "first_name": "建国", "username": username, "active": "y",
            "email": "", "roles": [clerk], "organization": org, "password": "Pass-12345-ok",
            "conf_password": "Pass-12345-ok", **changes}


def _user(app, username: str):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        return None if user is None else (user.id, user.email, user.first_name, user.last_name,
                                          user.get_full_name(), repr(user))


def _delete(app, *usernames: str) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        for name in usernames:
            user = sm.find_user(username=name)
            if user is not None:
                db.session.delete(user)
        db.session.commit()


def test_add_form_offers_no_ldap_oid_group_or_english_help(login):
    admin = login("admin")
    html = admin.text("/users/add")
    form = re.search(r"<form\b.*?</form>", html[html.index('id="model_form"') - 200:], re.S)
    text = _visible(form.group(0))
    for label in ("姓", "名", "用户名", "电子邮箱", "角色", "所属单位", "选填，用于接收系统通知"):
        assert label in text, label
    for foreign in ("LDAP", "OID", "OpenID", "Groups", "用户组", "email", "first name"):
        assert foreign not in text, foreign
    # 姓 comes before 名 on the form, as a Chinese name is written
    assert html.index('id="last_name"') < html.index('id="first_name"')


def test_a_user_without_e_mail_is_saved_and_shown_in_name_order(app, login):
    admin = login("admin")
    try:
        response = admin.post("/users/add", data=_form(app, "zhang_jianguo"), follow_redirects=True)
        assert response.status_code == 200
        saved = _user(app, "zhang_jianguo")
        assert saved is not None, admin.flashes(response.get_data(as_text=True))
        pk, email, first, last, full, shown = saved
        assert (email, first, last, full, shown) == (None, "建国", "张", "张建国", "张建国")

        # a second user without an address: NULLs never collide
        admin.post("/users/add", data=_form(app, "wang_fang", last_name="王", first_name="芳"))
        assert _user(app, "wang_fang")[1] is None

        # other tests add users: find ours by name (the list pages at 25 rows)
        listing = _visible(admin.text("/users/list/?_flt_0_username=zhang_jianguo"))
        assert "张建国" in listing and "建国 张" not in listing
        assert "业务经办人" in listing or "经办人" in listing
        assert "[Clerk]" not in listing and "Clerk" not in listing
        show = _visible(admin.text(f"/users/show/{pk}"))
        assert "张建国" in show and "经办人" in show and "Clerk" not in show
        assert "修改者" not in show and "Changed by" not in show
    finally:
        _delete(app, "zhang_jianguo", "wang_fang")


def test_an_e_mail_given_is_kept_and_still_unique(app, login):
    admin = login("admin")
    try:
        admin.post("/users/add", data=_form(app, "li_ming", last_name="李", first_name="明",
                                            email="li.ming@example.gov.cn"))
        assert _user(app, "li_ming")[1] == "li.ming@example.gov.cn"
        response = admin.post("/users/add", data=_form(app, "li_ming2", last_name="李", first_name="明",
                                                       email="li.ming@example.gov.cn"))
        assert _user(app, "li_ming2") is None  # refused, nothing saved
        assert "已经存在" in _visible(response.get_data(as_text=True))
    finally:
        _delete(app, "li_ming", "li_ming2")


def test_a_unit_account_needs_no_surname_and_the_navbar_names_it(app, login):
    admin = login("admin")
    try:
        form = _form(app, "kashgar_office", last_name="", first_name="喀什市财政局账号")
        admin.post("/users/add", data=form)
        saved = _user(app, "kashgar_office")
        assert saved is not None and saved[4] == "喀什市财政局账号"
        from core.testing.support import Browser

        navbar = Browser(app, "kashgar_office", password="Pass-12345-ok").text("/")
        assert "喀什市财政局账号" in _visible(navbar)
    finally:
        _delete(app, "kashgar_office")


def test_a_latin_name_keeps_its_order(app):
    from core.web.security import full_name

    assert full_name("Aynur", "Tursun") == "Aynur Tursun"
    assert full_name("建国", "张") == "张建国"
    assert full_name("系统管理员", "") == "系统管理员"


def test_roles_are_listed_by_label_and_a_role_page_says_what_it_may_do(app, login):
    admin = login("admin")
    listing = _visible(admin.text("/roles/list/"))
    assert "经办人" in listing and "系统管理员" in listing
    assert not re.search(r"\b(Clerk|Admin|Bureau Admin)\b", listing), listing
    with app.app_context():
        clerk = app.appbuilder.sm.find_role("Clerk").id
    html = admin.text(f"/roles/show/{clerk}")
    page = _visible(html)
    assert "本单位" in page  # a clerk's data scope
    table = _visible(re.search(r'<table[^>]*id="role-permissions".*?</table>', html, re.S).group(0))
    row = re.search(r"资产卡片 ([^ ]+)", table)
    assert row and "新增" in row.group(1) and "作废" in row.group(1), page
    assert "审批" not in row.group(1)  # a clerk prepares, an approver decides
    assert "can_" not in page and "^" not in table


def test_every_role_opens_its_own_profile(login):
    for username in ("tianshan_clerk", "urumqi_fin_reviewer"):
        response = login(username).get("/users/userinfo/")
        assert response.status_code == 200, username
        assert username in _visible(response.get_data(as_text=True))
