"""Smoke test of the frozen Linux app, run from a fresh folder as a rep would.

    .venv/bin/python packaging/smoke_test.py            # build, then test (~2 minutes)
    .venv/bin/python packaging/smoke_test.py --no-build # test the tarball in packaging/dist

It unpacks ``tactful-<version>-linux-x86_64.tar.gz`` into a new temporary folder and,
with ``HOME`` pointed at an empty folder and ``TACTFUL_HOME`` at a temporary data folder:

1. ``tactful --version``;
2. ``tactful search refund --json`` (first start: seeds the database, builds the index);
3. ``tactful lint --json --fail-on warning -`` with a risky reply on stdin: exit 1, JSON;
4. ``tactful show three-key-questions``;
5. the app on the offscreen platform for a few seconds, then SIGTERM: it must close
   cleanly (exit 0, window state saved, data-folder lock released, no traceback);
6. portable mode: with no ``TACTFUL_HOME`` and a ``tactful-data`` folder beside the
   program, a search keeps its data there.

Every run is traced with ``strace`` (when installed): any AF_INET/AF_INET6 connect, or
any file created, written, renamed or removed outside the data folder, fails the test
(AF_UNIX sockets, e.g. to D-Bus or an X server, are fine). ``HOME``, the working folder
and the unpacked app are also compared before and after. Then it measures the bundle
size and start-up times, frozen vs the source install (``.venv/bin/tactful``).

This is a script, not a pytest test: it needs PyInstaller and takes minutes, which does
not fit the project's test run. Exit status 0 means every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = HERE / "dist"

RISKY_REPLY = (
    "As I already said, you should have read the terms before ordering. "
    "We apologise for any inconvenience, but there is nothing I can do.\n"
)
# Paths a process may write to that are not files: terminals, /dev/null, its own /proc.
HARMLESS_WRITES = re.compile(r"^/(dev|proc|sys)/")
STRACE_CALLS = "connect,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,rmdir,symlink,link"

failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}", flush=True)
    if not ok:
        failures.append(what)
    return ok


# -- strace ------------------------------------------------------------------------------

_OPEN = re.compile(r'^(?:\d+ +)?(?:open|openat)\((?:[A-Z_]+|\d+), "([^"]*)", ([A-Z_|]+)[^)]*\) = (\d+)')
_PATHCALL = re.compile(
    r'^(?:\d+ +)?(creat|mkdir|mkdirat|rename|renameat2?|unlink|unlinkat|rmdir|symlink|link)\((.*)\) = 0'
)
_CONNECT = re.compile(r'^(?:\d+ +)?connect\(\d+, \{sa_family=(AF_[A-Z0-9]+)(.*?)\}')


def strace_problems(trace: Path, allowed: list[Path], cwd: Path) -> list[str]:
    """Network connects, and writes outside the allowed folders, in one strace log."""
    problems = []
    allowed_str = [str(p) for p in allowed]

    def outside(path: str) -> bool:
        full = os.path.normpath(path if path.startswith("/") else str(cwd / path))
        if HARMLESS_WRITES.match(full):
            return False
        return not any(full == a or full.startswith(a + os.sep) for a in allowed_str)

    for files in sorted(trace.parent.glob(trace.name + "*")):
        for line in files.read_text(errors="replace").splitlines():
            if m := _CONNECT.search(line):
                if m.group(1) in ("AF_INET", "AF_INET6"):
                    problems.append(f"network connection attempted: {line.strip()[:160]}")
                continue
            if m := _OPEN.search(line):
                path, flags = m.group(1), m.group(2)
                if re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND", flags) and outside(path):
                    problems.append(f"write outside the data folder: {line.strip()[:160]}")
                continue
            if m := _PATHCALL.search(line):
                for path in re.findall(r'"([^"]*)"', m.group(2)):
                    if outside(path):
                        problems.append(f"{m.group(1)} outside the data folder: {line.strip()[:160]}")
    return problems


# -- running the app ---------------------------------------------------------------------


class App:
    def __init__(self, exe: Path, env: dict[str, str], cwd: Path, traces: Path, allowed: list[Path]):
        self.exe, self.env, self.cwd, self.traces, self.allowed = exe, env, cwd, traces, allowed
        self.strace = shutil.which("strace")
        self.count = 0

    def _cmd(self, args: list[str]) -> tuple[list[str], Path | None]:
        if not self.strace:
            return [str(self.exe), *args], None
        self.count += 1
        trace = self.traces / f"trace{self.count}"
        return [self.strace, "-f", "-qq", "-ff", "-o", str(trace), "-e", f"trace={STRACE_CALLS}",
                str(self.exe), *args], trace

    def audit(self, trace: Path | None, label: str, allowed: list[Path] | None = None) -> None:
        if trace is None:
            return
        problems = strace_problems(trace, allowed or self.allowed, self.cwd)
        check(not problems, f"{label}: no network, no writes outside the data folder")
        for problem in problems[:10]:
            print(f"      {problem}")

    def run(self, label: str, args: list[str], stdin: str | None = None, env: dict | None = None,
            allowed: list[Path] | None = None) -> subprocess.CompletedProcess:
        cmd, trace = self._cmd(args)
        proc = subprocess.run(cmd, input=stdin, text=True, capture_output=True, cwd=self.cwd,
                              env=env or self.env, timeout=300)
        self.audit(trace, label, allowed)
        return proc

    def gui(self, seconds: float) -> tuple[int | None, str, bool]:
        cmd, trace = self._cmd([])
        proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(seconds)
        alive = proc.poll() is None
        if alive:
            # strace passes the signal on to the traced program; signal the app itself so
            # the test means what a desktop session's SIGTERM means.
            target = _traced_child(proc.pid) if trace else proc.pid
            os.kill(target or proc.pid, signal.SIGTERM)
        try:
            _out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _out, err = proc.communicate()
            return None, err, alive
        self.audit(trace, "GUI")
        return proc.returncode, err, alive


def _traced_child(pid: int) -> int | None:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return int(children[0]) if children else None
    except OSError:
        return None


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    state = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            st = path.lstat()
            state[str(path)] = (st.st_size, st.st_mtime_ns)
    return state


def diff(before: dict, after: dict, ignore: tuple[str, ...] = ()) -> list[str]:
    changed = [p for p in after if before.get(p) != after[p] and not p.startswith(ignore)]
    removed = [p for p in before if p not in after and not p.startswith(ignore)]
    return sorted(changed + removed)


def timed(cmd: list[str], env: dict[str, str], cwd: Path, runs: int) -> tuple[float, float]:
    """(first run, median of the next ``runs``) wall-clock seconds."""
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# -- the test ----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="Smoke-test the frozen Linux app from a fresh folder.")
    parser.add_argument("--no-build", action="store_true", help="test the tarball already in packaging/dist")
    parser.add_argument("--tarball", type=Path, help="test this tarball (implies --no-build)")
    parser.add_argument("--gui-seconds", type=float, default=6.0, help="how long the app stays open")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (after a first one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    opts = parser.parse_args()
    if not sys.platform.startswith("linux"):
        raise SystemExit("smoke_test.py tests the Linux bundle; see packaging/README.md for the others")

    sys.path.insert(0, str(ROOT))
    import kb

    version = kb.__version__
    if opts.tarball is None and not opts.no_build:
        subprocess.run([sys.executable, str(HERE / "build.py")], check=True)
    tarball = opts.tarball or next(iter(sorted(DIST.glob(f"tactful-{version}-linux-*.tar.gz"))), None)
    if tarball is None or not tarball.exists():
        raise SystemExit("smoke_test.py: no tarball: run packaging/build.py (or drop --no-build)")

    tmp = Path(tempfile.mkdtemp(prefix="tactful-smoke-"))
    try:
        return run_checks(tmp, tarball, version, opts)
    finally:
        if opts.keep:
            print(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_checks(tmp: Path, tarball: Path, version: str, opts) -> int:
    home, data, cwd, traces, unpack = (tmp / n for n in ("home", "data", "cwd", "traces", "app"))
    for folder in (home, cwd, traces, unpack):
        folder.mkdir()
    with tarfile.open(tarball) as tar:
        tar.extractall(unpack, filter="tar")
    bundle = unpack / f"tactful-{version}"
    exe = bundle / "tactful"
    print(f"Unpacked {tarball.name} into {unpack}")
    check(exe.is_file() and os.access(exe, os.X_OK), "the tarball holds tactful-<version>/tactful")
    for extra in ("tactful.desktop", "install-user.sh", "README-PORTABLE.txt", "tactful.svg"):
        check((bundle / extra).is_file(), f"the tarball holds {extra}")

    # A clean environment: no Python from the build machine, an empty HOME, no XDG dirs.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "XDG_", "QT_", "TACTFUL_"))}
    env.update(HOME=str(home), TACTFUL_HOME=str(data), QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    env["PATH"] = "/usr/bin:/bin"
    app = App(exe, env, cwd, traces, allowed=[data])
    before = snapshot(home, cwd, bundle)

    print("CLI:")
    proc = app.run("--version", ["--version"])
    check(proc.returncode == 0 and proc.stdout.strip() == f"tactful {version}",
          f"--version prints 'tactful {version}' ({proc.stdout.strip()!r})")

    proc = app.run("search", ["search", "refund", "--json"])
    try:
        hits = json.loads(proc.stdout)
    except json.JSONDecodeError:
        hits = None
    check(proc.returncode == 0 and isinstance(hits, list) and bool(hits)
          and {"slug", "title", "score", "summary", "tags", "highlights"} <= set(hits[0]),
          f"search refund --json: {len(hits or [])} hits in the contract's shape" + _err(proc))

    proc = app.run("lint", ["lint", "--json", "--fail-on", "warning", "-"], stdin=RISKY_REPLY)
    try:
        report = json.loads(proc.stdout)
        categories = sorted({f["category"] for f in report[0]["findings"]})
    except (json.JSONDecodeError, LookupError, TypeError):
        categories = []
    check(proc.returncode == 1 and bool(categories),
          f"lint - with a risky reply: exit {proc.returncode}, JSON findings {categories}" + _err(proc))

    proc = app.run("show", ["show", "three-key-questions"])
    check(proc.returncode == 0 and "three key questions" in proc.stdout.lower(),
          "show three-key-questions prints the article" + _err(proc))
    check((data / "tactful.db").is_file(), "the data folder holds tactful.db")

    print("GUI (offscreen):")
    code, err, alive = app.gui(opts.gui_seconds)
    check(alive, f"the app was still running after {opts.gui_seconds:g} s")
    check(code == 0, f"SIGTERM closed it cleanly (exit status {code})")
    check(not (data / "tactful.lock").exists(), "the data-folder lock was released")
    check((data / "state.ini").is_file(), "the window state was saved on close (state.ini)")
    tracebacks = [line for line in err.splitlines() if "Traceback" in line or "Error" in line]
    check(not tracebacks, "no errors or tracebacks on stderr")
    if tracebacks:
        print("      " + "\n      ".join(err.strip().splitlines()[-8:]))

    after = snapshot(home, cwd, bundle)
    changed = diff(before, after)
    check(not changed, "nothing changed in HOME, the working folder or the app folder")
    for path in changed[:10]:
        print(f"      changed: {path}")

    print("Portable mode:")
    portable = bundle / "tactful-data"
    portable.mkdir()
    env_portable = {k: v for k, v in env.items() if k != "TACTFUL_HOME"}
    before = snapshot(home, cwd, bundle)
    proc = app.run("portable search", ["search", "refund", "--json"], env=env_portable, allowed=[portable])
    check(proc.returncode == 0 and (portable / "tactful.db").is_file(),
          "with tactful-data beside the program, the data goes there" + _err(proc))
    changed = diff(before, snapshot(home, cwd, bundle), ignore=(str(portable),))
    check(not changed, "nothing else changed (HOME, working folder, app folder)")
    shutil.rmtree(portable)

    print("Size:")
    unpacked = folder_size(bundle)
    print(f"  unpacked folder: {unpacked / 2**20:.1f} MiB; tarball: {tarball.stat().st_size / 2**20:.1f} MiB")

    print(f"Start-up times (wall clock; first run, then median of {opts.runs}):")
    timing_env = dict(env, TACTFUL_HOME=str(data))
    source = ROOT / ".venv" / "bin" / "tactful"
    source_env = dict(os.environ, HOME=str(home), TACTFUL_HOME=str(tmp / "source-data"))
    source_env.pop("QT_QPA_PLATFORM", None)
    if source.exists():
        subprocess.run([str(source), "search", "refund"], env=source_env, stdout=subprocess.DEVNULL, check=True)
    rows = [("--version", ["--version"]), ("search refund", ["search", "refund", "--json"])]
    for label, args in rows:
        frozen = timed([str(exe), *args], timing_env, cwd, opts.runs)
        line = f"  {label:<14} frozen {frozen[0] * 1000:6.0f} ms / {frozen[1] * 1000:6.0f} ms"
        if source.exists():
            src = timed([str(source), *args], source_env, cwd, opts.runs)
            line += f"   source install {src[0] * 1000:6.0f} ms / {src[1] * 1000:6.0f} ms"
        print(line)

    print()
    if failures:
        print(f"SMOKE TEST FAILED: {len(failures)} check(s):")
        for what in failures:
            print(f"  - {what}")
        return 1
    print("SMOKE TEST PASSED")
    return 0


def _err(proc: subprocess.CompletedProcess) -> str:
    if proc.returncode in (0, 1) and not proc.stderr.strip():
        return ""
    return f" [exit {proc.returncode}: {proc.stderr.strip()[-300:]}]"


if __name__ == "__main__":
    raise SystemExit(main())
