"""Month-end under hostile conditions, as real subprocesses: a dying worker, Ctrl+C and
SIGTERM, a second run on the same folder, a full disk, an OS error half-way through
publishing. Each case checks the exit code, the message, the output folder and that no
input changed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from samples import digest

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).resolve().parent / "monthend_driver.py"
MONTH = ("--month", "2026-10")


@pytest.fixture
def inputs(sample_books):
    return sample_books


def env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}


def driver(fault: str, *args, **popen):
    command = [sys.executable, str(DRIVER), fault, "month-end", *MONTH, *args]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), **popen
    )


def run_driver(fault: str, *args):
    done = driver(fault, *args)
    out, err = done.communicate(timeout=300)
    return done.returncode, out, err


def wait_for(check, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()
    except OSError:
        return True


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_a_worker_that_dies_is_named_and_the_batch_goes_on(inputs, tmp_path, how):
    (inputs / "致命_AE工作台.xlsx").write_bytes((inputs / "星河食品_AE工作台.xlsx").read_bytes())
    before, out = digest(inputs), tmp_path / "out"
    code, stdout, stderr = run_driver(f"{how}:致命", "--in", str(inputs), "--out", str(out))
    assert code == 2, stderr
    assert "Traceback" not in stderr
    dead = [line for line in stderr.splitlines() if "致命_AE工作台.xlsx" in line]
    assert dead and all("进程意外退出" in line for line in dead), stderr
    assert ("SIGKILL" if how == "kill" else "退出码 134") in dead[0]
    assert "读取工作台 3 个" in stderr and "跳过输入 1 个" in stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(Path(line).name for line in stdout.splitlines())
    for client in ("云帆电器", "星河食品", "渝信银行"):
        assert f"20261110_{client}_校验结果.xlsx" in names
    assert not any(n.startswith(".") or "致命" in n for n in names)  # no staging, no lock
    assert digest(inputs) == before


@pytest.mark.parametrize(
    ("signum", "code", "group"),
    [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)],
)
def test_a_signal_stops_workers_and_removes_staging(inputs, tmp_path, signum, code, group):
    marks, out = tmp_path / "marks", tmp_path / "out"
    marks.mkdir()
    (out).mkdir()
    (out / "留着.txt").write_text("别人的文件", encoding="utf-8")
    before, kept = digest(inputs), digest(out)
    run = driver(f"slow:{marks}", "--in", str(inputs), "--out", str(out), start_new_session=True)
    wait_for(lambda: len(list(marks.iterdir())) == 2)  # both workers are in a workbench
    workers = [int(p.name.split(".")[0]) for p in marks.iterdir()]
    if group:  # Ctrl+C in a terminal reaches every process of the group
        os.killpg(run.pid, signum)
    else:
        os.kill(run.pid, signum)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == code, stderr
    assert stderr.strip().splitlines() == [stderr.strip()]  # one line
    assert "月底批处理被中断" in stderr and "已处理 0/3 个工作台" in stderr
    assert "未写出任何文件" in stderr and "Traceback" not in stderr
    assert stdout == ""
    assert digest(out) == kept and sorted(p.name for p in out.iterdir()) == ["留着.txt"]
    wait_for(lambda: all(gone(pid) for pid in workers), 10)  # no orphaned worker
    assert digest(inputs) == before


def test_a_second_run_on_the_same_folder_is_refused(inputs, tmp_path):
    marks, out = tmp_path / "marks", tmp_path / "out"
    marks.mkdir()
    first = driver(f"slow:{marks}", "--in", str(inputs), "--out", str(out))
    try:
        wait_for(lambda: any(marks.iterdir()))
        code, stdout, stderr = run_driver("none:", "--in", str(inputs), "--out", str(out))
        assert code == 2
        assert len(stderr.strip().splitlines()) == 1
        assert "正由另一个月底批处理使用" in stderr and str(out) in stderr
        assert stdout == ""
    finally:
        first.terminate()
        first.communicate(timeout=60)
    assert first.returncode == 143
    assert list(out.iterdir()) == []


def test_leftovers_of_a_killed_run_are_removed(inputs, tmp_path):
    marks, out = tmp_path / "marks", tmp_path / "out"
    marks.mkdir()
    first = driver(f"slow:{marks}", "--in", str(inputs), "--out", str(out))
    wait_for(lambda: len(list(marks.iterdir())) == 2)
    first.kill()  # kill -9: no clean-up at all (its workers die with it)
    first.communicate(timeout=60)
    for pid in (int(p.name.split(".")[0]) for p in marks.iterdir()):
        wait_for(lambda pid=pid: gone(pid), 10)  # its workers end when their pipe closes
    left = [p.name for p in out.iterdir() if p.name.startswith(".~aexl-stage-")]
    assert left  # one staging folder per workbench and one for the run
    code, stdout, stderr = run_driver("none:", "--in", str(inputs), "--out", str(out))
    assert code == 0, stderr
    assert f"已清除上次中断的月底批处理留下的临时文件 {len(left)} 个" in stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(Path(line).name for line in stdout.splitlines())


def test_an_os_error_half_way_through_publishing_rolls_back(inputs, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run_driver("none:", "--in", str(inputs), "--out", str(out))
    assert code == 0, stderr
    previous = digest(out)
    (inputs / "星河食品_AE工作台.xlsx").touch()
    before = digest(inputs)
    code, stdout, stderr = run_driver("publish:5", "--in", str(inputs), "--out", str(out))
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert "写出月底报告时出错（磁盘空间不足" in stderr and "没有写出任何文件" in stderr
    assert stdout == ""
    assert digest(out) == previous  # the earlier reports back in place, nothing new
    assert sorted(p.name for p in out.iterdir()) == sorted(previous)
    assert digest(inputs) == before


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_writes_nothing(inputs, small_disk):
    before = digest(inputs)
    out = small_disk / "out"
    code, stdout, stderr = run_driver("none:", "--in", str(inputs), "--out", str(out))
    assert code == 2, stderr
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    assert "磁盘空间不足" in stderr and "没有写出任何文件" in stderr
    assert stdout == ""
    assert list(out.iterdir()) == []
    assert digest(inputs) == before
