"""xlwings Server for the Office.js add-in: the UDFs as custom functions, the ribbon as scripts.

xlwings Server (the ``xlwings-server`` package, extra ``aexl[server]``) finds
the user's code as two top-level modules, ``custom_functions`` and
``custom_scripts``, and its project files (``templates/``, ``static/``,
``.env``) in ``XLWINGS_PROJECT_DIR``; its settings come from ``XLWINGS_*``
environment variables, read once when ``xlwings_server`` is first imported.
:func:`create_app` sets all of that up before that import:

* ``custom_functions``: a copy of ``aexl_udfs`` loaded with xlwings Server's
  ``func``/``arg``/``ret`` decorators (the desktop decorators are no-ops on
  a machine without Excel, and may already be bound when this runs);
* ``custom_scripts``: one ``@script`` per ribbon handler;
* ``templates/manifest.xml``: the Office.js manifest, whose custom tab
  AE工作台 has the same groups and buttons as ``aexl/addin/ribbon.xml``;
* ``static/js/ribbon.js``: binds each manifest button to its script.

Guards around the pinned xlwings Server (:func:`guard`): static files only
from inside their folders (its static handler follows ``../``), request
bodies up to ``MAX_BODY`` (413 with a Chinese message), and every custom
function and script runs in a worker thread, so one slow call never stalls
the others. ``serve`` reads the project's ``.env`` before it checks for the
licence key, and serves plain ``http://`` only when asked (``insecure``).
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import json
import logging
import os
import sys
import types
from pathlib import Path

from aexl.errors import AexlError
from aexl.excel import ribbon_ui

log = logging.getLogger("aexl.server")

HOST = "127.0.0.1"
MAX_BODY = 20 * 1024 * 1024  # bytes; a 10,000-row call is well under 2 MB
TOO_LARGE = "请求太大（超过 {limit} MB）：请分批计算，例如每次选 10 万行以内的区域，或减少一次发送的工作表。"
BAD_PATH = "找不到这个文件。"
INSECURE_REFUSED = (
    "Office.js 加载项只能从 HTTPS 加载：请用 --cert 和 --key 指定本机信任的证书（生成方法见 docs/EXCEL.md）；"
    "仅在本机调试时可加 --insecure 使用 http://。"
)
INSECURE_WARNING = "警告：以 http:// 提供服务，Excel 不会加载其中的加载项，仅供调试使用。"
PORT = 8000
ASSETS = Path(__file__).resolve().parent.parent / "addin"
MANIFEST_TEMPLATE = ASSETS / "manifest.xml"
FUNCTIONS_NAMESPACE = "AEXL"
MANIFEST_ID = "5b0f3f3e-7a4c-4d8e-9a51-3c6f2a9d41e7"  # fixed: Excel knows the add-in by it

SETTINGS = {
    "XLWINGS_PROJECT_NAME": "AE工作台",
    "XLWINGS_ENVIRONMENT": "prod",
    "XLWINGS_FUNCTIONS_NAMESPACE": FUNCTIONS_NAMESPACE,
    "XLWINGS_MANIFEST_ID_PROD": MANIFEST_ID,
    "XLWINGS_ENABLE_EXAMPLES": "false",
    "XLWINGS_ENABLE_HOTRELOAD": "false",
    "XLWINGS_ENABLE_SOCKETIO": "false",
}

LICENCE_MISSING = (
    "启动 xlwings Server 需要设置环境变量 XLWINGS_LICENSE_KEY：商业使用（本公司属于商业使用）"
    "须购买 xlwings 许可证并填入许可证密钥；仅作非商业评估时可设为 noncommercial。"
    "桌面加载项（RunPython、工作表函数）不需要许可证。详见 docs/EXCEL.md。"
)


def default_project_dir() -> Path:
    return Path.home() / ".aexl" / "server"


def server_installed() -> bool:
    """Whether the ``server`` extra is installed (without importing it: that reads its settings)."""
    return all(importlib.util.find_spec(name) is not None for name in ("xlwings_server", "uvicorn"))


def ensure_licence(project_dir: str | Path | None = None) -> None:
    """The licence key from the environment or, as xlwings Server reads it, the project's .env."""
    if os.environ.get("XLWINGS_LICENSE_KEY"):
        return
    project = Path(project_dir) if project_dir else default_project_dir()
    env_file = Path(os.environ.get("DOTENV_PATH") or project / ".env")
    if env_file.is_file():
        from dotenv import dotenv_values

        key = dotenv_values(env_file).get("XLWINGS_LICENSE_KEY")
        if key:
            os.environ["XLWINGS_LICENSE_KEY"] = key
            return
    raise AexlError(LICENCE_MISSING)


