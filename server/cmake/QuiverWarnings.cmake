# Compiler warnings and sanitizers for Quiver's own targets.
set(QUIVER_SANITIZE "" CACHE STRING "Sanitizers to build with: '', 'address,undefined' or 'thread'")

function(quiver_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wpedantic)
  if(QUIVER_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${QUIVER_SANITIZE} -fno-omit-frame-pointer
                                             -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${QUIVER_SANITIZE})
  endif()
  if(QUIVER_SANITIZE STREQUAL "thread")
    # Asio's fences are fine; GCC only warns that TSan cannot model them.
    target_compile_options(${target} PRIVATE -Wno-tsan)
    get_target_property(_type ${target} TYPE)
    if(_type STREQUAL "EXECUTABLE")
      target_link_options(${target} PRIVATE
        "-Wl,--version-script=${CMAKE_CURRENT_FUNCTION_LIST_DIR}/executable-exports.map")
    endif()
  endif()
endfunction()
