# SPDX-License-Identifier: BSD-2-Clause
# `cmake --install` (GNUInstallDirs: the binary, the man page, bash and zsh
# completions, the licence) and `cpack -G DEB`: a Debian package whose
# dependencies dpkg-shlibdeps reads off the binary, laid out the way lintian
# expects (compressed man page and changelog, copyright in share/doc).
include(GNUInstallDirs)

install(TARGETS optimus-db RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Debian policy 12.1: man pages and changelogs compressed with gzip -9n.
set(OD_PKG_OUT ${CMAKE_BINARY_DIR}/packaging)
file(MAKE_DIRECTORY ${OD_PKG_OUT})
foreach(pair "man/optimus-db.1;optimus-db.1.gz" "packaging/changelog;changelog.gz")
  list(GET pair 0 src)
  list(GET pair 1 gz)
  add_custom_command(OUTPUT ${OD_PKG_OUT}/${gz}
    COMMAND gzip -9nc ${CMAKE_SOURCE_DIR}/${src} > ${OD_PKG_OUT}/${gz}
    DEPENDS ${CMAKE_SOURCE_DIR}/${src} VERBATIM)
  list(APPEND OD_PKG_FILES ${OD_PKG_OUT}/${gz})
endforeach()
add_custom_target(od-package-files ALL DEPENDS ${OD_PKG_FILES})

install(FILES ${OD_PKG_OUT}/optimus-db.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/completions/optimus-db.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME optimus-db)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/completions/_optimus-db
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/copyright ${OD_PKG_OUT}/changelog.gz
  DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME optimus-db)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "optimus-db authors <optimus-db@users.noreply.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "NVIDIA laptop VBIOS catalogue and guest ACPI tables for GPU passthrough")
set(CPACK_PACKAGE_DESCRIPTION "optimus-db finds the VBIOS of a muxless NVIDIA Optimus GPU in vendor
BIOS updates (capsules, AMI/Insyde images, installers, archives), keeps a
SQLite catalogue of them by PCI and subsystem IDs, and writes the guest
ACPI tables (_ROM) and QEMU/libvirt settings a passed-through GPU needs.")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://optimus-db.invalid/")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PACKAGE_INSTALL_DIRECTORY /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
