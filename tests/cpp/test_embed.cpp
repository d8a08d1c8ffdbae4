// Embedding: py::import, py::eval, py::run (namespaces, errors), and the interpreter main.cpp made (sys.prefix, venv).
#include "harness.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

PYOWNED_TEST(Embed, Import) {
    py::Owned<py::Module> json = py::import(py, "json");
    EXPECT_EQ(json.getattr("__name__").extract<std::string>(), "json");
    auto text = json.call_method("dumps", py::List::from(py, std::vector<int>{1, 2}));
    EXPECT_EQ(text.extract<std::string>(), "[1, 2]");
}

PYOWNED_TEST(Embed, ImportDotted) {
    auto path = py::import(py, "os.path");
    EXPECT_EQ(path.getattr("__name__").extract<std::string>(),
              py::import(py, "os").getattr("path").getattr("__name__").extract<std::string>());
    EXPECT_EQ(path.call_method("join", "a", "b").extract<std::string>(), "a/b");
}

PYOWNED_TEST(Embed, ImportIsCached) {
    auto first = py::import(py, "collections");
    auto second = py::import(py, "collections");
    EXPECT_TRUE(first.is(second));
}

PYOWNED_TEST(Embed, ImportMissing) {
    EXPECT_PY_ERROR((void)py::import(py, "no_such_module_pyowned"), py::ImportError,
                    "No module named 'no_such_module_pyowned'");
    EXPECT_PY_ERROR((void)py::import(py, "json.no_such_submodule"), py::ImportError,
                    "No module named 'json.no_such_submodule'");
}

PYOWNED_TEST(Embed, ImportRaising) {
    // An error raised while a module executes reaches the caller as itself.
    auto sys = py::import(py, "sys");
    py::run(py,
            "import importlib.abc, importlib.util, sys\n"
            "class Loader(importlib.abc.Loader):\n"
            "    def create_module(self, spec): return None\n"
            "    def exec_module(self, module): raise ValueError('broken on import')\n"
            "class Finder(importlib.abc.MetaPathFinder):\n"
            "    def find_spec(self, name, path, target=None):\n"
            "        if name == 'pyowned_broken':\n"
            "            return importlib.util.spec_from_loader(name, Loader())\n"
            "finder = Finder()\n"
            "sys.meta_path.insert(0, finder)\n",
            py::Dict::empty(py));
    EXPECT_PY_ERROR((void)py::import(py, "pyowned_broken"), py::ValueError, "broken on import");
    // leave sys.meta_path as it was
    py::run(py, "import sys\nsys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != 'Finder']\n");
    EXPECT_FALSE(sys.getattr("modules").contains("pyowned_broken"));
}

PYOWNED_TEST(Embed, EvalExpression) {
    auto three = py::eval(py, "1 + 2");
    static_assert(std::is_same_v<decltype(three), py::Owned<py::Any>>);
    EXPECT_EQ(three.extract<int>(), 3);
    EXPECT_EQ(py::eval(py, "'a' * 3").extract<std::string>(), "aaa");
    EXPECT_EQ(py::eval(py, "len([1, 2, 3])").extract<int>(), 3);  // builtins are there
}

PYOWNED_TEST(Embed, EvalSyntaxError) {
    EXPECT_PY_ERROR((void)py::eval(py, "1 +"), py::SyntaxError, "invalid syntax");
    EXPECT_PY_ERROR((void)py::eval(py, "x = 1"), py::SyntaxError, "SyntaxError");  // a statement is no expression
}

PYOWNED_TEST(Embed, EvalNameErrorInFreshNamespace) {
    EXPECT_PY_ERROR((void)py::eval(py, "undefined_name_pyowned"), py::NameError,
                    "name 'undefined_name_pyowned' is not defined");
    // names defined by an earlier run without globals are not visible to a later eval
    py::run(py, "defined_earlier_pyowned = 1");
    EXPECT_PY_ERROR((void)py::eval(py, "defined_earlier_pyowned"), py::NameError,
                    "name 'defined_earlier_pyowned' is not defined");
}

