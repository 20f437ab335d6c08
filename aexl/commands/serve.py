"""``aexl serve``: xlwings Server for the Office.js add-in (custom functions and the AE工作台 tab)."""

from __future__ import annotations

from aexl.cli import add_command


def register(sub) -> None:
    parser = add_command(
        sub,
        "serve",
        "在本机启动 xlwings Server（Office.js 加载项）：AE_ 工作表函数和「AE工作台」选项卡按钮。"
        '需要 pip install "aexl[server]" 和环境变量 XLWINGS_LICENSE_KEY；'
        "清单地址为 https://127.0.0.1:8000/manifest.xml（证书见 docs/EXCEL.md）。",
        "aexl serve --cert ~/.aexl/certs/localhost.crt --key ~/.aexl/certs/localhost.key",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="监听地址（默认 127.0.0.1，只供本机使用）；其他地址须配置登录验证或加 --no-auth",
    )
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    parser.add_argument("--cert", metavar="FILE", help="HTTPS 证书（PEM）；Office.js 只接受 HTTPS")
    parser.add_argument("--key", metavar="FILE", help="证书的私钥（PEM）")
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="不用证书，以 http:// 提供服务（Excel 不会加载，仅供本机调试）",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="进程数（默认 1）；大于 1 时必须指定工作号台账（--ledger），见 docs/EXCEL.md「部署」",
    )
    parser.add_argument(
        "--ledger",
        metavar="URL",
        help="工作号台账：postgresql://用户:密码@服务器/数据库（全公司共用）或 sqlite:///路径（单机）；"
        "默认取环境变量 AEXL_LEDGER。「新建工作号」从台账取号，多人同时点也不会重复",
    )
    parser.add_argument(
        "--no-auth",
        action="store_true",
        help="监听本机以外的地址（如 --host 0.0.0.0）却不配置登录验证（XLWINGS_AUTH_PROVIDERS）；"
        "只在受信任的内网使用，启动时会警告",
    )
    parser.add_argument(
        "--project-dir",
        metavar="DIR",
        help="xlwings Server 项目文件夹（默认 ~/.aexl/server，可放 .env 设置）",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from aexl.errors import UsageError
    from aexl.excel.server import serve

    if bool(args.cert) != bool(args.key):
        raise UsageError("--cert 和 --key 要一起给出（证书和它的私钥）")
    for path in (args.cert, args.key):
        if path and not Path(path).expanduser().is_file():
            raise UsageError(f"找不到证书文件 {path}，生成方法见 docs/EXCEL.md")
    cert = Path(args.cert).expanduser() if args.cert else None
    key = Path(args.key).expanduser() if args.key else None
    serve(
        args.host,
        args.port,
        certfile=cert,
        keyfile=key,
        project_dir=args.project_dir,
        insecure=args.insecure,
        workers=args.workers,
        ledger_url=args.ledger,
        no_auth=args.no_auth,
    )
    return 0