def configure(project_dir: str | Path | None = None) -> Path:
    """Write the project files and set the XLWINGS_* settings (before xlwings_server loads)."""
    project = Path(project_dir) if project_dir else default_project_dir()
    (project / "templates").mkdir(parents=True, exist_ok=True)
    (project / "static" / "js").mkdir(parents=True, exist_ok=True)
    (project / "templates" / "manifest.xml").write_text(ribbon_ui.manifest_xml(), encoding="utf-8")
    (project / "static" / "js" / "ribbon.js").write_text(ribbon_js(), encoding="utf-8")
    os.environ["XLWINGS_PROJECT_DIR"] = str(project)
    for key, value in SETTINGS.items():
        os.environ.setdefault(key, value)
    return project


def ribbon_groups() -> list[dict]:
    """The ribbon's groups with their buttons, in order (from aexl/addin/ribbon.xml)."""
    from aexl.excel.addin import ribbon_buttons

    groups: dict[str, dict] = {}
    for button in ribbon_buttons(ribbon_ui.ribbon_xml()):
        group = groups.setdefault(
            button["group_id"], {"id": button["group_id"], "label": button["group"], "buttons": []}
        )
        group["buttons"].append({**button, "function": function_name(button["handler"])})
    return list(groups.values())


def function_name(handler: str) -> str:
    """The manifest FunctionName of a button (``Office.actions.associate`` key)."""
    return f"aexl-{handler.replace('_', '-')}"


def ribbon_js() -> str:
    """JavaScript that binds each manifest button to the script of the same handler."""
    lines = [
        "// AE工作台: ribbon buttons -> xlwings Server scripts. Written by aexl serve",
        "// from aexl/addin/ribbon.xml; edit that file, not this one.",
        "async function aexlRunScript(event, scriptName) {",
        "  try {",
        '    const auth = typeof globalThis.getAuth === "function"',
        "      ? await globalThis.getAuth()",
        '      : { token: "", provider: "" };',
        "    await xlwings.runPython({",
        "      auth: auth.token,",
        "      scriptName: scriptName,",
        '      headers: { "Auth-Provider": auth.provider },',
        "    });",
        "  } finally {",
        "    event.completed();",
        "  }",
        "}",
    ]
    for group in ribbon_groups():
        for button in group["buttons"]:
            lines.append(
                f'Office.actions.associate("{button["function"]}", '
                f'(event) => aexlRunScript(event, "{button["handler"]}"));'
            )
    return "\n".join(lines) + "\n"


def _load_functions() -> types.ModuleType:
    """``aexl_udfs`` loaded afresh as ``custom_functions`` with xlwings Server's decorators."""
    import xlwings
    import xlwings.server as xs

    spec = importlib.util.find_spec("aexl_udfs")
    if spec is None or not spec.origin:
        raise AexlError("找不到 aexl_udfs 模块，请重新安装 aexl（pip install -e .）")
    copy = importlib.util.spec_from_file_location("custom_functions", spec.origin)
    module = importlib.util.module_from_spec(copy)
    saved = xlwings.func, xlwings.arg, xlwings.ret
    xlwings.func, xlwings.arg, xlwings.ret = xs.func, xs.arg, xs.ret
    try:
        copy.loader.exec_module(module)
    finally:
        xlwings.func, xlwings.arg, xlwings.ret = saved
    for name in getattr(module, "__all__", []):
        setattr(module, name, in_thread(getattr(module, name)))
    return module


def in_thread(func):
    """``func`` as a coroutine function that runs it in a worker thread.

    xlwings Server calls a plain function on the event loop itself, so one
    slow call would hold up every other request; awaited this way it does not.
    ``functools.wraps`` keeps the signature and xlwings' decorator data.
    """
    from starlette.concurrency import run_in_threadpool

    @functools.wraps(func)
    async def run(*args, **kwargs):
        try:
            return await run_in_threadpool(func, *args, **kwargs)
        except Exception:  # a bug past the function's own error cells: the one error log
            from aexl.errors import log_internal_error

            log_internal_error(f"server function {func.__name__}")
            raise

    return run


def _load_scripts() -> types.ModuleType:
    """``custom_scripts``: one xlwings Server script per ribbon handler."""
    import xlwings
    import xlwings.server as xs

    from aexl.excel import ribbon

    module = types.ModuleType(
        "custom_scripts", "AE工作台 ribbon handlers as xlwings Server scripts."
    )
    labels = {b["handler"]: b["label"] for g in ribbon_groups() for b in g["buttons"]}

    def make(name: str):
        async def run(book):
            from starlette.concurrency import run_in_threadpool

            try:
                await run_in_threadpool(getattr(ribbon, name), book)
            except Exception:  # the handler logs its own bugs; this catches what precedes it
                from aexl.errors import log_internal_error

                log_internal_error(f"server script {name}")
                raise

        run.__name__ = run.__qualname__ = name
        run.__module__ = module.__name__
        run.__doc__ = getattr(ribbon, name).__doc__
        run.__annotations__ = {"book": xlwings.Book, "return": None}
        return xs.script(run, name=labels.get(name, name))

    for name in ribbon.HANDLERS:
        setattr(module, name, make(name))
    return module


