# Arrow C++ 26 for Quiver: Quiver::arrow, Quiver::parquet, Quiver::arrow_compute,
# Quiver::arrow_acero and Quiver::arrow_flight.
#
# A normal Arrow install (ARROW_HOME, conda, vcpkg, Apache's apt repo) wins when
# find_package(Arrow CONFIG) sees one. Otherwise the libraries and headers come
# from the pyarrow wheel in the project's .venv (see docs/adr/0002).

set(QUIVER_PYTHON "${CMAKE_CURRENT_SOURCE_DIR}/../.venv/bin/python"
    CACHE FILEPATH "Python whose pyarrow wheel provides Arrow C++ when no Arrow install is found")
option(QUIVER_ARROW_FROM_WHEEL "Always take Arrow C++ from the pyarrow wheel" OFF)

function(quiver_alias_arrow_target alias)
  add_library(${alias} INTERFACE IMPORTED GLOBAL)
  target_link_libraries(${alias} INTERFACE ${ARGN})
endfunction()

if(NOT QUIVER_ARROW_FROM_WHEEL)
  find_package(Arrow CONFIG QUIET)
endif()

if(Arrow_FOUND)
  find_package(Parquet CONFIG REQUIRED)
  find_package(ArrowAcero CONFIG REQUIRED)
  find_package(ArrowFlight CONFIG REQUIRED)
  find_package(ArrowCompute CONFIG QUIET)
  message(STATUS "Arrow ${Arrow_VERSION} from an installed package (${Arrow_DIR})")
  quiver_alias_arrow_target(Quiver::arrow Arrow::arrow_shared)
  quiver_alias_arrow_target(Quiver::parquet Parquet::parquet_shared)
  quiver_alias_arrow_target(Quiver::arrow_acero ArrowAcero::arrow_acero_shared)
  quiver_alias_arrow_target(Quiver::arrow_flight ArrowFlight::arrow_flight_shared)
  if(TARGET ArrowCompute::arrow_compute_shared)
    quiver_alias_arrow_target(Quiver::arrow_compute ArrowCompute::arrow_compute_shared)
  else()
    quiver_alias_arrow_target(Quiver::arrow_compute Arrow::arrow_shared)
  endif()
  return()
endif()

if(NOT EXISTS "${QUIVER_PYTHON}")
  message(FATAL_ERROR "No Arrow C++ install found and no Python at ${QUIVER_PYTHON}; "
                      "run scripts/setup (or set ARROW_HOME / QUIVER_PYTHON)")
endif()
execute_process(
  COMMAND "${QUIVER_PYTHON}" -c
          "import pyarrow as p; print(p.__version__); print(p.get_include()); print(p.get_library_dirs()[0])"
  OUTPUT_VARIABLE _quiver_pyarrow OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE _quiver_pyarrow_result)
if(NOT _quiver_pyarrow_result EQUAL 0)
  message(FATAL_ERROR "pyarrow is not importable by ${QUIVER_PYTHON}; run scripts/setup")
endif()
string(REPLACE "\n" ";" _quiver_pyarrow "${_quiver_pyarrow}")
list(GET _quiver_pyarrow 0 QUIVER_ARROW_VERSION)
list(GET _quiver_pyarrow 1 QUIVER_ARROW_INCLUDE_DIR)
list(GET _quiver_pyarrow 2 QUIVER_ARROW_LIBRARY_DIR)
message(STATUS "Arrow ${QUIVER_ARROW_VERSION} from the pyarrow wheel (${QUIVER_ARROW_LIBRARY_DIR})")

function(quiver_wheel_library alias library)
  file(GLOB _candidates "${QUIVER_ARROW_LIBRARY_DIR}/lib${library}.so.[0-9]*")
  list(FILTER _candidates EXCLUDE REGEX "\\.so\\.[0-9]+\\.[0-9]")
  if(NOT _candidates)
    message(FATAL_ERROR "lib${library}.so.* not found in ${QUIVER_ARROW_LIBRARY_DIR}")
  endif()
  list(GET _candidates 0 _location)
  add_library(${alias} SHARED IMPORTED GLOBAL)
  set_target_properties(${alias} PROPERTIES
    IMPORTED_LOCATION "${_location}"
    INTERFACE_INCLUDE_DIRECTORIES "${QUIVER_ARROW_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${ARGN}")
endfunction()

quiver_wheel_library(Quiver::arrow arrow)
quiver_wheel_library(Quiver::arrow_compute arrow_compute Quiver::arrow)
quiver_wheel_library(Quiver::arrow_acero arrow_acero Quiver::arrow_compute)
quiver_wheel_library(Quiver::parquet parquet Quiver::arrow)
quiver_wheel_library(Quiver::arrow_flight arrow_flight Quiver::arrow)