PYOWNED_TEST(Embed, EvalWithGlobals) {
    auto globals = py::Dict::empty(py);
    globals.set_item("x", 20);
    EXPECT_EQ(py::eval(py, "x + 1", globals).extract<int>(), 21);
    EXPECT_EQ(py::eval(py, "len('abc') + x", globals).extract<int>(), 23);  // builtins are added
    EXPECT_PY_ERROR((void)py::eval(py, "y", globals), py::NameError, "name 'y' is not defined");
}

PYOWNED_TEST(Embed, EvalWithGlobalsAndLocals) {
    auto globals = py::Dict::empty(py);
    auto locals = py::Dict::empty(py);
    globals.set_item("x", 1);
    globals.set_item("y", 10);
    locals.set_item("x", 2);
    EXPECT_EQ(py::eval(py, "x", globals, locals).extract<int>(), 2);  // locals first
    EXPECT_EQ(py::eval(py, "x + y", globals, locals).extract<int>(), 12);
    EXPECT_EQ(py::eval(py, "x", globals).extract<int>(), 1);
}

PYOWNED_TEST(Embed, EvalResultIsOwned) {
    // The result is the caller's only reference: dropping it frees the object.
    auto ns = py::Dict::empty(py);
    py::run(py, "import weakref\nclass C: pass\n", ns);
    py::Borrowed<py::Dict> globals = ns;
    {
        auto obj = py::eval(py, "C()", globals);
        EXPECT_EQ(pyowned_test::refcnt(obj), 1);
        ns.set_item("ref", py::import(py, "weakref").call_method("ref", obj));
    }
    EXPECT_TRUE(py::eval(py, "ref() is None", ns).is_truthy());
}

PYOWNED_TEST(Embed, RunDefinesNames) {
    auto globals = py::Dict::empty(py);
    py::run(py,
            "def double(a):\n"
            "    return a * 2\n"
            "y = double(21)\n"
            "class Point:\n"
            "    def __init__(self, x): self.x = x\n",
            globals);
    EXPECT_EQ(globals.get_item("y").extract<int>(), 42);
    EXPECT_EQ(globals.get_item("double").call(5).extract<int>(), 10);
    EXPECT_EQ(globals.get_item("Point").call(3).getattr("x").extract<int>(), 3);
    py::run(py, "z = y + 1", globals);  // a later run sees the earlier names
    EXPECT_EQ(globals.get_item("z").extract<int>(), 43);
}

PYOWNED_TEST(Embed, RunWithLocals) {
    auto globals = py::Dict::empty(py);
    auto locals = py::Dict::empty(py);
    globals.set_item("base", 100);
    py::run(py, "value = base + 1", globals, locals);
    EXPECT_EQ(locals.get_item("value").extract<int>(), 101);
    EXPECT_FALSE(globals.contains("value"));
}

PYOWNED_TEST(Embed, RunWithMappingLocals) {
    // locals may be any mapping, not only a dict
    auto globals = py::Dict::empty(py);
    auto user_dict = py::eval(py, "__import__('collections').UserDict(seed=5)");
    py::Borrowed<py::Mapping> locals = user_dict.downcast<py::Mapping>();
    py::run(py, "grown = seed * 2", globals, locals);
    EXPECT_EQ(user_dict.get_item("grown").extract<int>(), 10);
    EXPECT_EQ(py::eval(py, "seed + 1", globals, locals).extract<int>(), 6);
}

PYOWNED_TEST(Embed, RunRaises) {
    EXPECT_PY_ERROR(py::run(py, "raise ValueError('bad thing')"), py::ValueError, "ValueError: bad thing");
    EXPECT_PY_ERROR(py::run(py, "{}['missing']"), py::KeyError, "KeyError: 'missing'");
    EXPECT_PY_ERROR(py::run(py, "class MyLookup(LookupError): pass\nraise MyLookup('mine')"), py::LookupError,
                    "MyLookup: mine");
    EXPECT_PY_ERROR(py::run(py, "if True\n    pass"), py::SyntaxError, "expected ':'");
}

