"""Attachments (docs/attachments.md): a clerk's files on a disposal and an asset card, over REST
with a bearer token and on the record's page; limits checked by content with nothing stored on
refusal; scoped like the record; audited; deleted only while the record is editable; both stores.
On a real SQLite file and on PostgreSQL (the ``app`` fixture's backends)."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from sqlalchemy import func, select

from core.attachments.models import Attachment, AttachmentContent
from core.attachments.service import kinds_of
from core.extensions import db
from core.models import AuditLog
from core.state import get_state
from core.workflow.approval import ApprovalMixin
from plugins.assets.cards.models import Asset
from plugins.assets.plans.models import AssetPlan
from tests.plugins.assets.test_disposal import _decide, make_asset, make_disposal

KASHGAR = "喀什市财政局"


def a_pdf(text="鉴定报告") -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def a_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pdf():
    return a_pdf()


def _upload(client, entity, pk, kind, *files):
    return client.api("POST", f"/api/v1/attachments/{entity}/{pk}/", data={
        "kind": kind, "files": [(io.BytesIO(data), name) for name, data in files]},
        content_type="multipart/form-data")


def _demo_card(app) -> int:
    """A card of the clerk's organisation from the demo."""
    with app.app_context():
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        return db.session.execute(select(Asset.id).where(
            Asset.organization_id == clerk.organization_id).order_by(Asset.id)).scalars().first()


def _submittable(app) -> int:
    """A disposal with a line, of 喀什市财政局 (kashgar_clerk): new cards of 天山区财政局 would
    change the clerk's list that tests/core/test_list_performance.py counts."""
    return make_disposal(app, make_asset(app, owner=KASHGAR), owner=KASHGAR)


def _first_id(response) -> int:
    return response.get_json()["result"][0]["id"]


def _count(app, entity, pk) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Attachment).where(
            Attachment.entity == entity, Attachment.record_id == str(pk))).scalar_one()


def test_a_clerk_attaches_several_files_at_once_and_reads_them_back(app, api_client, pdf):
    disposal_id = make_disposal(app)
    clerk = api_client("tianshan_clerk")
    png = a_png()
    response = _upload(clerk, "disposal", disposal_id, "appraisal",
                       ("鉴定报告.pdf", pdf), ("现场照片.png", png))
    assert response.status_code == 201, response.get_json()
    added = response.get_json()["result"]
    assert [a["filename"] for a in added] == ["鉴定报告.pdf", "现场照片.png"]

    listed = clerk.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/").get_json()
    assert [(a["kind"], a["filename"], a["size"]) for a in listed["result"]] == [
        ("appraisal", "鉴定报告.pdf", len(pdf)), ("appraisal", "现场照片.png", len(png))]
    assert listed["kinds"] == {"appraisal": "鉴定报告", "signed": "签字扫描件"}

    download = clerk.api("GET", f"/api/v1/attachments/{added[0]['id']}/file")
    assert download.status_code == 200 and download.data == pdf
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert ("filename*=UTF-8''%E9%89%B4%E5%AE%9A%E6%8A%A5%E5%91%8A.pdf"
            in download.headers["Content-Disposition"])
    inline = clerk.api("GET", f"/api/v1/attachments/{added[1]['id']}/file?inline=1")
    assert inline.headers["Content-Type"] == "image/png"
    assert inline.headers["Content-Disposition"].startswith("inline;")

    zipped = clerk.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/all.zip")
    archive = zipfile.ZipFile(io.BytesIO(zipped.data))
    assert sorted(archive.namelist()) == ["鉴定报告/现场照片.png", "鉴定报告/鉴定报告.pdf"]
    assert archive.read("鉴定报告/鉴定报告.pdf") == pdf


