# Sourced after tests/seed.sh by screenshots.sh: demo-like records for every role, entered
# with the CLI as each organisation (ledger clock 2024-08-01).
#   origin: a USMCA blanket certification by MX-EXP; entries by BRK (for IMP-A) and IMP-A:
#           lines accepted, one rejected (HTS_NOT_COVERED), a correction requested, a
#           verification case with a further request to the certifier
#   IPR:    recordation TMK 24-00001 (active) and 24-00002 (applied); licence RH -> LIC
#           (VN, 10,000 units) and sublicence LIC -> VN-FAC; three assessed lines:
#           FACILITATE, FLAG QUANTITY_LIMIT_EXCEEDED, FLAG MID_NOT_AUTHORIZED

entry_no() { # entry_no FILER SERIAL -> with the luhn-mod10-v1 check digit
  node -e '
    const [f, s] = process.argv.slice(1);
    const d = [...f + s].map((c) => (c >= "0" && c <= "9" ? +c : (c.charCodeAt(0) - 64) % 10));
    let sum = 0, dbl = true;
    for (let i = d.length - 1; i >= 0; i--) { let x = d[i]; if (dbl) x = x * 2 > 9 ? x * 2 - 9 : x * 2; sum += x; dbl = !dbl; }
    console.log(`${f}-${s}-${(10 - (sum % 10)) % 10}`);' "$1" "$2"
}

