"""Typed stubs: python -m pyowned.stubgen on every test module, checked by mypy's stubtest,
pinned by golden files for two modules, and used by a client that mypy --strict checks.

stubgen itself runs on every interpreter the suite has; the checks with mypy run where mypy
is installed (the release stage on 3.11, the clang stage on 3.13). Set PYOWNED_UPDATE_GOLDEN=1 to rewrite the
golden files from the modules (then read the diff).
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import pytest

import conftest

HERE = pathlib.Path(__file__).parent
PACKAGE_DIR = HERE.parents[1] / "python"  # the pyowned Python package, in the source tree
GOLDEN = HERE / "stubs" / "golden"
GOLDEN_MODULES = ("introspection_ext", "classes_inherit_ext")
# Modules that bind a C++ type classes_cross_a_ext binds too (refused at import beside it):
# checked on their own.
ALONE = ("classes_cross_bad_ext", "classes_cross_dup_ext")

pytestmark = pytest.mark.thread_unsafe  # subprocesses writing one directory
needs_mypy = pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed here")


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PACKAGE_DIR), os.environ["PYOWNED_EXT_DIR"]])
    env.update(extra)
    return env


def _run(*args, **env):
    return subprocess.run([sys.executable, *args], env=_env(**env), capture_output=True, text=True, timeout=600)


def _modules():
    return [f + "_ext" for f in conftest._features()]


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    """The stubs of every test module, each made by its own stubgen process."""
    out = tmp_path_factory.mktemp("stubs")
    for module in _modules():
        result = _run("-m", "pyowned.stubgen", "-q", "-m", module, "-o", str(out))
        assert result.returncode == 0, f"{module}: {result.stderr}"
    return out


def _stubtest(stubs, modules):
    result = _run("-m", "mypy.stubtest", "--mypy-config-file", os.devnull, *modules, MYPYPATH=str(stubs))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_stubgen_describes_every_module(stubs):
    for module in _modules():
        made = list(stubs.glob(module + ".pyi")) + list((stubs / module).rglob("*.pyi"))
        assert made, module
        assert any("\ndef " in p.read_text() or "\nclass " in p.read_text() for p in made), module


@needs_mypy
def test_stubtest_passes_on_every_module(stubs):
    together = [m for m in _modules() if m not in ALONE]
    _stubtest(stubs, together)
    for module in ALONE:
        if module in _modules():
            _stubtest(stubs, [module])


@needs_mypy  # (the same stubs on 3.11 and 3.13, the two checked)
@pytest.mark.parametrize("module", GOLDEN_MODULES)
def test_golden_stubs(stubs, module):
    made = sorted(p.relative_to(stubs).as_posix() for p in stubs.rglob("*.pyi")
                  if p.relative_to(stubs).parts[0].split(".")[0] == module)
    assert made, f"no stub made for {module}"
    if os.environ.get("PYOWNED_UPDATE_GOLDEN"):
        for relative in made:
            target = GOLDEN / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text((stubs / relative).read_text())
    pinned = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.pyi")
                    if p.relative_to(GOLDEN).parts[0].split(".")[0] == module)
    assert made == pinned
    for relative in made:
        assert (stubs / relative).read_text() == (GOLDEN / relative).read_text(), relative


def _mypy_strict(stubs, script, tmp_path):
    return _run("-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                "--config-file", os.devnull, str(script), MYPYPATH=str(stubs))


@needs_mypy
def test_mypy_strict_accepts_a_client(stubs, tmp_path):
    result = _mypy_strict(stubs, HERE / "stubs" / "client.py", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # and the client runs as it was checked
    run = _run(str(HERE / "stubs" / "client.py"))
    assert run.returncode == 0, run.stderr
    assert run.stdout == "ok\n"


@needs_mypy
def test_mypy_strict_finds_the_clients_mistakes(stubs, tmp_path):
    """Each line of client_errors.py marked `# error: <code>` is reported with that code, and
    nothing else is: the stubs' types are what makes these errors."""
    script = HERE / "stubs" / "client_errors.py"
    marked = (re.search(r"  # error: ([a-z-]+)$", line) for line in script.read_text().splitlines())
    expected = {(i, m.group(1)) for i, m in enumerate(marked, 1) if m}
    result = _mypy_strict(stubs, script, tmp_path)
    reported = set()
    for line in result.stdout.splitlines():
        if ": error: " in line:
            where, message = line.split(": error: ", 1)
            reported.add((int(where.rsplit(":", 1)[1]), message.rsplit("[", 1)[1].rstrip("]")))
    assert reported == expected, result.stdout


# --- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "module, message",
    [
        ("json", "pyowned.stubgen: 'json' is not a pyowned extension module (nothing in it was bound by pyowned)\n"),
        ("no_such_module_here", "pyowned.stubgen: cannot import 'no_such_module_here': ModuleNotFoundError: "
                                "No module named 'no_such_module_here'\n"),
    ],
)
def test_stubgen_refuses_in_one_line(tmp_path, module, message):
    result = _run("-m", "pyowned.stubgen", "-m", module, "-o", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == message
    assert result.stdout == ""
    assert not list(tmp_path.iterdir())


def test_stubgen_reports_a_failing_import_in_one_line(tmp_path):
    (tmp_path / "broken_mod.py").write_text("raise RuntimeError('no luck\\nat all')\n")
    result = _run("-m", "pyowned.stubgen", "-m", "broken_mod", "-o", str(tmp_path / "out"),
                  PYTHONPATH=os.pathsep.join([str(PACKAGE_DIR), str(tmp_path)]))
    assert result.returncode == 1
    assert result.stderr == "pyowned.stubgen: cannot import 'broken_mod': RuntimeError: no luck at all\n"
    assert "Traceback" not in result.stderr


def test_stubgen_usage_errors_exit_2(tmp_path):
    for args in ([], ["--bogus"], ["-m"]):
        result = _run("-m", "pyowned.stubgen", *args)
        assert result.returncode == 2, args
        assert result.stderr.startswith("usage: python -m pyowned.stubgen"), args


@needs_mypy
def test_the_pyowned_package_passes_mypy_strict(tmp_path):
    result = _run("-m", "mypy", "--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"),
                  "--config-file", os.devnull, str(PACKAGE_DIR / "pyowned"))
    assert result.returncode == 0, result.stdout + result.stderr
