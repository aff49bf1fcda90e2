# idreg_module(NAME DEPS dep...): one static library per folder under src/, holding every
# .cc there. Public headers live in include/idreg/NAME; the folder itself is private.
function(idreg_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cc)
  list(FILTER sources EXCLUDE REGEX "/main\\.cc$")
  add_library(idreg_${name} STATIC ${sources})
  target_include_directories(idreg_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(idreg_${name} PUBLIC ${ARG_DEPS})
  set_target_properties(idreg_${name} PROPERTIES CXX_VISIBILITY_PRESET hidden
                                                 POSITION_INDEPENDENT_CODE ON)
endfunction()

# idreg_unit_tests(NAME DEPS dep...): every tests/NAME/*_test.cc in one GoogleTest binary, with
# the helpers it shares in tests/NAME/*_support.cc.
function(idreg_unit_tests name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*_test.cc
                                      ${PROJECT_SOURCE_DIR}/tests/${name}/*_support.cc)
  if(NOT sources)
    return()
  endif()
  add_executable(${name}_test ${sources})
  target_include_directories(${name}_test PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name}_test PRIVATE
    IDREG_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    IDREG_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  gtest_discover_tests(${name}_test DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "IDREG_BIN=$<TARGET_FILE:idreg>")
endfunction()

# idreg_fuzz_target(NAME SOURCE DEPS dep...): a libFuzzer entry point. With IDREG_FUZZ it is a
# real libFuzzer binary (scripts/fuzz runs it); otherwise a replay binary that feeds every file
# of tests/fuzz/corpus/NAME through the entry point once, registered with CTest.
function(idreg_fuzz_target name source)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  add_executable(fuzz_${name} ${source})
  target_include_directories(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fuzz_${name} PRIVATE ${ARG_DEPS})
  if(IDREG_FUZZ)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(fuzz_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
  else()
    target_sources(fuzz_${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
    add_test(NAME fuzz_corpus.${name}
             COMMAND fuzz_${name} ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
  endif()
endfunction()