seed_demo() {
  local K="$D/keys" CERT=CERT-MXEXP-2024-001
  submit "$K/exporter.key" cert.issue "{\"certId\":\"$CERT\",\"agreement\":\"USMCA\",\"certifierRole\":\"EXPORTER\",
    \"certifier\":{\"name\":\"Autopartes del Norte S.A. de C.V.\",\"title\":\"Export manager\",\"address\":\"Av. Constitucion 400, Monterrey\",\"countryIso2\":\"MX\",\"phone\":\"+52 81 8000 1200\",\"email\":\"origen@autopartes.example\"},
    \"exporter\":{\"name\":\"Autopartes del Norte S.A. de C.V.\",\"address\":\"Av. Constitucion 400, Monterrey\",\"countryIso2\":\"MX\",\"email\":\"origen@autopartes.example\"},
    \"producer\":\"SAME_AS_EXPORTER\",
    \"importer\":{\"name\":\"Great Lakes Motors Inc.\",\"address\":\"1200 Industrial Pkwy, Detroit\",\"countryIso2\":\"US\",\"orgId\":\"IMP-A\"},
    \"goods\":[{\"description\":\"Brake assemblies for passenger vehicles\",\"hsCode\":\"8708.30\",\"originCriterion\":\"B\"},{\"description\":\"Steering wheels\",\"hsCode\":\"8708.94\",\"originCriterion\":\"C\"}],
    \"singleShipment\":false,\"blanketFrom\":\"2024-08-01\",\"blanketTo\":\"2025-07-31\",\"signedAt\":\"2024-08-01\",
    \"signatory\":{\"name\":\"Ana Ruiz\",\"title\":\"Export manager\"},\"statementPresent\":true,\"language\":\"es\",
    \"contentHash\":\"5f2b6c7d8e9fa0b1c2d3e4f5061728394a5b6c7d8e9fa0b1c2d3e4f506172839\"}"
  local E1 E2 E3
  E1="$(entry_no BRK 0000101)"; E2="$(entry_no BRK 0000102)"; E3="$(entry_no GLM 0000201)"
  local line_ok="{\"lineNo\":1,\"hts10\":\"8708300050\",\"countryOfOrigin\":\"MX\",\"mid\":\"MXAUTNOR400MON\",\"quantity\":400,\"uom\":\"PCS\",\"value\":18250,\"spi\":\"S\",\"certRef\":\"$CERT\"}"
  submit "$K/broker.key" entry.file "{\"entryNumber\":\"$E1\",\"entryType\":\"01\",\"importer\":\"IMP-A\",\"iorNumber\":\"$IOR_A\",\"shipmentRef\":\"MAEU7000101\",\"importDate\":\"2024-08-01\",\"portCode\":\"3801\",
    \"lines\":[$line_ok,{\"lineNo\":2,\"hts10\":\"8409910000\",\"countryOfOrigin\":\"MX\",\"mid\":\"MXAUTNOR400MON\",\"quantity\":50,\"uom\":\"PCS\",\"value\":4100,\"spi\":\"S\",\"certRef\":\"$CERT\"}]}"
  submit "$K/broker.key" entry.file "{\"entryNumber\":\"$E2\",\"entryType\":\"01\",\"importer\":\"IMP-A\",\"iorNumber\":\"$IOR_A\",\"shipmentRef\":\"MAEU7000102\",\"importDate\":\"2024-08-01\",\"portCode\":\"3801\",\"lines\":[$line_ok]}"
  submit "$K/importer-a.key" entry.file "{\"entryNumber\":\"$E3\",\"entryType\":\"01\",\"importer\":\"IMP-A\",\"iorNumber\":\"$IOR_A\",\"shipmentRef\":\"ONEY5500201\",\"importDate\":\"2024-08-01\",\"portCode\":\"2304\",\"lines\":[$line_ok]}"
  submit "$ADMIN" claim.request-correction "{\"claimId\":\"$E2#1\",\"reason\":\"Goods description too general to relate to the invoice\"}"
  submit "$ADMIN" case.open "{\"caseId\":\"VC-2024-0001\",\"claimIds\":[\"$E3#1\"],\"method\":\"REQUEST_FOR_INFO\",\"addressee\":\"IMP-A\",\"dueAt\":\"2024-08-31\"}"
  submit "$ADMIN" case.request '{"caseId":"VC-2024-0001","method":"QUESTIONNAIRE","addressee":"MX-EXP","dueAt":"2024-09-15"}'

  admit VN-FAC VN '["MANUFACTURER"]' "$K/factory.key" ',"mids":["VNFACTON12HAN"]' 'Hanoi Textile Factory No. 12'
  submit "$K/rights.key" ipr.recordation.apply '{"recordationNo":"TMK 24-00001","rightType":"TRADEMARK","registrationNo":"5123456","mark":"NORTHSTAR","goodsDescription":"Clothing, namely shirts and jackets","intlClasses":[25],"validUntil":"2034-08-01"}'
  submit "$ADMIN" ipr.recordation.approve '{"recordationNo":"TMK 24-00001"}'
  submit "$K/rights.key" ipr.recordation.apply '{"recordationNo":"TMK 24-00002","rightType":"TRADEMARK","registrationNo":"5123999","mark":"NORTHSTAR OUTDOOR","goodsDescription":"Backpacks and tents","intlClasses":[18,22],"validUntil":"2034-08-01"}'
  submit "$K/rights.key" ipr.license.issue '{"licenseId":"LIC-NS-001","licensee":"LIC","recordationRefs":["TMK 24-00001"],"rightType":"TRADEMARK",
    "products":[{"description":"NORTHSTAR shirts","htsPrefixes":["6109","6205"]}],"permissions":["MANUFACTURE","IMPORT","SUBLICENSE"],
    "countriesOfManufacture":["VN"],"quantityLimit":10000,"validFrom":"2024-08-01","validTo":"2026-08-01"}'
  submit "$K/licensee.key" ipr.license.issue '{"licenseId":"LIC-NS-002","licensee":"VN-FAC","parentLicenseId":"LIC-NS-001","permissions":["MANUFACTURE"],"authorizedManufacturerMids":["VNFACTON12HAN"]}'
  local n=301
  for spec in "4000 VNFACTON12HAN" "7000 VNFACTON12HAN" "500 CNOTHMAK88SHE"; do
    set -- $spec
    submit "$K/licensee.key" ipr.assess "{\"entryNumber\":\"$(entry_no LIC 0000$n)\",\"lineNo\":1,\"importer\":\"LIC\",\"hts10\":\"6109100010\",\"countryOfOrigin\":\"VN\",\"mid\":\"$2\",\"quantity\":$1,\"importDate\":\"2024-08-01\",\"brand\":\"NORTHSTAR\",\"licenseRefs\":[\"LIC-NS-002\"]}"
    n=$((n + 1))
  done
}
