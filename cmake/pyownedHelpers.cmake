# CMake helpers for pyowned consumers; included by pyownedConfig.cmake and by pyowned's
# own CMakeLists.txt after find_package(Python ... Development.Module).
include_guard(GLOBAL)

# pyowned_add_module(<name> [STATIC|SHARED|MODULE] [WITH_SOABI] <sources>...)
#
# Builds a Python extension module <name> for the interpreter FindPython selected, linked
# to pyowned::pyowned (not to libpython, which the importing interpreter provides).
# Defaults to MODULE WITH_SOABI, so the file is named e.g. <name>.cpython-311-x86_64-linux-gnu.so.
function(pyowned_add_module name)
    if(NOT COMMAND Python_add_library)
        message(FATAL_ERROR "pyowned_add_module: call find_package(Python ... Development.Module) first")
    endif()
    set(_args ${ARGN})
    set(_kind MODULE)
    foreach(_k STATIC SHARED MODULE)
        list(FIND _args ${_k} _i)
        if(NOT _i EQUAL -1)
            set(_kind ${_k})
            list(REMOVE_AT _args ${_i})
        endif()
    endforeach()
    list(REMOVE_ITEM _args WITH_SOABI)
    if(_kind STREQUAL "MODULE")
        Python_add_library(${name} MODULE WITH_SOABI ${_args})
    else()
        Python_add_library(${name} ${_kind} ${_args})
    endif()
    target_link_libraries(${name} PRIVATE pyowned::pyowned)
    # Keep the module's symbols private, as CPython's own extensions do.
    set_target_properties(${name} PROPERTIES
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
endfunction()
