# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/dev/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(compile_fail.sample_must_fail "/usr/bin/cmake" "-DCOMPILER=/usr/bin/c++" "-DCOMPILER_ID=GNU" "-DSOURCE=/work/main/tests/compile_fail/sample_must_fail.cpp" "-DINCLUDE_DIRS=/work/main/include|/root/.pyenv/versions/3.11.7/include/python3.11" "-DFLAGS=" "-P" "/work/main/tests/compile_fail/check.cmake")
set_tests_properties(compile_fail.sample_must_fail PROPERTIES  LABELS "compile_fail" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;69;add_test;/work/main/tests/CMakeLists.txt;0;")
