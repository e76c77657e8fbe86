# What `cmake --install` and the Debian package (cpack -G DEB) install.
# docs/operations.md, "Installing the Debian package".
#
# The binary carries everything it serves (web UI, catalogs, demo data: see
# Embed.cmake), so the package is the binary, a systemd unit, a settings file
# and maintainer scripts. The unit and the settings file are written for the
# package's layout: /usr/bin/tandem, /etc/tandem, /var/lib/tandem.
include(GNUInstallDirs)

install(TARGETS tandem RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES packaging/tandem.service DESTINATION lib/systemd/system)
install(FILES packaging/tandem.env DESTINATION /etc/tandem)
install(FILES README.md docs/operations.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

# cpack packages the tree as it is built: it does not build first (its
# preinstall step would otherwise build every target, tests and benchmarks
# included). Build, then package:
#   cmake --build build/release --target tandem && cpack --config build/release/CPackConfig.cmake
# `cmake --install` never builds either; `make package` still builds first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(TANDEM_PACKAGE_MAINTAINER "Tandem maintainers <maintainers@tandem.invalid>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tandem)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${TANDEM_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "integrated management system for ISO/IEC 27001, ISO/IEC 20000-1 and ISO 9001")
# Debian wants the long description in lines of at most 80 characters.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
  "Tandem runs one integrated management system (information security, service"
  "management, quality) by ISO/IEC 27013: records, traceability, gap assessment"
  "and the Statement of Applicability, with a web UI and a REST API served by one"
  "binary. Its data is kept in SQLite (by default in /var/lib/tandem) or in"
  "PostgreSQL."
  "."
  "This package runs it as the hardened systemd service tandem.service, set up in"
  "/etc/tandem/tandem.env.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tandem_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Shared libraries from dpkg-shlibdeps, plus what the maintainer scripts use.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# The printed reports' text and charts are laid out for DejaVu Sans.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-dejavu-core")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