PYOWNED_TEST(Embed, RunRaisesInGlobals) {
    // The statements before the error took effect; the error is the one raised.
    auto globals = py::Dict::empty(py);
    EXPECT_PY_ERROR(py::run(py, "a = 1\nb = 1 / 0\nc = 2", globals), py::ZeroDivisionError, "division by zero");
    EXPECT_EQ(globals.get_item("a").extract<int>(), 1);
    EXPECT_FALSE(globals.contains("b"));
    EXPECT_FALSE(globals.contains("c"));
}

PYOWNED_TEST(Embed, RunErrorIsCatchable) {
    try {
        py::run(py, "raise OSError(2, 'gone')");
        ADD_FAILURE() << "no exception";
    } catch (const py::Error& e) {
        EXPECT_TRUE(e.matches<py::OSError>(py));
        EXPECT_FALSE(e.matches<py::ValueError>(py));
        EXPECT_EQ(e.value(py).getattr("errno").extract<int>(), 2);
    }
    EXPECT_FALSE(PyErr_Occurred());
}

PYOWNED_TEST(Embed, RunFreshNamespaceDoesNotLeak) {
    py::run(py, "leaked_name_pyowned = 1\nimport textwrap as leaked_module_pyowned");
    auto main = py::import(py, "__main__");
    EXPECT_FALSE(main.hasattr("leaked_name_pyowned"));
    EXPECT_FALSE(main.hasattr("leaked_module_pyowned"));
    auto builtins = py::import(py, "builtins");
    EXPECT_FALSE(builtins.hasattr("leaked_name_pyowned"));
    EXPECT_PY_ERROR((void)py::eval(py, "leaked_name_pyowned"), py::NameError, "leaked_name_pyowned");
}

PYOWNED_TEST(Embed, RunInMainNamespace) {
    // Running in __main__'s dict on purpose is possible, and visible there.
    auto main = py::import(py, "__main__");
    auto globals = main.getattr("__dict__").downcast_into<py::Dict>();
    py::run(py, "main_name_pyowned = 5", globals);
    EXPECT_EQ(main.getattr("main_name_pyowned").extract<int>(), 5);
    main.delattr("main_name_pyowned");
}

PYOWNED_TEST(Embed, InterpreterPrefix) {
    auto sys = py::import(py, "sys");
    auto os = py::import(py, "os");
    auto path = os.getattr("path");
    std::string prefix = sys.getattr("prefix").extract<std::string>();
    std::string base_prefix = sys.getattr("base_prefix").extract<std::string>();
    ASSERT_FALSE(prefix.empty());
    EXPECT_TRUE(path.call_method("isdir", prefix).is_truthy()) << prefix;
    // the standard library came from the base installation
    std::string os_file = os.getattr("__file__").extract<std::string>();
    EXPECT_EQ(os_file.rfind(base_prefix, 0), 0u) << os_file << " is not under " << base_prefix;
    const char* venv = std::getenv("VIRTUAL_ENV");
    if (venv && *venv) {
        // inside a venv (Embed.VirtualEnvHonoured runs this test there): sys.prefix is the
        // venv, and its site-packages is on sys.path
        std::string root = path.call_method("realpath", venv).extract<std::string>();
        EXPECT_EQ(path.call_method("realpath", prefix).extract<std::string>(), root);
        auto packages = py::import(py, "site").call_method("getsitepackages").downcast_into<py::List>();
        ASSERT_GE(packages.len(), 1);
        EXPECT_EQ(path.call_method("realpath", packages.get_item(0)).extract<std::string>().rfind(root, 0), 0u)
            << packages.repr().to_string();
        EXPECT_TRUE(sys.getattr("path").contains(packages.get_item(0))) << sys.getattr("path").repr().to_string();
    } else {
        EXPECT_EQ(prefix, base_prefix);
    }
}

