"""Build the offline Tactful app with PyInstaller, and on Linux the tarball users unpack.

    .venv/bin/pip install -e '.[build]'        # PyInstaller, once
    .venv/bin/python packaging/build.py        # -> packaging/dist/

Linux: ``packaging/dist/tactful/`` (one folder) and
``packaging/dist/tactful-<version>-linux-x86_64.tar.gz`` holding ``tactful-<version>/``
with the program, ``tactful.desktop``, the icon, ``install-user.sh`` and
``README-PORTABLE.txt``. Windows: ``packaging\\dist\\tactful\\`` (then Inno Setup, see
README.md). macOS: ``packaging/dist/Tactful.app``. Sizes are printed at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = HERE / "dist"
WORK = HERE / "build"
ICONS = WORK / "icons"
LINUX_EXTRAS = ("linux/tactful.desktop", "linux/install-user.sh", "linux/README-PORTABLE.txt")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    import kb

    return kb.__version__


def platform_tag() -> str:
    system = {"linux": "linux", "win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}.get(machine, machine)
    return f"{system}-{machine}"


def render_icons() -> None:
    """PNG (256 px) and ICO renderings of icons/tactful.svg, for the spec and the tarball."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - painting needs one
    ICONS.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(HERE.parent / "resources" / "icons" / "tactful.svg"))
    for size, name, fmt in ((256, "tactful.png", "PNG"), (256, "tactful.ico", "ICO")):
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        if not image.save(str(ICONS / name), fmt):
            print(f"build.py: note: could not write {name} (no {fmt} image plugin)", file=sys.stderr)


def run_pyinstaller(clean: bool) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("build.py: PyInstaller is missing: .venv/bin/pip install -e '.[build]'") from None
    cmd = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(WORK), str(HERE / "tactful.spec"),
    ]
    if clean:
        cmd.insert(3, "--clean")
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def add_linux_extras(folder: Path) -> None:
    for rel in LINUX_EXTRAS:
        shutil.copy2(HERE / rel, folder / Path(rel).name)
    shutil.copy2(HERE.parent / "resources" / "icons" / "tactful.svg", folder / "tactful.svg")
    if (ICONS / "tactful.png").exists():
        shutil.copy2(ICONS / "tactful.png", folder / "tactful.png")
    shutil.copy2(ROOT / "LICENSE", folder / "LICENSE")


def make_tarball(folder: Path, ver: str) -> Path:
    top = f"tactful-{ver}"
    out = DIST / f"{top}-{platform_tag()}.tar.gz"

    def normalise(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    with tarfile.open(out, "w:gz", compresslevel=9) as tar:
        for path in sorted(folder.rglob("*")):
            if "tactful-data" in path.relative_to(folder).parts:
                continue  # a portable data folder left from a test run is never shipped
            tar.add(path, arcname=f"{top}/{path.relative_to(folder).as_posix()}", recursive=False,
                    filter=normalise)
    return out


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the offline Tactful app.")
    parser.add_argument("--skip-pyinstaller", action="store_true", help="reuse packaging/dist/tactful")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    opts = parser.parse_args()
    ver = version()
    if not opts.skip_pyinstaller:
        render_icons()
        run_pyinstaller(opts.clean)
    folder = DIST / "tactful"
    if not folder.is_dir():
        raise SystemExit(f"build.py: {folder} is missing: build without --skip-pyinstaller")
    print(f"Tactful {ver}: {folder} is {mib(folder_size(folder))} unpacked")
    if sys.platform.startswith("linux"):
        add_linux_extras(folder)
        tarball = make_tarball(folder, ver)
        print(f"{tarball} is {mib(tarball.stat().st_size)}")
    elif sys.platform == "win32":
        shutil.copy2(HERE / "windows" / "README-WINDOWS.txt", folder / "README-WINDOWS.txt")
        shutil.copy2(ROOT / "LICENSE", folder / "LICENSE.txt")
        archive = shutil.make_archive(str(DIST / f"tactful-{ver}-{platform_tag()}"), "zip", DIST, "tactful")
        print(f"{archive} (portable zip) is {mib(Path(archive).stat().st_size)}")
        print(f"Next, the per-user installer: iscc /DAppVersion={ver} packaging\\windows\\installer.iss")
    elif sys.platform == "darwin":
        print("macOS: packaging/dist/Tactful.app (see packaging/README.md to sign and make a .dmg)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
