# embed_files(NAME file...) generates a C++ source defining
#   std::string_view tandem::content::Get(std::string_view path)
# over the listed files, so content ships inside the binary. The generated
# source is rebuilt whenever one of the files changes.
function(embed_files name)
  set(out ${CMAKE_BINARY_DIR}/generated/${name}.cpp)
  # The file list travels as one "|"-separated argument: a ";" list would be
  # split into separate words of the command line.
  string(REPLACE ";" "|" files "${ARGN}")
  set(inputs)
  foreach(f ${ARGN})
    list(APPEND inputs ${CMAKE_SOURCE_DIR}/${f})
  endforeach()
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DROOT=${CMAKE_SOURCE_DIR} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedRun.cmake
    DEPENDS ${inputs} ${CMAKE_SOURCE_DIR}/cmake/EmbedRun.cmake
    COMMENT "Embedding content files"
    VERBATIM)
  set(${name}_SOURCES ${out} PARENT_SCOPE)
endfunction()