PYOWNED_TEST(Embed, InterpreterExecutable) {
    auto sys = py::import(py, "sys");
    auto path = py::import(py, "os").getattr("path");
    std::string executable = sys.getattr("executable").extract<std::string>();
    // CPython may leave it empty when it cannot tell; when set, it names a file that exists
    if (!executable.empty()) {
        EXPECT_TRUE(path.call_method("isabs", executable).is_truthy()) << executable;
        EXPECT_TRUE(path.call_method("exists", executable).is_truthy()) << executable;
    }
    const char* venv = std::getenv("VIRTUAL_ENV");
    if (venv && *venv) {
        std::string dir = path.call_method("dirname", executable).extract<std::string>();
        EXPECT_EQ(path.call_method("realpath", dir).extract<std::string>(),
                  path.call_method("realpath", std::string(venv) + "/bin").extract<std::string>());
    }
}

PYOWNED_TEST(Embed, InterpreterIsInitialized) {
    EXPECT_TRUE(Py_IsInitialized());
    auto sys = py::import(py, "sys");
    EXPECT_TRUE(sys.getattr("modules").contains("__main__"));
    EXPECT_GE(sys.getattr("version_info").getattr("major").extract<int>(), 3);
}

namespace {

// The output and exit status of a shell command.
std::pair<std::string, int> capture(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return {out, -1};
    std::array<char, 4096> buffer;
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    return {out, pclose(pipe)};
}

// A venv made once per process by a python of the same installation as this interpreter
// (so its `home` is this interpreter's), removed at exit. `dir` is empty when it cannot be made.
struct TempVenv {
    std::filesystem::path dir;
    std::string error;

    explicit TempVenv(py::Python py) {
        auto sys = py::import(py, "sys");
        auto version = sys.getattr("version_info");
        std::string minor = std::to_string(version.getattr("major").extract<int>()) + "." +
                            std::to_string(version.getattr("minor").extract<int>());
        std::filesystem::path base = sys.getattr("base_prefix").extract<std::string>();
        std::filesystem::path python = base / "bin" / ("python" + minor);
        if (!std::filesystem::exists(python)) {
            error = python.string() + " not found";
            return;
        }
        std::filesystem::path target =
            std::filesystem::temp_directory_path() / ("pyowned_venv_" + std::to_string(::getpid()));
        std::filesystem::remove_all(target);
        auto [output, status] = py.detach(
            [&] { return capture("'" + python.string() + "' -m venv --without-pip '" + target.string() + "' 2>&1"); });
        if (status == 0) {
            dir = target;
        } else {
            error = "venv failed: " + output;
            std::filesystem::remove_all(target);
        }
    }
    TempVenv(const TempVenv&) = delete;
    TempVenv& operator=(const TempVenv&) = delete;
    ~TempVenv() {
        std::error_code ignored;
        if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
    }
};

}  // namespace

PYOWNED_TEST(Embed, VirtualEnvHonoured) {
    // A fresh process is needed: this test program runs itself with VIRTUAL_ENV set, and the
    // Interpreter tests above check sys.prefix, sys.executable and sys.path against it there.
    if (const char* active = std::getenv("VIRTUAL_ENV"); active && *active) GTEST_SKIP() << "already inside a venv";
    static const TempVenv venv(py);
    if (venv.dir.empty()) GTEST_SKIP() << venv.error;
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    auto [output, status] = py.detach([&] {
        return capture("PYOWNED_LEAK_CHECK=0 VIRTUAL_ENV='" + venv.dir.string() + "' '" + self +
                       "' --gtest_filter=Embed.InterpreterPrefix:Embed.InterpreterExecutable 2>&1");
    });
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("[  PASSED  ] 2 tests."), std::string::npos) << output;
}