def test_the_bytes_are_kept_apart_from_the_description(app, api_client, pdf):
    disposal_id = make_disposal(app)
    added = _upload(api_client("tianshan_clerk"), "disposal", disposal_id, "appraisal", ("a.pdf", pdf))
    pk = _first_id(added)
    with app.app_context():
        assert "data" not in Attachment.__table__.c
        assert db.session.get(AttachmentContent, pk).data == pdf
        row = db.session.get(Attachment, pk)
        assert row.storage == "database" and len(row.sha256) == 64 and row.organization_id is not None


@pytest.mark.parametrize(("name", "data", "status", "message"), [
    ("伪装.pdf", b"MZ\x90\x00 this is a program, not a PDF", 415,
     "文件类型不允许：只接受 PDF 文件、PNG 图片、JPEG 图片、Word 文档"),
    ("空.pdf", b"", 422, "文件是空的"),
])
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(app, api_client, pdf, name, data,
                                                                           status, message):
    disposal_id = make_disposal(app)
    # a good file beside the bad one: all of them or none
    response = _upload(api_client("tianshan_clerk"), "disposal", disposal_id, "appraisal",
                       ("好的.pdf", pdf), (name, data))
    assert response.status_code == status
    assert response.get_json()["message"].startswith(f"“{name}”：{message}")
    assert _count(app, "disposal", disposal_id) == 0


def test_a_file_too_big_an_unknown_kind_and_no_file_are_refused_in_chinese(app, api_client, pdf):
    disposal_id = make_disposal(app)
    clerk = api_client("tianshan_clerk")
    app.config["ATTACHMENT_MAX_BYTES"] = len(pdf) - 1
    try:
        response = _upload(clerk, "disposal", disposal_id, "appraisal", ("大.pdf", pdf))
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 10 * 1024 * 1024
    assert response.status_code == 413 and "文件过大" in response.get_json()["message"]
    response = _upload(clerk, "disposal", disposal_id, "invoice", ("发票.pdf", pdf))
    assert response.status_code == 422
    assert response.get_json()["message"] == "请选择附件类别：鉴定报告、签字扫描件"
    response = _upload(clerk, "disposal", disposal_id, "appraisal")
    assert response.status_code == 422 and response.get_json()["message"] == "请选择要上传的文件"
    assert _count(app, "disposal", disposal_id) == 0


def test_a_card_takes_photos_and_a_type_that_declares_none_takes_nothing(app, api_client, login):
    asset_id = _demo_card(app)  # no new card: tests/core/test_list_performance.py counts the clerk's
    clerk = api_client("tianshan_clerk")
    response = _upload(clerk, "asset", asset_id, "photo", ("正面.png", a_png()))
    assert response.status_code == 201
    # a GIF named .png is refused by its content
    response = _upload(clerk, "asset", asset_id, "photo", ("假照片.png", b"GIF89a\x01\x00\x01\x00"))
    assert response.status_code == 415 and "按文件内容判断" in response.get_json()["message"]
    listed = clerk.api("GET", f"/api/v1/attachments/asset/{asset_id}/").get_json()["result"]
    assert [a["filename"] for a in listed] == ["正面.png"]
    page = login("tianshan_clerk").text(f"/assetview/show/{asset_id}")
    assert '<option value="photo">照片</option>' in page and '<option value="invoice">发票</option>' in page
    assert 'class="attachment-thumb"' in page and "正面.png" in page
    # an organisation takes no attachments: there is nothing to list
    assert clerk.api("GET", "/api/v1/attachments/organization/1/").status_code == 404


