"""The Office.js add-in: xlwings Server serving aexl, through FastAPI's TestClient."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

if importlib.util.find_spec("xlwings_server") is None:  # importing it would read its settings
    pytest.skip("xlwings-server is not installed", allow_module_level=True)
sys.path.insert(0, str(Path(__file__).parent))

from excel_payload import ensure_remote_engine  # noqa: E402

xw = ensure_remote_engine()  # xlwings' remote engine, noncommercial licence
import aexl_udfs  # noqa: E402
from excel_payload import book_payload, function_call  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from aexl.excel import ribbon, server, xlwings_fixes  # noqa: E402

OFFICE_NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "v": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@pytest.fixture(scope="module")
def client(server_app):
    app, _asgi = server_app
    with TestClient(app) as c:
        yield c


def call(client, func_name, *args):
    response = client.post("/xlwings/custom-functions-call", json=function_call(func_name, *args))
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_manifest_is_well_formed_with_tab_and_every_button(client):
    response = client.get("/manifest.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find("o:Id", OFFICE_NS).text == server.MANIFEST_ID
    strings = {
        s.get("id"): s.get("DefaultValue")
        for s in root.iterfind(".//bt:ShortStrings/bt:String", OFFICE_NS)
    }
    tips = {
        s.get("id"): s.get("DefaultValue")
        for s in root.iterfind(".//bt:LongStrings/bt:String", OFFICE_NS)
    }
    (tab,) = root.findall(".//v:CustomTab", OFFICE_NS)
    assert strings[tab.find("v:Label", OFFICE_NS).get("resid")] == "AE工作台"
    groups = {}
    for group in tab.findall("v:Group", OFFICE_NS):
        label = strings[group.find("v:Label", OFFICE_NS).get("resid")]
        groups[label] = []
        for control in group.findall("v:Control", OFFICE_NS):
            assert control.get(XSI_TYPE) == "Button"
            action = control.find("v:Action", OFFICE_NS)
            assert action.get(XSI_TYPE) == "ExecuteFunction"
            function = action.find("v:FunctionName", OFFICE_NS).text
            assert tips[control.find("v:Supertip/v:Description", OFFICE_NS).get("resid")]
            groups[label].append(
                (strings[control.find("v:Label", OFFICE_NS).get("resid")], function)
            )
    assert {k: [label for label, _f in v] for k, v in groups.items()} == {
        "工作单": ["新建工作号", "新建修改单", "校验工作单", "打印工作单", "签核", "工作进度表"],
        "质检": ["文案合规检查"],
        "报告": ["待办", "生成周报", "投放列表", "效果图表", "月度总结"],
        "工具": ["诊断"],
    }
    functions = [f for buttons in groups.values() for _label, f in buttons]
    assert len(set(functions)) == 13
    js = client.get("/static/js/ribbon.js").text
    for handler in ribbon.HANDLERS:
        assert f'Office.actions.associate("{server.function_name(handler)}"' in js
        assert f'aexlRunScript(event, "{handler}")' in js


def test_scripts_are_the_ribbon_handlers(client):
    meta = client.get("/xlwings/custom-scripts-meta.json").json()
    names = {m["function_name"] if "function_name" in m else m.get("name") for m in meta}
    assert set(ribbon.HANDLERS) <= names or len(meta) == 13


def test_custom_functions_meta_lists_the_ae_functions(client):
    meta = client.get("/xlwings/custom-functions-meta.json").json()
    functions = {f["name"]: f for f in meta["functions"]}
    assert set(functions) == set(aexl_udfs.__all__)  # the seven of PRODUCT.md §4
    code = functions["AE_CODE"]
    assert "拼音" in code["description"]
    assert code["parameters"][0]["dimensionality"] == "matrix"
    assert code["result"]["dimensionality"] == "matrix"
    assert "美的" in code["parameters"][0]["description"]
    js = client.get("/xlwings/custom-functions-code.js").text
    assert 'CustomFunctions.associate("AE_CODE"' in js


def test_ae_code_on_a_10000_row_range(client):
    names = ["美的", "长虹", "重庆啤酒", None, "招商银行"]
    column = [[names[i % len(names)] or ""] for i in range(10_000)]
    result = call(client, "AE_CODE", column)
    expected = {"美的": "MD", "长虹": "CH", "重庆啤酒": "CQPJ", "": "", "招商银行": "ZSYH"}
    assert len(result) == 10_000
    assert all(row == [expected[col[0]]] for row, col in zip(result, column, strict=True))


def test_functions_with_dates_and_errors(client):
    serial = (dt.datetime(2026, 11, 26, 14, 30) - dt.datetime(1899, 12, 30)).total_seconds() / 86400
    assert call(client, "AE_JOBNO", [["美的"]], [["空调"]], [[serial]], [[1]]) == [["MDKT2026001"]]
    deadline = call(client, "AE_DEADLINE", [[serial]], [["纪要"]])
    (cell,) = deadline[0]
    next_day = (
        dt.datetime(2026, 11, 27, 14, 30) - dt.datetime(1899, 12, 30)
    ).total_seconds() / 86400
    value = cell["basicValue"] if isinstance(cell, dict) else cell
    assert value == pytest.approx(next_day)
    assert call(client, "AE_WORKDAYS", [["2026-10-01"]], [["2026-10-31"]]) == [[18]]
    bad = call(client, "AE_WORKDAYS", [["不是日期"]], [["2026-10-31"]])
    assert bad[0][0].startswith("错误：无法识别日期")


def test_optional_brand_and_holiday_tables(client):
    meta = {
        f["name"]: f for f in client.get("/xlwings/custom-functions-meta.json").json()["functions"]
    }
    for name, last in [
        ("AE_JOBNO", "brands"),
        ("AE_NEXTJOBNO", "brands"),
        ("AE_JOBNO_CHECK", "brands"),
        ("AE_DEADLINE", "holidays"),
        ("AE_WORKDAYS", "holidays"),
    ]:
        param = meta[name]["parameters"][-1]
        assert param["name"] == last and param.get("optional") is True, param
    brands = [
        ["客户", "品牌", "品牌代码", "产品线", "产品线代码", "备注"],
        ["云帆电器", "云帆", "", "空调", "", ""],  # Office.js sends empty cells as ""
        ["云帆电器", "悦峰", "YUF", "空调", "", ""],
    ]
    day = (dt.datetime(2026, 3, 1) - dt.datetime(1899, 12, 30)).days
    issued = [["YUFKT2026001"], ["YFKT2026001"]]
    assert call(client, "AE_NEXTJOBNO", [["悦峰"]], [["空调"]], [[day]], issued, brands) == [
        ["YUFKT2026002"]
    ]
    assert call(client, "AE_NEXTJOBNO", [["悦峰"]], [["空调"]], [[day]], issued) == [
        ["YFKT2026002"]
    ]
    # dates in a range arrive as serial numbers
    serial = lambda *ymd: (dt.datetime(*ymd) - dt.datetime(1899, 12, 30)).days  # noqa: E731
    holidays = [["日期", "类型", "说明"], [serial(2099, 6, 3), "放假", ""]]
    week = [[serial(2099, 6, 1)]], [[serial(2099, 6, 5)]]
    assert call(client, "AE_WORKDAYS", *week, holidays) == [[4]]


def _jobs_payload(tmp_path):
    from test_ribbon import _job, workbench

    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job(None, "美的", "空调", "双十一", dt.datetime(2026, 11, 2)),
    ]
    path = workbench(tmp_path / "AE工作台.xlsx", jobs=jobs)
    return book_payload(load_workbook(path), name=path.name, active_sheet="工作单", selection="D3")


def test_script_new_job_number_returns_set_values(client, tmp_path):
    response = client.post(
        "/xlwings/custom-scripts-call/new_job_number", json=_jobs_payload(tmp_path)
    )
    assert response.status_code == 200, response.text
    actions = response.json()["actions"]
    (write,) = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 1]
    assert write["values"] == [["MDKT2026002"]]
    assert (write["sheet_position"], write["start_row"], write["start_column"]) == (1, 2, 0)
    assert any(a["func"] == "alert" and "MDKT2026002" in a["args"][0] for a in actions)


def test_speed_fix_is_in_place_and_version_pinned(client, monkeypatch):
    from xlwings import utils
    from xlwings.conversion import standard

    assert xw.__version__ in xlwings_fixes.PATCHED_VERSIONS
    assert utils.is_jsnull is xlwings_fixes._not_jsnull
    assert standard.is_jsnull(None) is False
    monkeypatch.setattr(xlwings_fixes, "_applied", False)
    monkeypatch.setattr(xw, "__version__", "9.9.9")
    assert xlwings_fixes.apply() is False


def test_missing_licence_is_a_chinese_error(monkeypatch):
    from aexl.errors import AexlError

    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    with pytest.raises(AexlError, match="许可证"):
        server.ensure_licence()


# --- issue 11: error values, path traversal, body limit, event loop, .env, https ----------


def test_error_cells_come_back_as_excel_errors(client):
    na = {"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}
    out = call(client, "AE_CODE", [["美的"], [na], [""]])
    assert out[0] == ["MD"] and out[2] == [""]
    assert out[1][0] == {"type": "Error", "errorType": "NotAvailable"}
    out = call(client, "AE_COPYCHECK", [[na], ["第一"]])
    assert out[0][0] == {"type": "Error", "errorType": "NotAvailable"}


@pytest.fixture(scope="module")
def live_server(client, server_app):
    """The same app behind uvicorn on 127.0.0.1 (a free port), for raw HTTP requests."""
    import socket
    import threading
    import time

    import uvicorn

    app, _asgi = server_app
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    runner = uvicorn.Server(config)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert runner.started
    yield port
    runner.should_exit = True
    thread.join(10)


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/js/../../../../../../etc/passwd",
    ],
)
def test_static_files_stay_in_their_folder(live_server, path):
    status, body = raw_get(live_server, path)
    assert status == 404 and b"root:" not in body


def test_static_files_still_served(live_server):
    status, body = raw_get(live_server, "/static/js/ribbon.js")
    assert status == 200 and b"Office.actions.associate" in body


def test_static_lookup_itself_is_confined(client, tmp_path):
    from xlwings_server import main

    secret = Path(server.os.environ["XLWINGS_PROJECT_DIR"]).parent / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    static = next(r.app for r in main.app.routes if getattr(r, "name", "") == "static")
    found, _stat = static.lookup_path("../secret.txt")
    assert found != str(secret.resolve()) and "secret" not in (found or "")


def test_request_body_limit_is_413_in_chinese(client):
    big = "x" * (server.MAX_BODY + 1)
    response = client.post(
        "/xlwings/custom-functions-call",
        content=big.encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "请求太大" in response.json()["detail"]


def test_chunked_body_over_limit_is_413():
    import asyncio

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guarded = server.guard(app, max_body=10)
    chunks = [{"type": "http.request", "body": b"123456", "more_body": True}] * 3
    sent = []

    async def receive():
        return chunks.pop(0)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": "/x", "raw_path": b"/x", "headers": []}
    asyncio.run(guarded(scope, receive, send))
    assert sent[0]["status"] == 413


def test_a_slow_call_does_not_stall_a_fast_one(client, monkeypatch):
    """A CPU-bound call (held by the GIL, not sleeping) and a quick one sent together:
    the quick one is answered first."""
    import asyncio
    import time

    import httpx

    import aexl.copycheck

    real = aexl.copycheck.check_texts

    def slow(texts):
        end = time.perf_counter() + 1.5
        while time.perf_counter() < end:
            pass
        return real(texts)

    monkeypatch.setattr(aexl.copycheck, "check_texts", slow)
    finished = []

    async def post(transport, name, args):
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            body = function_call(name, *args)
            response = await c.post("/xlwings/custom-functions-call", json=body)
            assert response.status_code == 200, response.text
            finished.append(name)

    async def both():
        transport = httpx.ASGITransport(app=client.app)
        slow_call = asyncio.create_task(post(transport, "AE_COPYCHECK", [[["最佳"]]]))
        await asyncio.sleep(0.2)  # the slow call is running
        await post(transport, "AE_CODE", [[["美的"]]])
        await slow_call

    asyncio.run(both())
    assert finished == ["AE_CODE", "AE_COPYCHECK"]


def test_licence_key_from_project_env_file(tmp_path, monkeypatch):
    from aexl.errors import AexlError

    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    monkeypatch.delenv("DOTENV_PATH", raising=False)
    with pytest.raises(AexlError, match="许可证"):
        server.ensure_licence(tmp_path)
    (tmp_path / ".env").write_text("XLWINGS_LICENSE_KEY=noncommercial\n", encoding="utf-8")
    server.ensure_licence(tmp_path)
    assert server.os.environ["XLWINGS_LICENSE_KEY"] == "noncommercial"


@pytest.mark.parametrize(
    "extra,message",
    [
        ([], "--cert"),  # http:// is never served silently
        (["--cert", "missing.crt", "--key", "missing.key"], "找不到证书文件"),
    ],
)
def test_serve_without_certificate_is_refused(tmp_path, extra, message):
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "aexl", "serve", "--project-dir", str(tmp_path), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_insecure_flag_is_documented():
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "aexl", "serve", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "--insecure" in result.stdout and "http://" in result.stdout


def test_served_manifest_is_structurally_valid(client):
    from officexml import manifest_problems

    assert manifest_problems(client.get("https://testserver/manifest.xml").content) == []


@pytest.mark.parametrize(
    "mutation,problem",
    [
        (lambda x: x.replace("<Version>", "<Version>x", 1), "Version"),
        (lambda x: x.replace('resid="', 'resid="Nope', 1), "is not declared"),
        (lambda x: x.replace("https://", "http://", 1), "https"),
    ],
)
def test_manifest_checker_catches_mistakes(client, mutation, problem):
    from officexml import manifest_problems

    text = client.get("https://testserver/manifest.xml").text
    assert manifest_problems(text) == []
    assert any(problem in p for p in manifest_problems(mutation(text)))


def test_server_functions_read_error_cells_as_text(client):
    """err_to_str on every argument: an error cell reaches the function as "#N/A", not None."""
    module = sys.modules["custom_functions"]
    for name in aexl_udfs.__all__:
        info = getattr(module, name).__xlfunc__
        assert all(arg["options"].get("err_to_str") is True for arg in info["args"]), name


# --- issue 15: the in-workbook ledger sheet, agency deployment checks ----------------------


def _with_ledger_sheet(tmp_path, ledger_numbers):
    """The _jobs_payload workbench plus a very-hidden _工作号台账 holding ``ledger_numbers``."""
    from test_ribbon import _job, workbench

    from aexl.jobno import LEDGER_HEADERS, LEDGER_SHEET

    jobs = [
        _job("MDKT2026001", "美的", "空调", "夏季促销", dt.datetime(2026, 3, 2)),
        _job(None, "美的", "空调", "=HYPERLINK(1)", dt.datetime(2026, 11, 2)),
    ]
    path = workbench(tmp_path / "AE工作台.xlsx", jobs=jobs)
    wb = load_workbook(path)
    if ledger_numbers is not None:
        ws = wb.create_sheet(LEDGER_SHEET)
        ws.sheet_state = "veryHidden"
        ws.append(list(LEDGER_HEADERS))
        for number in ledger_numbers:
            ws.append([number, "2026-03-02T10:00:00+08:00", "张伟", "美的", "空调", "已删除的行"])
    return book_payload(wb, name=path.name, active_sheet="工作单", selection="D3")


@pytest.mark.parametrize(
    "ledger_numbers, expected, ledger_row",
    [
        (None, "MDKT2026002", 2),  # no ledger sheet yet: added very hidden, with its headers
        (["MDKT2026001", "MDKT2026009"], "MDKT2026010", 4),  # a deleted row's 009 is never reused
        (["MDBX2026020"], "MDKT2026002", 3),  # another prefix does not count
    ],
)
def test_new_job_number_floor_and_ledger_sheet(
    client, tmp_path, monkeypatch, ledger_numbers, expected, ledger_row
):
    from aexl.jobno import LEDGER_HEADERS, LEDGER_SHEET

    monkeypatch.delenv("AEXL_LEDGER", raising=False)
    payload = _with_ledger_sheet(tmp_path, ledger_numbers)
    response = client.post("/xlwings/custom-scripts-call/new_job_number", json=payload)
    assert response.status_code == 200, response.text
    actions = response.json()["actions"]
    ledger_position = len(payload["sheets"]) - (ledger_numbers is not None)
    writes = {(a["sheet_position"], a["start_row"] + 1): a["values"] for a in actions
              if a["func"] == "setValues"}  # fmt: skip
    assert writes[(1, 3)] == [[expected]]  # 工作单 row 3
    row = writes[(ledger_position, ledger_row)][0]
    assert row[0] == expected and row[2] and row[3:5] == ["美的", "空调"]
    assert row[5] == "'=HYPERLINK(1)"  # a project name like a formula stays text
    added = [a for a in actions if a["func"] == "addSheet"]
    hide = [a for a in actions if a["func"] == "setSheetVisibility"]
    if ledger_numbers is None:
        assert [a["args"][1] for a in added] == [LEDGER_SHEET]
        assert [(a["sheet_position"], a["args"]) for a in hide] == [
            (ledger_position, ["VeryHidden"])
        ]
        assert writes[(ledger_position, 1)] == [list(LEDGER_HEADERS)]
    else:
        assert not added and not hide


def test_new_job_number_with_a_ledger_allocates_and_records(client, tmp_path, monkeypatch):
    from aexl.ledger import open_ledger

    url = f"sqlite:///{tmp_path / 'l.db'}"
    open_ledger(url, create=True).close()
    with open_ledger(url) as ledger:
        ledger.seed("MDKT2026", 40)  # another AE's workbench went further
    monkeypatch.setenv("AEXL_LEDGER", url)
    payload = _with_ledger_sheet(tmp_path, ["MDKT2026009"])
    response = client.post("/xlwings/custom-scripts-call/new_job_number", json=payload)
    (write,) = [a for a in response.json()["actions"] if a["func"] == "setValues"][:1]
    assert write["values"] == [["MDKT2026041"]]
    with open_ledger(url) as ledger:
        (entry,) = ledger.list()
    assert (entry.number, entry.workbench, entry.status) == (
        "MDKT2026041",
        "AE工作台.xlsx",
        "issued",
    )


def test_new_job_number_with_the_ledger_down_writes_nothing(client, tmp_path, monkeypatch):
    monkeypatch.setenv("AEXL_LEDGER", f"sqlite:///{tmp_path / 'missing.db'}")
    response = client.post(
        "/xlwings/custom-scripts-call/new_job_number", json=_with_ledger_sheet(tmp_path, None)
    )
    actions = response.json()["actions"]
    assert not [a for a in actions if a["func"] in ("setValues", "addSheet")]
    (alert,) = [a["args"][0] for a in actions if a["func"] == "alert"]
    assert "找不到工作号台账" in alert and "\n" not in alert


class _Settings:
    def __init__(self, providers=(), client_id=None, tenant_id=None, multitenant=False):
        self.auth_providers = list(providers)
        self.auth_entraid_client_id = client_id
        self.auth_entraid_tenant_id = tenant_id
        self.auth_entraid_multitenant = multitenant


@pytest.mark.parametrize(
    "host, settings, own_custom, no_auth, outcome",
    [
        ("127.0.0.1", _Settings(), False, False, []),
        ("localhost", _Settings(), False, False, []),
        ("::1", _Settings(), False, False, []),
        ("127.0.0.5", _Settings(), False, False, []),
        ("0.0.0.0", _Settings(), False, False, "没有配置登录验证"),
        ("192.168.1.20", _Settings(), False, False, "没有配置登录验证"),
        ("aexl.intranet", _Settings(), False, False, "没有配置登录验证"),
        ("0.0.0.0", _Settings(), False, True, ["--no-auth"]),
        ("0.0.0.0", _Settings(["entraid"], "cid", "tid"), False, False, []),
        ("0.0.0.0", _Settings(["entraid"], "cid", multitenant=True), False, False, []),
        ("0.0.0.0", _Settings(["entraid"]), False, False, "XLWINGS_AUTH_ENTRAID_CLIENT_ID"),
        ("0.0.0.0", _Settings(["custom"]), False, False, "测试令牌"),  # the bundled example
        ("0.0.0.0", _Settings(["custom"]), True, False, []),
        ("0.0.0.0", _Settings(["ldap"]), False, False, "auth/ldap/"),
        ("127.0.0.1", _Settings(["custom"]), False, False, "测试令牌"),  # refused anywhere
    ],
)
def test_check_access(tmp_path, host, settings, own_custom, no_auth, outcome):
    from aexl.errors import AexlError

    if own_custom:
        (tmp_path / "auth" / "custom").mkdir(parents=True)
        (tmp_path / "auth" / "custom" / "__init__.py").write_text("", encoding="utf-8")
    if isinstance(outcome, str):
        with pytest.raises(AexlError, match=outcome):
            server.check_access(host, settings, tmp_path, no_auth=no_auth)
    else:
        warnings = server.check_access(host, settings, tmp_path, no_auth=no_auth)
        assert [w for w in warnings if not any(o in w for o in outcome)] == []
        assert len(warnings) == len(outcome)


@pytest.mark.parametrize(
    "url, workers, outcome",
    [
        (None, 1, "警告：没有指定工作号台账"),
        (None, 4, "必须指定工作号台账"),
        ("sqlite:///{tmp}/l.db", 4, None),
        ("sqlite:///{tmp}/missing.db", 1, "找不到工作号台账"),
    ],
)
def test_check_ledger(tmp_path, url, workers, outcome):
    from aexl.errors import AexlError
    from aexl.ledger import open_ledger

    open_ledger(f"sqlite:///{tmp_path}/l.db", create=True).close()
    url = url.format(tmp=tmp_path) if url else None
    if outcome is None:
        assert server.check_ledger(url, workers) == []
    elif outcome.startswith("警告"):
        assert server.check_ledger(url, workers)[0].startswith(outcome)
    else:
        with pytest.raises(AexlError, match=outcome):
            server.check_ledger(url, workers)


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--workers", "3"], "必须指定工作号台账"),
        (["--host", "0.0.0.0", "--ledger", "sqlite:///{tmp}/l.db"], "没有配置登录验证"),
        (["--workers", "0"], "--workers 应为 1 或更大的整数"),
    ],
)
def test_serve_refuses_an_unsafe_deployment(tmp_path, extra, message):
    import os
    import subprocess

    from aexl.ledger import open_ledger

    open_ledger(f"sqlite:///{tmp_path}/l.db", create=True).close()
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    env.pop("AEXL_LEDGER", None)
    args = [a.format(tmp=tmp_path) for a in extra]
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "serve", "--insecure", "--project-dir", str(tmp_path),
         *args],
        capture_output=True, text=True, check=False, timeout=120, env=env,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_serve_with_workers_hands_uvicorn_an_app_factory(server_app, tmp_path, monkeypatch):
    """Several workers: uvicorn gets the import string of worker_app (each worker builds
    its own app) and the ledger travels to them in AEXL_LEDGER."""
    import uvicorn

    from aexl.ledger import open_ledger

    url = f"sqlite:///{tmp_path / 'l.db'}"
    open_ledger(url, create=True).close()
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    monkeypatch.delenv("AEXL_LEDGER", raising=False)
    project = Path(server.os.environ["XLWINGS_PROJECT_DIR"])  # this process's xlwings Server
    server.serve("127.0.0.1", 8123, project_dir=project, insecure=True, workers=3, ledger_url=url)
    assert seen["app"] == "aexl.excel.server:worker_app" and seen["factory"] is True
    assert (seen["workers"], seen["host"], seen["port"]) == (3, "127.0.0.1", 8123)
    assert server.os.environ["AEXL_LEDGER"] == url
