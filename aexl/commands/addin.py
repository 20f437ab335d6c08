"""``aexl addin build [--out DIR]`` / ``aexl addin install``: the desktop add-in AE工作台.xlam."""

from __future__ import annotations

from aexl.cli import add_command, print_paths


def register(sub) -> None:
    parser = add_command(
        sub,
        "addin",
        "生成或安装 Excel 桌面加载项 AE工作台.xlam（功能区「AE工作台」选项卡和 AE_ 工作表函数）。",
        "aexl addin build --out dist   或   aexl addin install",
    )
    actions = parser.add_subparsers(dest="addin_action", metavar="操作", parser_class=type(parser))
    build = actions.add_parser(
        "build",
        help="生成 AE工作台.xlam（可在任何系统上生成）",
        description="生成 AE工作台.xlam：功能区 XML、按钮的 VBA 回调（经 xlwings RunPython 调用 aexl）和工作表函数。",
        epilog="示例：\n  aexl addin build --out dist",
    )
    build.add_argument("--out", metavar="DIR", default=".", help="输出文件夹（默认当前文件夹）")
    build.set_defaults(func=run_build)
    install = actions.add_parser(
        "install",
        help="把加载项装进本机 Excel（Windows / macOS）",
        description="生成加载项并复制到 Excel 的启动文件夹（XLSTART），同时写好加载项设置（本机 Python 路径）。",
        epilog="示例：\n  aexl addin install",
    )
    install.set_defaults(func=run_install)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def run_build(args) -> int:
    from aexl.excel.addin import build_addin

    print_paths([build_addin(args.out)])
    return 0


def run_install(args) -> int:
    import sys
    import tempfile

    from aexl.excel.addin import MANUAL_STEPS, addin_folder, build_addin, config_path, install_addin

    with tempfile.TemporaryDirectory() as tmp:
        built = build_addin(tmp)
        if addin_folder() is None:
            print(MANUAL_STEPS.format(addin=built.name, conf=config_path()))
            return 0
        target, conf = install_addin(built)
    print_paths([target, conf])
    print("已安装：重启 Excel 后功能区出现「AE工作台」选项卡。", file=sys.stderr)
    return 0