def test_a_user_who_cannot_see_the_record_cannot_reach_its_attachments(app, api_client, pdf):
    disposal_id = make_disposal(app)
    added = _upload(api_client("tianshan_clerk"), "disposal", disposal_id, "appraisal", ("a.pdf", pdf))
    pk = _first_id(added)
    other = api_client("kashgar_clerk")  # another city's clerk
    assert other.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/").status_code == 404
    assert other.api("GET", f"/api/v1/attachments/{pk}/file").status_code == 404
    assert other.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/all.zip").status_code == 404
    response = _upload(other, "disposal", disposal_id, "appraisal", ("b.pdf", pdf))
    assert response.status_code == 404 and response.get_json()["message"] == "记录不存在或您无权查看"
    assert other.api("DELETE", f"/api/v1/attachments/{pk}").status_code == 404
    # a file's id that is no number: 404 in Chinese, not a redirect to the collection's path
    for url in ("/api/v1/attachments/null/file", "/api/v1/attachments/99999999999999999999/file",
                "/api/v1/attachments/disposal/99999999999999999999/"):
        response = other.api("GET", url)
        assert response.status_code == 404 and response.get_json()["message"].startswith("记录不存在")
    assert _count(app, "disposal", disposal_id) == 1
    # the bureau above sees it (its subtree), and so may read the file
    assert api_client("urumqi_bureau").api("GET", f"/api/v1/attachments/{pk}/file").data == pdf


def test_adding_and_deleting_are_audited(app, api_client, pdf):
    disposal_id = make_disposal(app)
    clerk = api_client("tianshan_clerk")
    pk = _first_id(_upload(clerk, "disposal", disposal_id, "appraisal", ("审计.pdf", pdf)))
    assert clerk.api("DELETE", f"/api/v1/attachments/{pk}").get_json()["message"] == "附件已删除"
    with app.app_context():
        rows = db.session.execute(select(AuditLog).where(
            AuditLog.entity == "core_attachment", AuditLog.entity_id == str(pk)).order_by(AuditLog.id)
        ).scalars().all()
        assert [r.action for r in rows] == ["create", "delete"]
        assert all(r.username == "tianshan_clerk" and r.organization_id is not None for r in rows)
        assert rows[0].after["filename"] == "审计.pdf" and rows[0].after["record_id"] == str(disposal_id)
        assert db.session.get(AttachmentContent, pk) is None
    assert _count(app, "disposal", disposal_id) == 0


def test_once_submitted_nothing_is_deleted_and_only_the_signed_scan_is_added(app, api_client, login, pdf):
    disposal_id = _submittable(app)
    clerk = api_client("kashgar_clerk")
    pk = _first_id(_upload(clerk, "disposal", disposal_id, "appraisal", ("鉴定.pdf", pdf)))
    _decide(login("kashgar_clerk"), disposal_id, "submit")
    response = clerk.api("DELETE", f"/api/v1/attachments/{pk}")
    assert response.status_code == 409
    assert response.get_json()["message"] == "记录已提交或已批准，附件不能删除，只能补充签字扫描件"
    assert _upload(clerk, "disposal", disposal_id, "appraisal", ("补.pdf", pdf)).status_code == 409
    assert _upload(clerk, "disposal", disposal_id, "signed", ("签字.pdf", pdf)).status_code == 201
    assert _count(app, "disposal", disposal_id) == 2
    listed = clerk.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/").get_json()
    assert listed["may_delete"] is False


