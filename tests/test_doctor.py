"""aexl doctor: each check on this (Linux) machine, with good and broken set-ups made here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import xlwings

from aexl.excel import addin, doctor

ZHANG = "C:\\Users\\张伟\\Python311\\pythonw.exe"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return addin.build_addin(tmp_path_factory.mktemp("addin"))


def _conf(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "aexl.conf"
    path.write_bytes(data)
    return path


def _by_name(checks) -> dict[str, doctor.Check]:
    return {check.name.split()[0]: check for check in checks}


def test_all_pass_on_a_good_setup(tmp_path, built):
    python = sys.executable
    conf = _conf(tmp_path, addin.config_bytes(python, "utf-8"))
    checks = doctor.run_checks(
        python=python, conf=conf, installed_addin=built, codepage="utf-8", windows=False
    )
    assert [c for c in checks if not c.ok] == []
    names = [c.name for c in checks]
    assert "Python 解释器" in names and "xlwings" in names and any("aexl_udfs" in n for n in names)
    text = doctor.report(checks)
    assert text.count("[通过]") == len(checks) and "全部通过" in text


@pytest.mark.parametrize(
    "case,check_name,words",
    [
        ("no_conf", "设置文件", "aexl addin install"),
        ("utf8_conf_on_gbk", "设置文件", "CRLF"),
        ("double_cr", "设置文件", "CRLF"),
        ("old_xlwings", "设置文件", "xlwings"),
        ("other_python", "设置文件", "INTERPRETER"),
        ("unencodable", "Python 路径的编码", "8.3"),
        ("no_addin", "加载项", "aexl addin install"),
        ("missing_python", "Python 解释器", "重新安装 Python"),
    ],
)
def test_each_failure_says_what_to_do(tmp_path, built, case, check_name, words):
    python, codepage, addin_path = sys.executable, "cp936", built
    data = addin.config_bytes(python, codepage)
    if case == "utf8_conf_on_gbk":  # the old install: UTF-8 text with \r\r\n on Windows
        data = addin.config_text(ZHANG).replace("\r\n", "\r\r\n").encode("utf-8")
        python = ZHANG
    if case == "double_cr":
        data = data.replace(b"\r\n", b"\r\r\n")
    if case == "old_xlwings":
        data = data.replace(xlwings.__version__.encode(), b"0.30.0")
    if case == "other_python":
        data = addin.config_bytes("C:\\Python39\\pythonw.exe", codepage)
    if case == "unencodable":
        python, codepage = ZHANG, "cp1252"
        data = b""
    if case == "no_addin":
        addin_path = tmp_path / "XLSTART" / addin.ADDIN_NAME
    if case == "missing_python":
        python = str(tmp_path / "nowhere" / "python.exe")
    conf = tmp_path / "none.conf" if case == "no_conf" else _conf(tmp_path, data)
    checks = doctor.run_checks(
        python=python, conf=conf, installed_addin=addin_path, codepage=codepage, windows=False
    )
    failed = [c for c in checks if not c.ok]
    assert any(c.name.startswith(check_name) for c in failed), failed
    bad = next(c for c in failed if c.name.startswith(check_name))
    assert words in bad.detail + bad.fix and bad.fix
    assert "[失败]" in doctor.report(checks) and "解决：" in doctor.report(checks)


def test_addin_built_for_another_xlwings_fails(tmp_path, built):
    from pyopenvba import ExcelFile

    stale = tmp_path / addin.ADDIN_NAME
    stale.write_bytes(built.read_bytes())
    with ExcelFile(stale) as book:
        source = book.get_module("xlwings").replace(xlwings.__version__ + ".dll", "0.30.0.dll")
        book.set_module("xlwings", source)
        book.save()
    check = doctor.check_addin(stale)
    assert not check.ok and "xlwings64-0.30.0.dll" in check.detail
    assert "aexl addin install" in check.fix


def test_dll_check_only_where_windows(tmp_path, built):
    python = tmp_path / "pythonw.exe"
    python.write_bytes(b"")
    args = dict(
        python=str(python), conf=tmp_path / "x.conf", installed_addin=built, codepage="cp936"
    )
    linux = doctor.run_checks(**args, windows=False)
    assert not any(c.name == "xlwings DLL" for c in linux)
    windows = _by_name(doctor.run_checks(**args, windows=True))
    assert "Office" in windows  # the Office flavour is looked at on Windows only
    dll = next(c for c in doctor.run_checks(**args, windows=True) if c.name == "xlwings DLL")
    assert not dll.ok and addin.expected_dll() in dll.detail
    (tmp_path / addin.expected_dll()).write_bytes(b"")
    dll = next(c for c in doctor.run_checks(**args, windows=True) if c.name == "xlwings DLL")
    assert dll.ok


def test_cli_runs_and_exits_1_without_an_install(tmp_path):
    env = {**__import__("os").environ, "HOME": str(tmp_path), "USERPROFILE": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "[通过] Python 解释器" in result.stdout
    assert "[失败] 设置文件 aexl.conf" in result.stdout and "解决：" in result.stdout
    assert "Traceback" not in result.stderr


def test_cli_exits_0_when_everything_passes(tmp_path):
    home = tmp_path / "home"
    conf = home / ".aexl" / "aexl.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(addin.config_bytes(addin.interpreter(), addin.ansi_codepage()))
    env = {**__import__("os").environ, "HOME": str(home), "USERPROFILE": str(home)}
    result = subprocess.run(
        [sys.executable, "-m", "aexl", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "[失败]" not in result.stdout and "全部通过" in result.stdout
