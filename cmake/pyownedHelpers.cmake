# CMake helpers for pyowned consumers; included by pyownedConfig.cmake and by pyowned's
# own CMakeLists.txt after find_package(Python ... Development.Module).
include_guard(GLOBAL)

# The extension-module filename tag (e.g. cpython-311-x86_64-linux-gnu) of the Python that
# was found. Kept as a global property: FindPython's variables and imported targets are
# directory-scoped, and a project that add_subdirectory()s pyowned calls
# pyowned_add_module from its own directories, where they are not visible.
if(DEFINED Python_SOABI)
    set_property(GLOBAL PROPERTY PYOWNED_PYTHON_SOABI "${Python_SOABI}")
endif()
if(DEFINED Python_VERSION)
    set_property(GLOBAL PROPERTY PYOWNED_PYTHON_VERSION "${Python_VERSION}")
endif()

# pyowned_add_module(<name> [HEADER_ONLY] [STUBS] [STABLE_ABI] <sources>...)
#
# Builds the Python extension module <name> for the interpreter FindPython selected,
# linked to pyowned's compiled core (pyowned_core, below) and so to pyowned::pyowned and
# Python::Module, not to libpython: the importing interpreter provides it. The file is
# named like CPython's own extensions, e.g.
# <name>.cpython-311-x86_64-linux-gnu.so, and exports only its PyInit_<name> function;
# it is optimized (-O2 when no build type is set) and stripped in Release builds.
#
# HEADER_ONLY compiles pyowned's shared code into this module instead of linking the core:
# for a project of one module (the core is worth building when several share it), or one
# whose module needs flags the core was not built with.
#
# STUBS writes the module's typed stubs (python -m pyowned.stubgen) beside it after each
# build: <name>.pyi, or a directory <name>/ of them for a module with submodules. It imports
# the module with the interpreter FindPython found (Python_EXECUTABLE), so the module must be
# importable on the build machine (not a cross-compiled or sanitizer build). Install the stub
# with the module, e.g. install(FILES $<TARGET_FILE_DIR:name>/name.pyi DESTINATION .).
#
# STABLE_ABI builds an abi3 module (<name>.abi3.so) with Py_LIMITED_API=0x030C0000: it uses
# only CPython's limited API, and one build runs on CPython 3.12 and every later 3.x. It
# links a second compiled core (pyowned_core_abi3) built the same way. The interpreter found
# must be CPython 3.12 or newer and not free-threaded (which has no stable ABI). Embedding
# and py::Class::def_buffer are not available in it; its classes are mutable to Python code
# (docs/stable-abi.md).
function(pyowned_add_module name)
    cmake_parse_arguments(PARSE_ARGV 1 _arg "HEADER_ONLY;STUBS;STABLE_ABI" "" "")
    if(NOT _arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "pyowned_add_module(${name}): no source files given")
    endif()
    if(_arg_STABLE_ABI)
        _pyowned_check_stable_abi(${name})
    endif()
    add_library(${name} MODULE ${_arg_UNPARSED_ARGUMENTS})
    if(_arg_HEADER_ONLY)
        target_link_libraries(${name} PRIVATE pyowned::pyowned)
    elseif(_arg_STABLE_ABI)
        _pyowned_core_library(pyowned_core_abi3 Py_LIMITED_API=0x030C0000)
        target_link_libraries(${name} PRIVATE pyowned_core_abi3)
    else()
        _pyowned_core_library(pyowned_core "")
        target_link_libraries(${name} PRIVATE pyowned_core)
    endif()

    if(WIN32)
        set(_suffix ".pyd")
    else()
        set(_suffix "${CMAKE_SHARED_MODULE_SUFFIX}")
    endif()
    get_property(_soabi GLOBAL PROPERTY PYOWNED_PYTHON_SOABI)
    if(_arg_STABLE_ABI)
        # CPython 3.12+ looks for <name>.abi3.so after its own tag (EXTENSION_SUFFIXES)
        target_compile_definitions(${name} PRIVATE Py_LIMITED_API=0x030C0000)
        set(_suffix ".abi3${_suffix}")
    elseif(_soabi)
        set(_suffix ".${_soabi}${_suffix}")
    endif()
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        SUFFIX "${_suffix}"
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
    if(NOT MSVC)
        # An extension is optimized even when the build type is left empty (CMake then adds
        # no flags at all), and Release / MinSizeRel builds are stripped of symbols.
        get_property(_multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
        if(NOT _multi AND NOT CMAKE_BUILD_TYPE)
            target_compile_options(${name} PRIVATE -O2)
            target_compile_definitions(${name} PRIVATE NDEBUG)
        endif()
        if(NOT APPLE)
            target_link_options(${name} PRIVATE $<$<CONFIG:Release,MinSizeRel>:-s>)
        endif()
        # The core's functions are in sections of their own: the linker keeps those this
        # module uses (a module of functions does not carry the class machinery).
        if(APPLE)
            target_link_options(${name} PRIVATE -Wl,-dead_strip)
        else()
            target_link_options(${name} PRIVATE -Wl,--gc-sections)
        endif()
    endif()
    if(_arg_STUBS)
        _pyowned_add_stubs(${name})
    endif()
endfunction()

# STABLE_ABI's requirements, checked at configure time: a clear error instead of a build that
# cannot work.
function(_pyowned_check_stable_abi name)
    get_property(_version GLOBAL PROPERTY PYOWNED_PYTHON_VERSION)
    get_property(_soabi GLOBAL PROPERTY PYOWNED_PYTHON_SOABI)
    set(_what "pyowned_add_module(${name} STABLE_ABI)")
    if(WIN32)
        message(FATAL_ERROR "${_what}: stable-ABI modules are not supported on Windows yet "
                            "(they must link python3.lib; pyowned has not been tested there)")
    endif()
    if(_version AND _version VERSION_LESS 3.12)
        message(FATAL_ERROR "${_what}: the stable ABI needs CPython 3.12 or newer (pyowned uses the 3.12 "
                            "limited API); the Python found is ${_version} (${Python_EXECUTABLE}). "
                            "Build with -DPython_EXECUTABLE=<a 3.12+ python>, or without STABLE_ABI.")
    endif()
    if(_soabi MATCHES "^cpython-[0-9]+t")
        message(FATAL_ERROR "${_what}: free-threaded CPython (${_soabi}) has no stable ABI; "
                            "build this module without STABLE_ABI for it")
    endif()
endfunction()

# Where this file is: the pyowned Python package (its stubgen) is found from here. A global
# property, as for the SOABI above: modules may be added from directories that do not see
# this one's variables.
set_property(GLOBAL PROPERTY PYOWNED_HELPERS_DIR "${CMAKE_CURRENT_LIST_DIR}")

# The stubs of module <name>, made after each build of it (pyowned_add_module's STUBS).
function(_pyowned_add_stubs name)
    # (Python_EXECUTABLE is set: pyowned's CMake finds the interpreter with the module parts.)
    # The pyowned package: in the source tree (python/pyowned), in a pip-installed pyowned
    # (this file is pyowned/cmake/), or else the one the interpreter imports.
    get_property(_helpers GLOBAL PROPERTY PYOWNED_HELPERS_DIR)
    set(_package "")
    if(EXISTS "${_helpers}/../python/pyowned/stubgen.py")
        get_filename_component(_package "${_helpers}/../python" ABSOLUTE)
    elseif(EXISTS "${_helpers}/../stubgen.py")
        get_filename_component(_package "${_helpers}/../.." ABSOLUTE)
    endif()
    set(_path "$<TARGET_FILE_DIR:${name}>")
    if(_package AND WIN32)
        set(_path "${_package}$<SEMICOLON>${_path}")  # a plain ; would split the argument
    elseif(_package)
        set(_path "${_package}:${_path}")
    endif()
    add_custom_command(TARGET ${name} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E env "PYTHONPATH=${_path}"
                "${Python_EXECUTABLE}" -m pyowned.stubgen -q -m ${name} -o "$<TARGET_FILE_DIR:${name}>"
        COMMENT "pyowned: typed stubs for ${name}"
        VERBATIM)
endfunction()

# pyowned_core: pyowned's shared, non-template code (the functions its headers mark
# PYOWNED_CORE) compiled once per build tree, as a static library that every module made by
# pyowned_add_module links instead of compiling that code itself. Its symbols are hidden, so
# each module keeps a copy of its own (pyowned's state is per module). Its users get
# PYOWNED_COMPILED_CORE, under which the headers declare that code instead of defining it;
# a target that links pyowned::pyowned alone compiles it inline (header-only). The target
# is made by the first pyowned_add_module call, for the Python FindPython selected; a
# project adds flags to it as to any target (sanitizers, coverage), after that call.
#
# _pyowned_core_library(<target> <definition>): the core as <target>, compiled with
# <definition> too (public: its users must see the same API), e.g. pyowned_core_abi3 with
# Py_LIMITED_API for STABLE_ABI modules.
function(_pyowned_core_library target definition)
    if(TARGET ${target})
        return()
    endif()
    set(_source ${CMAKE_BINARY_DIR}/${target}.cpp)
    file(GENERATE OUTPUT ${_source} CONTENT
         "// pyowned's compiled core (made by pyowned_add_module): every PYOWNED_CORE function.\n#define PYOWNED_BUILDING_CORE\n#include <pyowned/pyowned.h>\n")
    add_library(${target} STATIC EXCLUDE_FROM_ALL ${_source})
    target_link_libraries(${target} PUBLIC pyowned::pyowned)
    target_compile_definitions(${target} INTERFACE PYOWNED_COMPILED_CORE)
    if(definition)
        target_compile_definitions(${target} PUBLIC ${definition})
    endif()
    set_target_properties(${target} PROPERTIES
        POSITION_INDEPENDENT_CODE ON
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
    if(NOT MSVC)
        target_compile_options(${target} PRIVATE -ffunction-sections -fdata-sections)
        # The core is shared and mostly cold code (records, signatures, error messages, the
        # class machinery): -O2 where the build type asks for -O3, which keeps a class
        # module's copy 16 KB smaller at no cost to the calls (bench/README.md); the modules'
        # own code, the per-signature entry points, keeps the build type's flags.
        target_compile_options(${target} PRIVATE $<$<CONFIG:Release>:-O2>)
        get_property(_multi GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
        if(NOT _multi AND NOT CMAKE_BUILD_TYPE)
            target_compile_options(${target} PRIVATE -O2)
            target_compile_definitions(${target} PRIVATE NDEBUG)
        endif()
    endif()
endfunction()

# Debian's debug interpreter (python3.X-dbg) ships /usr/include/python3.Xd/ whose Python.h
# is a symlink into the release headers, beside its own pyconfig.h (which defines Py_DEBUG).
# GCC canonicalizes system-header paths (-fcanonical-system-headers, the default), so
# Python.h's #include "pyconfig.h" then finds the release pyconfig.h: Py_DEBUG goes unset
# and the code is built for the wrong ABI. -fno-canonical-system-headers keeps the path.
# Added to <target>'s usage requirements only when Python's headers have that layout.
function(_pyowned_python_header_workarounds target build_interface_only)
    foreach(_dir IN LISTS Python_INCLUDE_DIRS)
        if(IS_SYMLINK "${_dir}/Python.h" AND EXISTS "${_dir}/pyconfig.h" AND NOT IS_SYMLINK "${_dir}/pyconfig.h")
            get_filename_component(_real_header "${_dir}/Python.h" REALPATH)
            get_filename_component(_real_header_dir "${_real_header}" DIRECTORY)
            get_filename_component(_real_dir "${_dir}" REALPATH)
            if(NOT _real_header_dir STREQUAL _real_dir)
                set(_opt "$<$<CXX_COMPILER_ID:GNU>:-fno-canonical-system-headers>")
                if(build_interface_only)
                    set(_opt "$<BUILD_INTERFACE:${_opt}>")
                endif()
                target_compile_options(${target} INTERFACE "${_opt}")
                return()
            endif()
        endif()
    endforeach()
endfunction()