def create_app(project_dir: str | Path | None = None):
    """The xlwings Server FastAPI app serving aexl; call once per process.

    Returns ``(app, asgi_app)``: ``app`` for FastAPI's TestClient, ``asgi_app``
    (with socket.io when enabled) for uvicorn.
    """
    project = configure(project_dir)
    loaded = sys.modules.get("xlwings_server.config")
    if loaded is not None and Path(loaded.PROJECT_DIR).resolve() != project.resolve():
        # xlwings_server reads its settings when first imported (even `import xlwings_server`)
        raise RuntimeError(
            "aexl.excel.server.create_app() must run before xlwings_server is imported"
        )
    os.environ["XLWINGS_ON_SERVER"] = "true"
    if "xlwings_server.main" not in sys.modules:
        sys.modules["custom_functions"] = _load_functions()
        sys.modules["custom_scripts"] = _load_scripts()
    from aexl.excel import xlwings_fixes

    xlwings_fixes.apply()
    from xlwings_server import main

    xlwings_fixes.confine_static(main)
    isolate_books(main.app)
    from xlwings_server.templates import templates

    templates.env.globals["aexl_groups"] = ribbon_groups()
    # Everything loaded so far lives as long as the server: keep it out of the
    # garbage collector's full passes, which otherwise make a 10,000-cell call
    # take 3-4 times as long every few requests.
    gc.collect()
    gc.freeze()
    return guard(main.app), guard(main.main_app)


def isolate_books(app) -> None:
    """Give each script call's workbook its own xlwings App.

    xlwings' remote engine keeps one App per process, and ``book.selection``
    and ``book.app.alert`` go to that App's *active* book: the one opened
    last, by whichever request came last. Two buttons clicked at once (scripts
    run in threads here) would write one AE's numbers, alerts and selection
    into the other's response. A private App per request has one book only.
    """
    from fastapi import Depends
    from xlwings_server import dependencies

    async def request_book(book_data: dict = Depends(dependencies.parse_book_input)):  # noqa: B008
        import xlwings as xw
        from xlwings.pro import _xlremote

        private = _xlremote.App(xw.engines["remote"].impl.apps, add_book=False)  # not listed
        book = xw.Book(impl=private.books.open(json=book_data))
        try:
            yield book
        finally:
            book.close()

    app.dependency_overrides[dependencies.get_book] = request_book


