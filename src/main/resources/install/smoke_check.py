# Looks at our package as pip installed it into a --target folder, run with -I -S so that nothing but the standard
# library and that folder is importable: the files and exec bits of the bundled executables, the tags pip
# installed, what the sources say without running them (every module compiles, every import of our own modules
# finds its file, the __version__ literal), and then the import itself, whose failure is told apart: one of our
# own modules missing, a module of another distribution missing (a dependency that is not there), anything else.
#
# argv: target folder, import package, distribution name, JSON list of executables (paths inside the target).
# Output: one line "SMOKE <json>".
import ast
import importlib
import importlib.metadata as metadata
import json
import os
import re
import site
import sys

target, package, distribution, executables = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
site.addsitedir(target)


def normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def executable_state(path):
    path = os.path.join(target, path)
    if not os.path.isfile(path):
        return "missing"
    return "ok" if os.access(path, os.X_OK) else "not executable"


def module_file_exists(dotted):
    base = os.path.join(target, *dotted.split("."))
    if os.path.isdir(base) or os.path.isfile(base + ".py"):
        return True
    folder, stem = os.path.split(base)
    return os.path.isdir(folder) and any(
        f.startswith(stem + ".") and f.endswith((".so", ".pyd")) for f in os.listdir(folder))


def guarded(handlers):
    """An import inside try/except ImportError (or broader) is optional by the author's own choice."""
    for handler in handlers:
        names = [] if handler.type is None else [n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)]
        if handler.type is None or {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"} & set(names):
            return True
    return False


def own_imports(tree, in_package):
    """(line, module) for every import of this package's own modules outside an optional-import guard."""
    found = []

    def visit(node, optional):
        if isinstance(node, ast.Try):
            for child in node.body:
                visit(child, optional or guarded(node.handlers))
            for child in node.handlers + node.orelse + node.finalbody:
                visit(child, optional)
            return
        if not optional and isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif not optional and isinstance(node, ast.ImportFrom):
            if node.level:
                parts = in_package.split(".")
                name = ".".join(parts[:len(parts) - (node.level - 1)] + [node.module or ""])
            else:
                name = node.module or ""
            if node.module:
                found.append((node.lineno, name))
        for child in ast.iter_child_nodes(node):
            visit(child, optional)

    visit(tree, False)
    return [(line, name) for line, name in found if name.split(".")[0] == package]


def read_sources():
    problems, literals = [], {}
    root = os.path.join(target, package)
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, target)
            parts = relative[:-3].split(os.sep)
            in_package = ".".join(parts[:-1])
            try:
                with open(path, "rb") as f:
                    tree = ast.parse(f.read(), relative)
            except SyntaxError as e:
                problems.append("%s does not compile: %s (line %s)" % (relative, e.msg, e.lineno))
                continue
            for line, imported in own_imports(tree, in_package):
                if not module_file_exists(imported):
                    problems.append("%s line %d imports %s, which the wheel does not hold" % (relative, line, imported))
            if relative == os.path.join(package, "__init__.py"):
                for node in tree.body:
                    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                            and isinstance(node.value.value, str):
                        for t in node.targets:
                            if isinstance(t, ast.Name) and t.id in ("__version__", "__core_version__"):
                                literals[t.id] = node.value.value
    return problems, literals


report = {"installed": sorted(normalized(d.metadata["Name"]) for d in metadata.distributions(path=[target])
                              if d.metadata["Name"])}
try:
    wheel = metadata.distribution(distribution).read_text("WHEEL") or ""
    report["tags"] = [l.split(":", 1)[1].strip() for l in wheel.splitlines() if l.startswith("Tag:")]
except metadata.PackageNotFoundError:
    report["tags"] = []
report["executables"] = {e: executable_state(e) for e in executables}
report["problems"], report["literals"] = read_sources()
try:
    imported = importlib.import_module(package)
    report["import"] = {"ok": True, "version": getattr(imported, "__version__", None),
                        "core_version": getattr(imported, "__core_version__", None)}
except ModuleNotFoundError as e:
    report["import"] = {"ok": False, "missing": e.name, "error": "%s: %s" % (type(e).__name__, e)}
except BaseException as e:  # noqa: BLE001 -- whatever the import raises is the finding
    report["import"] = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
sys.stdout.write("SMOKE " + json.dumps(report) + "\n")
