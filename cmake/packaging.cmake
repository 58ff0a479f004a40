# The Debian package (doc/operations.md "Install"): `cpack --config build/release/CPackConfig.cmake`
# writes tradeledger_<version>_<arch>.deb with the binary, the systemd template unit, the web
# portal and the operator guide; its Depends come from dpkg-shlibdeps, and its postinst creates the
# `tradeledger` system user and /var/lib/tradeledger.
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/tradeledger@.service
        DESTINATION lib/systemd/system)
# The web portal (scripts/build-portal.sh, ADR 0023), where the node looks for it by default.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/portal/dist/ DESTINATION share/tradeledger/portal
        OPTIONAL)
install(FILES ${PROJECT_SOURCE_DIR}/doc/operations.md ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/tradeledger)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tradeledger)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Permissioned BFT ledger for customs trade documents (validator node and CLI)")
set(CPACK_PACKAGE_CONTACT "TradeLedger maintainers <maintainers@tradeledger.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