def guard(app, max_body: int = MAX_BODY):
    """ASGI middleware: no ``..`` in a path, no request body over ``max_body`` bytes."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        raw = scope.get("raw_path") or scope.get("path", "").encode()
        if ".." in scope.get("path", "").split("/") or b"/.." in raw or b"%2e" in raw.lower():
            return await _plain(send, 404, BAD_PATH)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            return await _plain(send, 413, TOO_LARGE.format(limit=max_body // 2**20))
        seen = 0

        async def limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_body:
                    raise _TooLarge
            return message

        try:
            return await app(scope, limited, send)
        except _TooLarge:
            return await _plain(send, 413, TOO_LARGE.format(limit=max_body // 2**20))

    return guarded


class _TooLarge(Exception):
    pass


async def _plain(send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json; charset=utf-8")]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


LEDGER_REQUIRED = (
    "以 {workers} 个进程运行时必须指定工作号台账：用 --ledger 地址 或环境变量 AEXL_LEDGER，"
    "如 postgresql://aexl@数据库服务器/aexl（见 docs/EXCEL.md「部署」）；"
    "否则各进程会发出相同的工作号。"
)
LEDGER_WARNING = (
    "警告：没有指定工作号台账（--ledger 或 AEXL_LEDGER）：两位 AE 同时编辑同一工作簿并点「新建工作号」时"
    "可能得到相同的号码。全公司使用请配置台账（见 docs/EXCEL.md「部署」）。"
)
AUTH_REQUIRED = (
    "监听 {host} 会让本机以外的电脑访问服务，但没有配置登录验证：请在 {project}/.env 中设置 "
    'XLWINGS_AUTH_PROVIDERS（如 ["entraid"]，见 docs/EXCEL.md「部署」）；'
    "确实只在受信任的内网使用时，可加 --no-auth。"
)
NO_AUTH_WARNING = (
    "警告：--no-auth：监听 {host} 而不验证登录，同一网络里的任何人都能调用本服务和开工作号。"
)
CUSTOM_AUTH_STUB = (
    "XLWINGS_AUTH_PROVIDERS 含 custom，但 {project}/auth/custom/ 里没有你们自己的验证代码："
    "xlwings Server 自带的 custom 只是示例，接受任何人都知道的测试令牌。请先写好 validate_token。"
)
ENTRAID_INCOMPLETE = (
    "XLWINGS_AUTH_PROVIDERS 含 entraid，但没有设置 XLWINGS_AUTH_ENTRAID_CLIENT_ID 和 "
    "XLWINGS_AUTH_ENTRAID_TENANT_ID：请在 {project}/.env 中填写（见 docs/EXCEL.md「部署」）。"
)
PROVIDER_MISSING = (
    "XLWINGS_AUTH_PROVIDERS 含 {name}，但 {project}/auth/{name}/ 里没有它的验证代码。"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this computer (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    text = (host or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_ledger(url: str | None, workers: int) -> list[str]:
    """Refuse several workers without a ledger; check a given one answers. Returns warnings."""
    if not url:
        if workers > 1:
            raise AexlError(LEDGER_REQUIRED.format(workers=workers))
        return [LEDGER_WARNING]
    from aexl.ledger import open_ledger

    open_ledger(url).close()  # not set up, unreachable: one line now, not at the first click
    return []


def check_access(host: str, settings, project: Path, *, no_auth: bool) -> list[str]:
    """Refuse a non-loopback ``host`` without an authentication provider unless ``no_auth``.

    ``settings`` are xlwings Server's (``auth_providers`` and the Entra ID fields).
    A provider is accepted only when it can really check someone: ``custom``
    needs the project's own ``auth/custom`` (the bundled one is an example
    that accepts a test token), ``entraid`` its client and tenant IDs.
    """
    providers = list(getattr(settings, "auth_providers", None) or [])
    for name in providers:
        own = (project / "auth" / name / "__init__.py").is_file()
        own = own or (project / "auth" / f"{name}.py").is_file()
        if name == "entraid":
            tenant = settings.auth_entraid_tenant_id or settings.auth_entraid_multitenant
            if not (settings.auth_entraid_client_id and tenant):
                raise AexlError(ENTRAID_INCOMPLETE.format(project=project))
        elif name == "custom" and not own:
            raise AexlError(CUSTOM_AUTH_STUB.format(project=project))
        elif name != "custom" and not own:
            raise AexlError(PROVIDER_MISSING.format(name=name, project=project))
    if providers or is_loopback(host):
        return []
    if not no_auth:
        raise AexlError(AUTH_REQUIRED.format(host=host, project=project))
    return [NO_AUTH_WARNING.format(host=host)]


def worker_app():
    """The ASGI app of one uvicorn worker (``--workers N``): settings come from the
    environment ``serve`` prepared (project folder, licence, ledger)."""
    return create_app(os.environ["XLWINGS_PROJECT_DIR"])[1]


def serve(
    host: str = HOST,
    port: int = PORT,
    *,
    certfile=None,
    keyfile=None,
    project_dir=None,
    insecure: bool = False,
    workers: int = 1,
    ledger_url: str | None = None,
    no_auth: bool = False,
) -> None:
    """Run the server with uvicorn: HTTPS with a certificate, plain HTTP only if ``insecure``.

    ``workers`` processes (several need the shared ``ledger_url``, also read
    from AEXL_LEDGER and handed to the workers through it); a ``host`` beyond
    loopback needs an authentication provider or ``no_auth``.
    """
    from aexl.ledger import ENV_VAR

    if not server_installed():
        raise AexlError('未安装 xlwings Server，请先运行：pip install "aexl[server]"')
    if not certfile and not insecure:
        raise AexlError(INSECURE_REFUSED)
    if workers < 1:
        raise AexlError(f"--workers 应为 1 或更大的整数，现在是 {workers}")
    ledger_url = ledger_url or os.environ.get(ENV_VAR) or None
    warnings = check_ledger(ledger_url, workers)
    ensure_licence(project_dir)  # after reading the project's .env, as xlwings Server does
    project = configure(project_dir)
    from xlwings_server.config import settings  # reads the settings configure() prepared

    warnings += check_access(host, settings, project, no_auth=no_auth)
    if ledger_url:
        os.environ[ENV_VAR] = ledger_url  # the handlers (and worker processes) read it there
    if not certfile:
        warnings.append(INSECURE_WARNING)
    for line in warnings:
        log.warning(line)
    import uvicorn

    ssl = {"ssl_certfile": str(certfile), "ssl_keyfile": str(keyfile)} if certfile else {}
    if workers == 1:
        _app, asgi = create_app(project)
        uvicorn.run(asgi, host=host, port=port, log_level="info", **ssl)
    else:
        uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host,
                    port=port, log_level="info", **ssl)  # fmt: skip
