"""Shared setup for pyowned's Python-side tests.

The extension modules under test (ext/<feature>_ext.cpp) are built by CMake into one
directory, which must be given as the environment variable PYOWNED_EXT_DIR:

    PYOWNED_EXT_DIR=<build>/modules python3 -m pytest tests/python

(<build>/ext_dir.txt holds that path.) The modules are built for one interpreter: run
pytest with the interpreter CMake found (Python_EXECUTABLE). A build of some modules only
(as the ThreadSanitizer stage makes) names them in PYOWNED_EXT_FEATURES, e.g.
"refcount callbacks": then only those must be there (name the test files that use them).
"""

import gc
import glob
import importlib.machinery
import os
import sys
import sysconfig

import pytest

FEATURES = (
    "params", "errors", "overloads", "introspection", "refcount", "views",
    "classes_ops", "classes_inherit", "classes_gc", "classes_borrow", "classes_cross_a", "classes_cross_b",
    "classes_cross_bad", "classes_cross_local", "classes_cross_dup", "conversions", "signatures", "enums", "callbacks", "classes_pickle", "classes_convert", "classes_iter", "classes_virtual", "arrays",
    "bad_input",
)


def _features():
    chosen = os.environ.get("PYOWNED_EXT_FEATURES", "").split()
    unknown = sorted(set(chosen) - set(FEATURES))
    if unknown:
        raise pytest.UsageError(f"PYOWNED_EXT_FEATURES names no test module: {' '.join(unknown)}")
    return chosen or FEATURES


def _extension_dir():
    ext_dir = os.environ.get("PYOWNED_EXT_DIR", "").strip()
    if not ext_dir:
        raise pytest.UsageError(
            "PYOWNED_EXT_DIR is not set (or empty): set it to the directory CMake built the "
            "test extension modules into, e.g. PYOWNED_EXT_DIR=<build>/modules "
            "(see <build>/ext_dir.txt)"
        )
    ext_dir = os.path.abspath(ext_dir)
    if not os.path.isdir(ext_dir):
        raise pytest.UsageError(f"PYOWNED_EXT_DIR={ext_dir} is not a directory")
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    missing = [
        f for f in _features()
        if not any(os.path.exists(os.path.join(ext_dir, f"{f}_ext{s}")) for s in suffixes)
    ]
    if missing:
        found = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ext_dir, "*_ext*")))
        raise pytest.UsageError(
            f"PYOWNED_EXT_DIR={ext_dir} has no module {', '.join(m + '_ext' for m in missing)} "
            f"for this interpreter ({sys.executable}, suffixes {suffixes}); found {found}. "
            "Build with -DPython_EXECUTABLE set to this interpreter, or run pytest with the "
            "interpreter the modules were built for."
        )
    return ext_dir


def stable_abi(module):
    """Whether `module` is a stable-ABI build (pyowned_add_module(... STABLE_ABI)): the abi3
    stage's. Its classes are mutable (the limited API cannot write a type's slots after
    making it, so pyowned sets methods as a class statement does)."""
    return module.__file__.endswith(".abi3" + (".pyd" if sys.platform == "win32" else ".so"))


def pytest_configure(config):
    # pytest-run-parallel runs each test on several threads at once (free-threaded builds);
    # tests that measure reference counts or memory, or share mutable state, opt out.
    config.addinivalue_line("markers", "thread_unsafe: not run on several threads at once")
    # The tests that run code on threads of their own: the ThreadSanitizer stage runs these.
    config.addinivalue_line("markers", "threads: runs code on several threads (-m threads)")
    ext_dir = _extension_dir()
    if ext_dir not in sys.path:
        sys.path.insert(0, ext_dir)
    # the pyowned Python package of this source tree (its stubgen), for the tests that read it
    package_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "python")
    sys.path.append(os.path.normpath(package_dir))


def pytest_sessionfinish(session, exitstatus):
    # On a free-threaded build, importing pyowned modules must not turn the GIL back on
    # (they declare Py_mod_gil = Py_MOD_GIL_NOT_USED): fail the run if it did.
    if sysconfig.get_config_var("Py_GIL_DISABLED") and sys._is_gil_enabled():
        imported = sorted(name for name in sys.modules if name.endswith("_ext"))
        print(f"\nFAILED: the GIL was enabled after importing {imported}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config):
    debug = " (debug build)" if hasattr(sys, "gettotalrefcount") else ""
    return [
        f"python: {sys.executable} {sys.version.split()[0]}{debug}",
        f"PYOWNED_EXT_DIR: {os.environ.get('PYOWNED_EXT_DIR', '')}",
    ]


@pytest.fixture
def cpython_error():
    """The TypeError message CPython itself gives for calling a pure-Python function named
    `name` with the text signature `signature` (e.g. "(a, b=1)") with args and kwargs.
    The reference for argument-matching errors: pyowned words them as CPython does."""

    def message(name, signature, args=(), kwargs=None):
        namespace = {}
        # `...` (a default with no literal form) is valid Python for the reference function.
        exec(f"def {name}{signature}:\n    pass\n", namespace)
        try:
            namespace[name](*args, **(kwargs or {}))
        except TypeError as e:
            return str(e)
        raise AssertionError(f"{name}{signature} accepted args={args!r} kwargs={kwargs!r}")

    return message


def assert_total_refcount_stable(name, fn, batch=10**4):
    """On a debug interpreter: calling fn() `batch` times leaves sys.gettotalrefcount() where it
    was (within 10, for caches), in one of three batches after a warm-up batch."""
    for _ in range(batch):
        fn()  # warm-up
    deltas = []
    for _ in range(3):
        gc.collect()
        before = sys.gettotalrefcount()
        for _ in range(batch):
            fn()
        gc.collect()
        deltas.append(sys.gettotalrefcount() - before)
        if abs(deltas[-1]) <= 10:
            return
    pytest.fail(f"{name}: total refcount changed by {deltas} over batches of {batch} calls")


@pytest.fixture
def total_refcount_stable():
    """check(run): on a debug interpreter, run(1000) must leave sys.gettotalrefcount() where it
    was, collections aside (up to 3 batches, as test_refcount measures); a no-op elsewhere."""

    def check(run):
        if not hasattr(sys, "gettotalrefcount"):
            return
        deltas = []
        for _ in range(3):
            gc.collect()
            total = sys.gettotalrefcount()
            run(10**3)
            gc.collect()
            deltas.append(sys.gettotalrefcount() - total)
            if abs(deltas[-1]) <= 10:
                return
        pytest.fail(f"total refcount changed by {deltas} over batches of 1000 calls")

    return check
