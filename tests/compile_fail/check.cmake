# Runs one must-not-compile test: compiles SOURCE with -fsyntax-only and passes only if
# compilation fails with every expected diagnostic present in the compiler's output.
#
#   cmake -DCOMPILER=<c++> [-DCOMPILER_ID=GNU|Clang] -DSOURCE=<file.cpp>
#         -DINCLUDE_DIRS=<dir>|<dir>... [-DFLAGS=<flag>|<flag>...] -P check.cmake
#
# Each source states what the compiler must say, one regular expression per line:
#   // expect: <regex>          required with every compiler
#   // expect-gcc: <regex>      required only with GCC   (COMPILER_ID GNU)
#   // expect-clang: <regex>    required only with Clang (COMPILER_ID Clang)
# The regex is CMake's syntax: . * + ? ^ $ [] () | work; \d \s \w and {m,n} do not.
# Regexes are matched against the whole output, case-sensitively; the compiler runs
# with LC_ALL=C, so GCC quotes names with plain 'apostrophes'.

foreach(_var COMPILER SOURCE)
    if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
        message(FATAL_ERROR "check.cmake: -D${_var}=... is required")
    endif()
endforeach()
if(NOT EXISTS "${SOURCE}")
    message(FATAL_ERROR "check.cmake: no such source: ${SOURCE}")
endif()

if(NOT DEFINED COMPILER_ID OR COMPILER_ID STREQUAL "")
    if(COMPILER MATCHES "clang")
        set(COMPILER_ID Clang)
    else()
        set(COMPILER_ID GNU)
    endif()
endif()
if(COMPILER_ID MATCHES "Clang")
    set(_family clang)
else()
    set(_family gcc)
endif()

# --- the expected diagnostics ---------------------------------------------------------------
# Protect ';' '[' ']' (which CMake lists treat specially) before splitting into lines.
file(READ "${SOURCE}" _text)
string(REPLACE ";" "@PYOWNED_SEMI@" _text "${_text}")
string(REPLACE "[" "@PYOWNED_LBR@" _text "${_text}")
string(REPLACE "]" "@PYOWNED_RBR@" _text "${_text}")
string(REPLACE "\r" "" _text "${_text}")
string(REPLACE "\n" ";" _lines "${_text}")

set(_expected "")
set(_any_expect FALSE)
foreach(_line IN LISTS _lines)
    if(_line MATCHES "//[ \t]*expect(-gcc|-clang)?:[ \t]*(.*[^ \t])[ \t]*$")
        set(_any_expect TRUE)
        set(_which "${CMAKE_MATCH_1}")
        set(_regex "${CMAKE_MATCH_2}")
        if(_which STREQUAL "" OR _which STREQUAL "-${_family}")
            list(APPEND _expected "${_regex}")
        endif()
    endif()
endforeach()
if(NOT _any_expect)
    message(FATAL_ERROR "${SOURCE}: no '// expect: <regex>' line; state the diagnostic this code must produce")
endif()

# --- compile ------------------------------------------------------------------------------
set(_cmd "${COMPILER}" -std=c++20 -fsyntax-only)
if(DEFINED FLAGS AND NOT FLAGS STREQUAL "")
    string(REPLACE "|" ";" _flags "${FLAGS}")
    list(APPEND _cmd ${_flags})
endif()
if(DEFINED INCLUDE_DIRS AND NOT INCLUDE_DIRS STREQUAL "")
    string(REPLACE "|" ";" _dirs "${INCLUDE_DIRS}")
    foreach(_dir IN LISTS _dirs)
        list(APPEND _cmd "-I${_dir}")
    endforeach()
endif()
list(APPEND _cmd "${SOURCE}")

set(ENV{LC_ALL} C)
execute_process(COMMAND ${_cmd}
                RESULT_VARIABLE _result
                OUTPUT_VARIABLE _out
                ERROR_VARIABLE _out)
string(REPLACE ";" " " _shown_cmd "${_cmd}")

# Plain message() prints the compiler output verbatim; FATAL_ERROR would re-wrap it.
if(_result EQUAL 0)
    message("command: ${_shown_cmd}\n---- compiler output ----\n${_out}")
    message(FATAL_ERROR "${SOURCE} compiled, but it must not")
endif()

set(_missing "")
foreach(_regex IN LISTS _expected)
    string(REPLACE "@PYOWNED_SEMI@" ";" _regex "${_regex}")
    string(REPLACE "@PYOWNED_LBR@" "[" _regex "${_regex}")
    string(REPLACE "@PYOWNED_RBR@" "]" _regex "${_regex}")
    if(NOT _out MATCHES "${_regex}")
        string(APPEND _missing "  ${_regex}\n")
    endif()
endforeach()

if(NOT _missing STREQUAL "")
    message("command: ${_shown_cmd}\n---- compiler output ----\n${_out}---- end of compiler output ----\n"
            "missing diagnostic(s):\n${_missing}")
    message(FATAL_ERROR "${SOURCE} failed to compile, but without the expected diagnostic(s)")
endif()
list(LENGTH _expected _count)
message(STATUS "${SOURCE}: fails to compile as expected (${_count} diagnostic(s) matched)")