def test_an_auditor_reads_but_cannot_add(app, api_client, login, pdf):
    disposal_id = make_disposal(app)
    _upload(api_client("tianshan_clerk"), "disposal", disposal_id, "appraisal", ("a.pdf", pdf))
    browser = login(role="Auditor", organization="乌鲁木齐市天山区财政局")
    assert browser.api("GET", f"/api/v1/attachments/disposal/{disposal_id}/").status_code == 200
    response = browser.api("POST", f"/api/v1/attachments/disposal/{disposal_id}/", data={
        "kind": "appraisal", "files": [(io.BytesIO(pdf), "b.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 403 and response.get_json()["message"] == "您无权为此记录添加附件"
    assert _count(app, "disposal", disposal_id) == 1


def test_the_record_page_lists_uploads_previews_and_deletes(app, login, pdf):
    disposal_id = _submittable(app)
    clerk = login("kashgar_clerk")
    page = clerk.text(f"/disposalview/show/{disposal_id}")
    assert 'id="attachments"' in page and "暂无附件" in page and "把文件拖到这里" in page
    assert 'type="file" name="files"' in page and "multiple" in page
    html = clerk.post(f"/attachments/disposal/{disposal_id}/upload", data={
        "kind": "appraisal", "files": [(io.BytesIO(pdf), "鉴定报告.pdf"), (io.BytesIO(a_png()), "照片.png")]},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "已上传 2 个附件" in html and "鉴定报告.pdf" in html and "下载全部附件" in html
    with app.app_context():
        pk = db.session.execute(select(Attachment.id).where(
            Attachment.record_id == str(disposal_id), Attachment.filename == "鉴定报告.pdf")).scalar_one()
    preview = clerk.get(f"/attachments/{pk}/preview")
    assert preview.headers["Content-Type"] == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline;")
    assert "object-src 'self'" in preview.headers["Content-Security-Policy"]
    html = clerk.post(f"/attachments/{pk}/delete", follow_redirects=True).get_data(as_text=True)
    assert "已删除附件“鉴定报告.pdf”" in html
    # a bad file on the form: the message, nothing stored
    html = clerk.post(f"/attachments/disposal/{disposal_id}/upload", data={
        "kind": "appraisal", "files": [(io.BytesIO(b"plain text"), "说明.pdf")]},
        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "“说明.pdf”：文件类型不允许" in html
    assert _count(app, "disposal", disposal_id) == 1
    _decide(clerk, disposal_id, "submit")
    page = clerk.text(f"/disposalview/show/{disposal_id}")
    panel = page.split('id="attachments"')[1].split('id="workflow"')[0]
    assert "照片.png" in panel and ">删除</button>" not in panel
    assert '<option value="signed">签字扫描件</option>' in page and '<option value="appraisal">' not in page


def test_the_filesystem_store_keeps_files_under_the_folder(app, api_client, pdf, tmp_path):
    disposal_id = make_disposal(app)
    clerk = api_client("tianshan_clerk")
    app.config.update(ATTACHMENT_STORAGE="files", ATTACHMENT_DIR=str(tmp_path))
    try:
        pk = _first_id(_upload(clerk, "disposal", disposal_id, "appraisal", ("文件.pdf", pdf)))
        with app.app_context():
            row = db.session.get(Attachment, pk)
            assert row.storage == "files" and db.session.get(AttachmentContent, pk) is None
            path = tmp_path / row.sha256[:2] / row.sha256
        assert path.read_bytes() == pdf
        assert clerk.api("GET", f"/api/v1/attachments/{pk}/file").data == pdf
        assert clerk.api("DELETE", f"/api/v1/attachments/{pk}").status_code == 200
        assert not path.exists()
    finally:
        app.config.update(ATTACHMENT_STORAGE="database", ATTACHMENT_DIR=None)



def test_every_approval_type_takes_a_signed_scan(app, api_client, pdf):
    with app.app_context():
        approval = {e.key: dict(kinds_of(e).kinds) for e in get_state().entities
                    if issubclass(e.model, ApprovalMixin)}
        clerk = app.appbuilder.sm.find_user(username="tianshan_clerk")
        plan_id = db.session.execute(select(AssetPlan.id).where(
            AssetPlan.organization_id == clerk.organization_id)).scalars().first()
    assert {"disposal", "asset_plan", "asset_stocktake", "pool_request"} <= set(approval)
    assert all(kinds.get("signed") == "签字扫描件" for kinds in approval.values())
    assert plan_id is not None
    response = _upload(api_client("tianshan_clerk"), "asset_plan", plan_id, "signed", ("签字页.pdf", pdf))
    assert response.status_code == 201, response.get_json()
    assert _upload(api_client("tianshan_clerk"), "asset_plan", plan_id, "appraisal",
                   ("鉴定.pdf", pdf)).get_json()["message"] == "请选择附件类别：签字扫描件"
