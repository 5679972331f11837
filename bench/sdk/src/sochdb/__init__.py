"""SochDB Python SDK."""
import os
import platform
import sys

__version__ = "0.0.1"

_HERE = os.path.dirname(os.path.abspath(__file__))


def _triple():
    machine = platform.machine().lower()
    if sys.platform.startswith("linux") and machine in ("x86_64", "amd64"):
        return "x86_64-unknown-linux-gnu"
    if sys.platform == "darwin" and machine in ("arm64", "aarch64"):
        return "aarch64-apple-darwin"
    if sys.platform == "win32" and machine in ("amd64", "x86_64"):
        return "x86_64-pc-windows-msvc"
    raise RuntimeError("unsupported platform: %s %s" % (sys.platform, machine))


def bin_path(name):
    """Path of the bundled executable `name` for the running platform."""
    if sys.platform == "win32" and not name.endswith(".exe"):
        name += ".exe"
    return os.path.join(_HERE, "_bin", _triple(), name)


def lib_dir():
    """Folder of the bundled native libraries for the running platform."""
    return os.path.join(_HERE, "lib", _triple())


from .database import Database  # noqa: E402

__all__ = ["Database", "bin_path", "lib_dir", "__version__"]
