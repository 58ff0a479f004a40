// The transaction-body pieces of the OpenAPI document (merged by openapi.cc):
//   OpenApiTransactionSchemas()  shared value schemas and one TxBody_<type> schema per
//                                transaction type of trade::Handlers() (dots and dashes of the
//                                type name become underscores)
//   OpenApiTransactionTypes()    x-transaction-types: type -> {schema, roles, signer}
//
// Field names, bounds, enums and reason codes are taken from the parsers in src/trade (the
// comment of each schema names the file). A schema's `required` lists what a body needs to
// succeed; where a missing field is a rule failure rather than PAYLOAD_INVALID the description
// says which code it gives. Unknown fields are ignored by every parser.
// openapi_test.cc fails when a registered type has no entry here.
#include <initializer_list>
#include <string>
#include <string_view>

namespace tradeledger::api {

std::string_view OpenApiTransactionSchemas();
std::string_view OpenApiTransactionTypes();

namespace {

constexpr std::string_view kSharedSchemas = R"json({
  "Role": {"type": "string", "enum": ["CBP_OFFICER", "CBP_ADMIN", "IMPORTER", "BROKER", "EXPORTER", "PRODUCER", "RIGHTS_HOLDER", "LICENSEE", "MANUFACTURER"], "description": "DOMAIN §7.1.1 roles; CBP_* are reserved to the customs organisation (ROLE_INVALID)"},
  "OrgId": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,64}$", "description": "organisation id (participants.cc CheckOrgId)"},
  "PublicKeyHex": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$", "description": "Ed25519 public key, 64 hex digits"},
  "ContentHash": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$", "description": "SHA-256 of the document's bytes, 64 hex digits (stored lower-case); otherwise CONTENT_HASH_INVALID"},
  "Date": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD, UTC midnight; not a calendar date: DATE_INVALID"},
  "Instant": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?Z)?$", "maxLength": 32, "description": "a date YYYY-MM-DD or an RFC 3339 UTC instant YYYY-MM-DDTHH:MM:SS[.sss]Z; otherwise DATE_INVALID"},
  "IorNumberHash": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "rule 4: the importer-of-record number (NN-NNNNNNNXX, NNN-NN-NNNN or YYDDPP-NNNNN) never enters a transaction; the submitter sends PBKDF2-HMAC-SHA256(iorNumber, \"TRADELEDGER/IOR/v1\\0\" || iorSalt || \"\\0\" || orgId, 600000 iterations, 32 bytes) as 64 lower-case hex digits (doc/formats.md, IOR number hash; iorSalt from GET /v1/me). Not 64 lower-case hex: IOR_FORMAT. A body with a cleartext IOR-shaped value in any field named like iorNumber is refused at admission with 400 IOR_CLEARTEXT and never enters a block."},
  "CountryCode": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2, officially assigned (rule 3: COUNTRY_CODE_INVALID)"},
  "Mid": {"type": "string", "pattern": "^[A-Z]{2}[A-Z0-9]{1,13}$", "description": "manufacturer identification code: 3..15 upper-case alphanumerics starting with a country or Canadian province code (rule 5: MID_FORMAT)"},
  "Hts10": {"type": "string", "maxLength": 16, "pattern": "^[0-9.]+$", "description": "HTS number: exactly 10 digits once dots are removed (rule 2: HTS_FORMAT)"},
  "HtsPrefix": {"type": "string", "maxLength": 16, "pattern": "^[0-9.]+$", "description": "HTS prefix: 2..10 digits once dots are removed (HTS_FORMAT)"},
  "EntryNumber": {"type": "string", "pattern": "^[A-Z0-9]{3}-?[0-9]{7}-?[0-9]$", "description": "XXX-NNNNNNN-C: filer code (all 8 ACE shapes = any 3 upper alphanumerics), 7-digit serial, check digit (algorithm luhn-mod10-v1, ADR 0012); otherwise ENTRY_NUMBER_INVALID. Stored and keyed in canonical dashed form."},
  "ClaimId": {"type": "string", "maxLength": 64, "pattern": "^[A-Z0-9]{3}-[0-9]{7}-[0-9]#[0-9]{1,4}$", "description": "<canonical entry number>#<lineNo>"},
  "CertId": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$", "description": "certification id; also the docId of its anchor"},
  "IprId": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{1,128}$", "description": "licence id"},
  "RecordationNo": {"type": "string", "pattern": "^(TMK|COP|TNM) [0-9]{2}-[0-9]{5}$", "description": "TMK (trademark), COP (copyright) or TNM (trade name) YY-NNNNN; the prefix must match rightType (RECORDATION_NO_INVALID)"},
  "RightType": {"type": "string", "enum": ["TRADEMARK", "COPYRIGHT", "TRADE_NAME"]},
  "Agreement": {"type": "string", "enum": ["USMCA", "NAFTA", "CAFTA_DR"]},
  "VerificationMethod": {"type": "string", "enum": ["REQUEST_FOR_INFO", "QUESTIONNAIRE", "VISIT"]},
  "Member": {"type": "object", "description": "a member key (participants.cc ParseMember)", "required": ["publicKey", "roles"], "properties": {
    "publicKey": {"$ref": "#/components/schemas/PublicKeyHex"},
    "roles": {"type": "array", "maxItems": 16, "items": {"$ref": "#/components/schemas/Role"}, "description": "each must be a role of the organisation (ROLE_INVALID)"},
    "admin": {"type": "boolean", "default": false, "description": "may add, rotate and revoke the organisation's keys"},
    "validFrom": {"$ref": "#/components/schemas/Instant", "description": "default: block time"},
    "validTo": {"$ref": "#/components/schemas/Instant", "description": "exclusive; absent = open; not after validFrom: VALIDITY_INVALID"}}},
  "Party": {"type": "object", "description": "a party named on a certification (certification_rules.cc Checker::Party); each missing field gives CERT_INCOMPLETE:<element>.<field>", "required": ["name", "address", "countryIso2"], "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 512},
    "address": {"type": "string", "minLength": 1, "maxLength": 512},
    "countryIso2": {"$ref": "#/components/schemas/CountryCode"},
    "email": {"type": "string", "minLength": 1, "maxLength": 512},
    "phone": {"type": "string", "minLength": 1, "maxLength": 512},
    "orgId": {"type": "string", "minLength": 1, "description": "the party's organisation on the ledger; for the importer it becomes importerOrg (rules 17, 31)"}}},
  "Certifier": {"type": "object", "description": "element 2 of rule 7; USMCA needs title, phone and email too (CERT_INCOMPLETE:certifier.<field>)", "required": ["name", "address", "countryIso2"], "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 512},
    "title": {"type": "string", "minLength": 1, "maxLength": 512},
    "address": {"type": "string", "minLength": 1, "maxLength": 512},
    "countryIso2": {"$ref": "#/components/schemas/CountryCode"},
    "phone": {"type": "string", "minLength": 1, "maxLength": 512},
    "email": {"type": "string", "minLength": 1, "maxLength": 512}}},
  "CertifiedGood": {"type": "object", "required": ["description", "hsCode"], "properties": {
    "description": {"type": "string", "minLength": 1, "maxLength": 512, "description": "missing: CERT_INCOMPLETE:goods.description"},
    "hsCode": {"type": "string", "pattern": "^[0-9.]+$", "description": "6..10 digits once dots are removed (CERT_INCOMPLETE:goods.hsCode); stored as digits"},
    "originCriterion": {"type": "string", "enum": ["A", "B", "C", "D"], "description": "required for USMCA and NAFTA (CERT_INCOMPLETE:originCriterion)"},
    "ruleOfOrigin": {"type": "string", "minLength": 1, "maxLength": 512, "description": "CAFTA-DR: rule-of-origin text, or originCriterion (CERT_INCOMPLETE:ruleOfOrigin)"},
    "invoiceNo": {"type": "string"}}},
  "EntryLine": {"type": "object", "description": "entry.cc ParseLine", "required": ["lineNo", "hts10", "countryOfOrigin", "mid", "quantity", "uom", "value"], "properties": {
    "lineNo": {"type": "integer", "minimum": 1, "maximum": 9999, "description": "unique within the entry"},
    "hts10": {"$ref": "#/components/schemas/Hts10"},
    "countryOfOrigin": {"allOf": [{"$ref": "#/components/schemas/CountryCode"}], "maxLength": 8},
    "mid": {"allOf": [{"$ref": "#/components/schemas/Mid"}], "maxLength": 32},
    "quantity": {"type": "integer", "minimum": 0, "description": "whole units"},
    "uom": {"type": "string", "minLength": 1, "maxLength": 16},
    "value": {"type": "number", "minimum": 0, "maximum": 10000000000000, "description": "US dollars; stored as valueCents"},
    "spi": {"type": "string", "maxLength": 4, "enum": ["S", "S+", "CA", "MX", "P", "P+"], "description": "a line with an SPI makes a preference claim (rule 6: S/S+ USMCA, CA/MX NAFTA, P/P+ CAFTA_DR; any other: SPI_AGREEMENT_MISMATCH)"},
    "agreement": {"allOf": [{"$ref": "#/components/schemas/Agreement"}], "description": "optional; must be the SPI's agreement (SPI_AGREEMENT_MISMATCH)"},
    "certRef": {"type": "string", "maxLength": 128, "description": "certId backing the claim (rules 12-17)"},
    "basis": {"type": "string", "enum": ["IMPORTER_KNOWLEDGE"], "maxLength": 32, "description": "CAFTA-DR claim on the importer's knowledge, without certRef; any other value is ignored"},
    "licenseRefs": {"type": "array", "maxItems": 16, "items": {"type": "string", "maxLength": 128}},
    "ipr": {"type": "object", "properties": {
      "brand": {"type": "string", "maxLength": 128},
      "recordationRefs": {"type": "array", "maxItems": 16, "items": {"type": "string", "maxLength": 64}}}}}},
  "LicensedProduct": {"type": "object", "required": ["description", "htsPrefixes"], "properties": {
    "description": {"type": "string", "minLength": 1, "maxLength": 1024},
    "htsPrefixes": {"type": "array", "minItems": 1, "maxItems": 64, "items": {"$ref": "#/components/schemas/HtsPrefix"}},
    "physicalFeatures": {"type": "object", "description": "at most 4 KiB printed: {markLocations, stitching, logoPlacement, imageHashes[]}", "properties": {
      "markLocations": {}, "stitching": {}, "logoPlacement": {}, "imageHashes": {"type": "array", "items": {"type": "string"}}}}}},
  "DocumentAnchor": {"$ref": "#/components/schemas/TxBody_document_anchor", "description": "former name of the document.anchor body schema"}
})json";

constexpr std::string_view kGovernanceSchemas = R"json({
  "TxBody_document_anchor": {"type": "object", "description": "document.anchor (document_anchor.cc ParseDocumentAnchor): puts a document's SHA-256 on the ledger. Codes: PAYLOAD_INVALID (not an object, deeper than 16 levels, a field not a string), DOC_ID_INVALID, DOC_TYPE_INVALID, CONTENT_HASH_INVALID, ISSUER_INVALID, METADATA_INVALID, DOCUMENT_EXISTS, NOT_AUTHORIZED.", "required": ["docId", "docType", "contentHash", "issuer"], "properties": {
    "docId": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,128}$", "description": "unique on the ledger; anchors are never overwritten (DOCUMENT_EXISTS)"},
    "docType": {"type": "string", "enum": ["CERT_OF_ORIGIN", "LICENSE", "RECORDATION", "MILL_CERT", "INVOICE", "OTHER"]},
    "contentHash": {"$ref": "#/components/schemas/ContentHash"},
    "issuer": {"type": "string", "minLength": 1, "maxLength": 256},
    "metadata": {"type": "object", "description": "at most 8 KiB printed (METADATA_INVALID)"}}},
  "TxBody_document_purge": {"type": "object", "description": "document.purge (document_purge.cc ExecuteDocumentPurge, rule 32): removes an anchored document's off-chain file once its retention has run out (five years after anchoring, or the certification's retainUntil, whichever is later). The anchor and its content hash stay, so every proof of the hash stays valid; the record gains purgedAt, purgedBy and purgeTxId; when no unpurged anchor shares the content every node deletes the file and answers 410 DOCUMENT_PURGED for it. Codes: PAYLOAD_INVALID, DOCUMENT_NOT_FOUND, NOT_AUTHORIZED (neither the anchoring organisation nor customs), DOCUMENT_PURGED (already purged), RETENTION_NOT_EXPIRED (the detail names the retention date), RETENTION_HOLD (a verification case is open on the certification).", "required": ["docId"], "properties": {
    "docId": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,128}$"}}},
  "TxBody_document_present": {"type": "object", "description": "document.present (document_anchor.cc ExecuteDocumentPresent, rule 21): presents a copy of an anchored document by its recomputed SHA-256. Codes: PAYLOAD_INVALID, CONTENT_HASH_INVALID, DOCUMENT_NOT_FOUND, DOCUMENT_HASH_MISMATCH (recorded with the presenter as signer; the anchor is never changed), NOT_AUTHORIZED.", "required": ["docId", "presentedHash"], "properties": {
    "docId": {"type": "string"},
    "presentedHash": {"$ref": "#/components/schemas/ContentHash"}}},
  "TxBody_org_admit": {"type": "object", "description": "org.admit (participants.cc ExecuteOrgAdmit): customs admits an organisation with its member keys. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, ORG_EXISTS, COUNTRY_CODE_INVALID, ROLE_INVALID, IOR_FORMAT, MID_FORMAT, KEY_IN_USE, VALIDITY_INVALID, DATE_INVALID.", "required": ["orgId", "legalName", "country", "roles", "members"], "properties": {
    "orgId": {"$ref": "#/components/schemas/OrgId"},
    "legalName": {"type": "string", "minLength": 1, "maxLength": 256},
    "country": {"$ref": "#/components/schemas/CountryCode"},
    "roles": {"type": "array", "maxItems": 16, "items": {"$ref": "#/components/schemas/Role"}, "description": "no CBP_* role (ROLE_INVALID)"},
    "filerCode": {"type": "string", "maxLength": 3, "description": "brokers and self-filers"},
    "iorNumberHash": {"$ref": "#/components/schemas/IorNumberHash"},
    "mids": {"type": "array", "maxItems": 256, "items": {"$ref": "#/components/schemas/Mid"}},
    "members": {"type": "array", "maxItems": 64, "items": {"$ref": "#/components/schemas/Member"}}}},
  "TxBody_org_set_status": {"type": "object", "description": "org.set-status (participants.cc): customs suspends, reactivates or revokes an organisation; REVOKED is final (ORG_REVOKED); customs cannot change its own (NOT_AUTHORIZED). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, ORG_NOT_FOUND, ORG_REVOKED.", "required": ["orgId", "status"], "properties": {
    "orgId": {"$ref": "#/components/schemas/OrgId"},
    "status": {"type": "string", "enum": ["ACTIVE", "SUSPENDED", "REVOKED"]}}},
  "TxBody_org_set_roles": {"type": "object", "description": "org.set-roles (participants.cc): replaces an organisation's roles; CBP_* only for the customs organisation and only CBP_* for it (ROLE_INVALID). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, ORG_NOT_FOUND, ROLE_INVALID.", "required": ["orgId", "roles"], "properties": {
    "orgId": {"$ref": "#/components/schemas/OrgId"},
    "roles": {"type": "array", "maxItems": 16, "items": {"$ref": "#/components/schemas/Role"}}}},
  "TxBody_member_add": {"type": "object", "description": "member.add (participants.cc): adds a key to an organisation (default: the signer's). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, ORG_NOT_FOUND, ROLE_INVALID, KEY_IN_USE, VALIDITY_INVALID.", "allOf": [{"$ref": "#/components/schemas/Member"}], "properties": {
    "orgId": {"$ref": "#/components/schemas/OrgId"}}},
  "TxBody_member_rotate": {"type": "object", "description": "member.rotate (participants.cc): revokes oldPublicKey and registers newPublicKey with the same organisation, roles and admin flag, valid from block time. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, KEY_NOT_FOUND, KEY_IN_USE.", "required": ["oldPublicKey", "newPublicKey"], "properties": {
    "oldPublicKey": {"$ref": "#/components/schemas/PublicKeyHex"},
    "newPublicKey": {"$ref": "#/components/schemas/PublicKeyHex"}}},
  "TxBody_member_revoke": {"type": "object", "description": "member.revoke (participants.cc). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, KEY_NOT_FOUND.", "required": ["publicKey"], "properties": {
    "publicKey": {"$ref": "#/components/schemas/PublicKeyHex"}}},
  "TxBody_clock_advance": {"type": "object", "description": "clock.advance (ledger_clock.cc): moves the ledger clock of a ledger-clock network forward. Codes: NOT_AUTHORIZED, CLOCK_NOT_LEDGER, PAYLOAD_INVALID, DATE_INVALID, CLOCK_BACKWARDS.", "required": ["to"], "properties": {
    "to": {"$ref": "#/components/schemas/Instant"}}},
  "TxBody_calendar_amend": {"type": "object", "description": "calendar.amend (holiday_calendar.cc): customs adds or removes non-business days and sets the last day the calendar covers (config/holidays, config/holidays-until). A business-day deadline after that day is refused with CALENDAR_NOT_COVERED. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, DATE_INVALID, CALENDAR_INVALID (coversUntil before today, or an added day after it).", "required": ["coversUntil"], "properties": {
    "add": {"type": "array", "maxItems": 400, "items": {"$ref": "#/components/schemas/Date"}},
    "remove": {"type": "array", "maxItems": 400, "items": {"$ref": "#/components/schemas/Date"}},
    "coversUntil": {"$ref": "#/components/schemas/Date"}}},
  "TxBody_validator_set": {"type": "object", "description": "validator.set (validator_set.cc, ADR 0018): replaces the validator set (add, remove, rotate) from the next block on; that block and later ones need 2f+1 commit signatures of the new set. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, VALIDATOR_SET_INVALID (not 1 or 4..64 members, duplicate or malformed key or address).", "required": ["validators"], "properties": {
    "validators": {"type": "array", "minItems": 1, "maxItems": 64, "items": {"type": "object", "required": ["name", "publicKey", "address"], "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 64},
      "publicKey": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
      "address": {"type": "string", "description": "host:port of the validator's transport listener"}}}}}},
  "TxBody_delegation_grant": {"type": "object", "description": "delegation.grant (delegation.cc, rule 25): the signer's organisation (principal) authorises a broker (agent). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID (unknown scope, empty scope, agent = principal), DATE_INVALID, VALIDITY_INVALID, ORG_NOT_FOUND, DELEGATION_EXISTS.", "required": ["delegationId", "agent", "scope", "validFrom", "validTo"], "properties": {
    "delegationId": {"type": "string", "minLength": 1, "maxLength": 128},
    "agent": {"$ref": "#/components/schemas/OrgId"},
    "scope": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "string", "enum": ["FILE_ENTRY", "CLAIM_PREFERENCE", "PRESENT_LICENSE"]}},
    "validFrom": {"$ref": "#/components/schemas/Instant"},
    "validTo": {"$ref": "#/components/schemas/Instant", "description": "exclusive; after validFrom (VALIDITY_INVALID)"}}},
  "TxBody_delegation_revoke": {"type": "object", "description": "delegation.revoke (delegation.cc). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, DELEGATION_NOT_FOUND, DELEGATION_REVOKED.", "required": ["delegationId"], "properties": {
    "delegationId": {"type": "string", "minLength": 1, "maxLength": 128}}}
})json";

constexpr std::string_view kOriginSchemas = R"json({
  "TxBody_cert_issue": {"type": "object", "description": "cert.issue (certification.cc, certification_rules.cc ValidateCertification; rules 3, 7-11): issues and anchors a certification of origin at cert/<certId> and doc/<certId>. Conditional elements: exporter is required when the IMPORTER certifies; producer unless the PRODUCER certifies; importer always for CAFTA_DR; blanketFrom/blanketTo iff singleShipment is false (CERT_INCOMPLETE:blanketPeriod). All failing rule codes are listed in the detail in rule order, the first is the outcome. Codes: NOT_AUTHORIZED (signer lacks the certifierRole role, rule 11), PAYLOAD_INVALID (certId characters, agreement, wrong JSON types, supersedes present: use cert.supersede), CONTENT_HASH_INVALID, DATE_INVALID, CERT_INCOMPLETE:<element>, CERT_SIGNER_NOT_EXPORTER, COUNTRY_CODE_INVALID, BLANKET_PERIOD_INVALID, CERT_INVALID_META, CERT_EXISTS, DOCUMENT_EXISTS.", "required": ["certId", "agreement", "contentHash", "certifierRole", "certifier", "goods", "singleShipment", "signatory", "signedAt", "statementPresent", "language"], "properties": {
    "certId": {"$ref": "#/components/schemas/CertId"},
    "agreement": {"$ref": "#/components/schemas/Agreement"},
    "contentHash": {"$ref": "#/components/schemas/ContentHash"},
    "certifierRole": {"type": "string", "enum": ["IMPORTER", "EXPORTER", "PRODUCER"], "description": "missing: CERT_INCOMPLETE:certifierRole; NAFTA requires EXPORTER (CERT_SIGNER_NOT_EXPORTER)"},
    "certifier": {"$ref": "#/components/schemas/Certifier"},
    "exporter": {"$ref": "#/components/schemas/Party"},
    "producer": {"oneOf": [
      {"$ref": "#/components/schemas/Party"},
      {"type": "array", "minItems": 1, "maxItems": 64, "items": {"$ref": "#/components/schemas/Party"}},
      {"type": "string", "enum": ["VARIOUS", "AVAILABLE_UPON_REQUEST", "SAME_AS_EXPORTER"], "description": "CAFTA_DR accepts only SAME_AS_EXPORTER as a string"}]},
    "producerOnRequest": {"$ref": "#/components/schemas/Party", "description": "the producer behind AVAILABLE_UPON_REQUEST, shown to customs and the certifier only; without that producer value: PAYLOAD_INVALID"},
    "importer": {"oneOf": [{"$ref": "#/components/schemas/Party"}, {"type": "string", "enum": ["VARIOUS"], "description": "not for CAFTA_DR"}]},
    "goods": {"type": "array", "minItems": 1, "maxItems": 256, "items": {"$ref": "#/components/schemas/CertifiedGood"}},
    "singleShipment": {"type": "boolean"},
    "blanketFrom": {"$ref": "#/components/schemas/Date"},
    "blanketTo": {"$ref": "#/components/schemas/Date", "description": "blanketFrom <= blanketTo < blanketFrom + 12 months (rule 9: BLANKET_PERIOD_INVALID)"},
    "shipmentRef": {"type": "string", "maxLength": 64, "description": "B/L or AWB number a single-shipment certification is bound to (rule 15); otherwise bound by the first accepted claim"},
    "signatory": {"type": "object", "required": ["name", "title"], "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 512}, "title": {"type": "string", "minLength": 1, "maxLength": 512, "description": "not required for CAFTA_DR"}}},
    "signedAt": {"$ref": "#/components/schemas/Instant", "description": "not after the block time (rule 10: CERT_INVALID_META)"},
    "statementPresent": {"type": "boolean", "enum": [true], "description": "false or missing: CERT_INCOMPLETE:statementPresent"},
    "language": {"type": "string", "enum": ["en", "es", "fr"], "description": "otherwise CERT_INVALID_META"}}},
  "TxBody_cert_supersede": {"description": "cert.supersede (certification.cc): the cert.issue body plus supersedes, an ISSUED certification of the signer's organisation and the same agreement; it becomes SUPERSEDED and claims awaiting its correction are re-evaluated (rule 22). Codes: those of cert.issue, CERT_NOT_FOUND, NOT_AUTHORIZED (another certifier), CERT_STATE_INVALID, AGREEMENT_MISMATCH.", "allOf": [
    {"$ref": "#/components/schemas/TxBody_cert_issue"},
    {"type": "object", "required": ["supersedes"], "properties": {"supersedes": {"type": "string", "minLength": 1, "maxLength": 128}}}]},
  "TxBody_cert_withdraw": {"type": "object", "description": "cert.withdraw (certification.cc): ISSUED -> WITHDRAWN; claims already made keep their history. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CERT_NOT_FOUND, CERT_STATE_INVALID.", "required": ["certId"], "properties": {
    "certId": {"type": "string", "minLength": 1, "maxLength": 128},
    "reason": {"type": "string", "maxLength": 1024}}},
  "TxBody_cert_present": {"type": "object", "description": "cert.present (certification.cc, rule 21): presents a copy of a certification by its recomputed SHA-256. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CONTENT_HASH_INVALID, CERT_NOT_FOUND, DOCUMENT_HASH_MISMATCH.", "required": ["certId", "contentHash"], "properties": {
    "certId": {"type": "string", "minLength": 1, "maxLength": 128},
    "contentHash": {"$ref": "#/components/schemas/ContentHash"}}},
  "TxBody_entry_file": {"type": "object", "description": "entry.file (entry.cc ExecuteEntryFile; rules 1-6, 12-20, 25): records an entry summary and decides a preference claim for every line with an SPI (ACCEPTED, or REJECTED with every failing code). Entry data rules 1-5 reject the whole filing. Codes: NOT_AUTHORIZED, NOT_AUTHORIZED_FILER (checked before the data rules), PAYLOAD_INVALID (missing field, no lines, duplicate lineNo, lineNo out of range), DATE_INVALID, ORG_NOT_FOUND (importer is not an IMPORTER organisation), ENTRY_NUMBER_INVALID, ENTRY_NUMBER_DUPLICATE, HTS_FORMAT, COUNTRY_CODE_INVALID, IOR_FORMAT, MID_FORMAT, ENTRY_TYPE_INVALID, ENTRY_DATE_INVALID, IOR_MISMATCH. Claim codes (in the claim's reasonCodes, the filing stays OK): SPI_AGREEMENT_MISMATCH, AGREEMENT_NOT_IN_FORCE, CERT_NOT_FOUND, CERT_WITHDRAWN, CERT_SUPERSEDED, AGREEMENT_MISMATCH, CERT_NOT_IN_POSSESSION_AT_CLAIM, CERT_EXPIRED, SINGLE_SHIPMENT_REUSED, OUTSIDE_BLANKET_PERIOD, HTS_NOT_COVERED, IMPORTER_MISMATCH, ORIGIN_COUNTRY_INELIGIBLE, ENTRY_TYPE_INELIGIBLE.", "required": ["entryNumber", "entryType", "importer", "iorNumberHash", "shipmentRef", "importDate", "portCode", "lines"], "properties": {
    "entryNumber": {"allOf": [{"$ref": "#/components/schemas/EntryNumber"}], "maxLength": 16, "description": "unique ledger-wide (ENTRY_NUMBER_DUPLICATE)"},
    "entryType": {"type": "string", "enum": ["01", "02", "03", "06", "07", "08", "09", "11", "12", "21", "22", "23", "31", "32", "34", "38", "41", "42", "43", "44", "45", "46", "51", "52", "61", "62", "63", "69", "70", "86"], "description": "entry types of DOMAIN §4 (ENTRY_TYPE_INVALID); claims only on 01,02,03,06,07,11,12,31,32,34,38 (rule 19: ENTRY_TYPE_INELIGIBLE)"},
    "importer": {"$ref": "#/components/schemas/OrgId", "description": "the importer of record's organisation (IMPORTER role)"},
    "iorNumberHash": {"allOf": [{"$ref": "#/components/schemas/IorNumberHash"}], "description": "the importer of record's IOR number hash, computed by the filer with the importer's organisation id; must equal the importer's registered hash (IOR_MISMATCH)"},
    "shipmentRef": {"type": "string", "minLength": 1, "maxLength": 64, "description": "B/L or AWB number"},
    "importDate": {"$ref": "#/components/schemas/Date"},
    "summaryFiledAt": {"$ref": "#/components/schemas/Instant", "description": "default: block time; never after it (ENTRY_DATE_INVALID)"},
    "portCode": {"type": "string", "minLength": 1, "maxLength": 8},
    "commercial": {"type": "boolean", "default": true, "description": "false: non-commercial importation, exempt from certification under rule 20"},
    "lines": {"type": "array", "minItems": 1, "maxItems": 999, "items": {"$ref": "#/components/schemas/EntryLine"}}}},
  "TxBody_claim_request_correction": {"type": "object", "description": "claim.request-correction (claim_transitions.cc, rule 22): ACCEPTED | UNDER_VERIFICATION claim citing a certification -> CORRECTION_REQUESTED, due in 5 business days (config/holidays). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CLAIM_NOT_FOUND, CLAIM_STATE_INVALID, CALENDAR_NOT_COVERED (the deadline falls after the holiday calendar's end: customs extends it with calendar.amend).", "required": ["claimId"], "properties": {
    "claimId": {"$ref": "#/components/schemas/ClaimId"},
    "reason": {"type": "string", "maxLength": 1024}}},
  "TxBody_claim_request_series": {"type": "object", "description": "claim.request-series (claim_transitions.cc, rule 20): a 30-day certification request on an ACCEPTED LOW_VALUE_EXEMPT claim, once; the claim stays ACCEPTED. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CLAIM_NOT_FOUND, CLAIM_STATE_INVALID.", "required": ["claimId"], "properties": {
    "claimId": {"$ref": "#/components/schemas/ClaimId"}}},
  "TxBody_claim_supply_cert": {"type": "object", "description": "claim.supply-cert (claim_transitions.cc, rule 20): answers an open series request by its due date with a certification that passes rules 12-17 for the line. Codes: NOT_AUTHORIZED, NOT_AUTHORIZED_FILER, PAYLOAD_INVALID, CLAIM_NOT_FOUND, CLAIM_STATE_INVALID, SERIES_EVASION_NO_CERT (too late), CERT_NOT_FOUND and the rule 12-17 codes.", "required": ["claimId", "certId"], "properties": {
    "claimId": {"$ref": "#/components/schemas/ClaimId"},
    "certId": {"type": "string", "minLength": 1, "maxLength": 128}}},
  "TxBody_claim_voluntary_correct": {"type": "object", "description": "claim.voluntary-correct (claim_transitions.cc, rule 24): ACCEPTED | UNDER_VERIFICATION -> VOLUNTARILY_CORRECTED with penaltyExempt and dutyDue. Codes: NOT_AUTHORIZED, NOT_AUTHORIZED_FILER, PAYLOAD_INVALID, CLAIM_NOT_FOUND, CLAIM_STATE_INVALID.", "required": ["claimId"], "properties": {
    "claimId": {"$ref": "#/components/schemas/ClaimId"},
    "statement": {"type": "string", "maxLength": 2048}}},
  "TxBody_claim_enforce_deadlines": {"type": "object", "description": "claim.enforce-deadlines (claim_transitions.cc, rules 20 and 22): denies the listed claims (absent: the origin-deadlines index) whose correction (CORRECTION_NOT_RECEIVED) or series (SERIES_EVASION_NO_CERT) due date is strictly before the block time; others are left alone. Outcome OK with detail 'denied N'. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID.", "properties": {
    "claimIds": {"type": "array", "maxItems": 256, "items": {"type": "string", "maxLength": 64}}}},
  "TxBody_case_open": {"type": "object", "description": "case.open (verification_case.cc): opens a verification case with its first request; claims (one importer, ACCEPTED | UNDER_VERIFICATION) -> UNDER_VERIFICATION. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID (empty claimIds, unknown method, dueAt not after block time, claims of several importers), DATE_INVALID, ORG_NOT_FOUND, CASE_EXISTS, CLAIM_NOT_FOUND, CLAIM_STATE_INVALID.", "required": ["caseId", "claimIds", "method", "addressee"], "properties": {
    "caseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "claimIds": {"type": "array", "minItems": 1, "maxItems": 64, "items": {"type": "string", "maxLength": 64}},
    "method": {"$ref": "#/components/schemas/VerificationMethod"},
    "addressee": {"$ref": "#/components/schemas/OrgId"},
    "dueAt": {"$ref": "#/components/schemas/Instant", "description": "after the block time; default block time + 30 days"}}},
  "TxBody_case_request": {"type": "object", "description": "case.request (verification_case.cc): a further request, e.g. to the certifying exporter/producer (needed before a denial, rule 23). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, DATE_INVALID, ORG_NOT_FOUND, CASE_NOT_FOUND, CASE_STATE_INVALID (closed).", "required": ["caseId", "method", "addressee"], "properties": {
    "caseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "method": {"$ref": "#/components/schemas/VerificationMethod"},
    "addressee": {"$ref": "#/components/schemas/OrgId"},
    "dueAt": {"$ref": "#/components/schemas/Instant", "description": "after the block time; default block time + 30 days"}}},
  "TxBody_case_respond": {"type": "object", "description": "case.respond (verification_case.cc): a response by an addressee of a request. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CONTENT_HASH_INVALID, CASE_NOT_FOUND, CASE_STATE_INVALID.", "required": ["caseId", "summary"], "properties": {
    "caseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "summary": {"type": "string", "minLength": 1, "maxLength": 4096},
    "contentHash": {"$ref": "#/components/schemas/ContentHash", "description": "SHA-256 of the response documents"}}},
  "TxBody_case_intent_to_deny": {"type": "object", "description": "case.intent-to-deny (verification_case.cc, rule 23): the notice that starts the response window (config/origin-response-window-days, default 30). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CASE_NOT_FOUND, CASE_STATE_INVALID (closed, or already notified).", "required": ["caseId"], "properties": {
    "caseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "findings": {"type": "string", "maxLength": 4096}}},
  "TxBody_case_determine": {"type": "object", "description": "case.determine (verification_case.cc): closes the case; UNDER_VERIFICATION claims -> AFFIRMED | DENIED (VERIFICATION_DENIED). DENIED needs a request to every certifier organisation of the claims other than the importer and an intent-to-deny notice at least the response window earlier (rule 23). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, CASE_NOT_FOUND, CASE_STATE_INVALID, DENIAL_PRECONDITION_UNMET.", "required": ["caseId", "determination", "findings", "legalBasis"], "properties": {
    "caseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "determination": {"type": "string", "enum": ["AFFIRMED", "DENIED"]},
    "findings": {"type": "string", "minLength": 1, "maxLength": 4096},
    "legalBasis": {"type": "string", "minLength": 1, "maxLength": 1024}}}
})json";

constexpr std::string_view kIprSchemas = R"json({
  "TxBody_ipr_recordation_apply": {"type": "object", "description": "ipr.recordation.apply (recordation.cc ParseApply): a rights holder applies to record a right; the signer's organisation is the owner; state APPLIED. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID (rightType, intlClasses not Nice classes 1..45 or empty for a TRADEMARK, leverDifferences without leverRule, images not lower-case SHA-256 hex, authorizedUsers), RECORDATION_NO_INVALID, DATE_INVALID, VALIDITY_INVALID (validUntil not after the block time), RECORDATION_EXISTS.", "required": ["recordationNo", "rightType", "registrationNo", "mark", "goodsDescription", "intlClasses", "validUntil"], "properties": {
    "recordationNo": {"$ref": "#/components/schemas/RecordationNo"},
    "rightType": {"$ref": "#/components/schemas/RightType"},
    "registrationNo": {"type": "string", "minLength": 1, "maxLength": 64},
    "mark": {"type": "string", "minLength": 1, "maxLength": 256, "description": "word mark, trade name or title of the work; compared case-insensitively with a line's brand (rule 28)"},
    "goodsDescription": {"type": "string", "minLength": 1, "maxLength": 2048},
    "intlClasses": {"type": "array", "maxItems": 45, "items": {"type": "integer", "minimum": 1, "maximum": 45}, "description": "Nice classes; at least one for a TRADEMARK"},
    "placesOfManufacture": {"type": "array", "maxItems": 64, "items": {"type": "string", "maxLength": 512}},
    "authorizedUsers": {"type": "array", "maxItems": 64, "items": {"type": "object", "required": ["name", "address", "useAuthorized"], "properties": {
      "name": {"type": "string", "minLength": 1, "maxLength": 256}, "address": {"type": "string", "minLength": 1, "maxLength": 512}, "useAuthorized": {"type": "string", "minLength": 1, "maxLength": 512}}}},
    "affiliates": {"type": "array", "maxItems": 64, "items": {"type": "string", "maxLength": 512}},
    "leverRule": {"type": "boolean", "default": false},
    "leverDifferences": {"type": "array", "maxItems": 64, "items": {"type": "string", "maxLength": 1024}, "description": "only with leverRule true"},
    "images": {"type": "array", "maxItems": 32, "items": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "description": "SHA-256 of each image, lower-case hex"},
    "validUntil": {"$ref": "#/components/schemas/Date", "description": "exclusive end of validity; EXPIRED is derived from it"}}},
  "TxBody_ipr_recordation_approve": {"type": "object", "description": "ipr.recordation.approve (recordation.cc): APPLIED -> ACTIVE. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, RECORDATION_NOT_FOUND, RECORDATION_STATE_INVALID, VALIDITY_INVALID (validUntil has passed).", "required": ["recordationNo"], "properties": {
    "recordationNo": {"type": "string", "minLength": 1, "maxLength": 32}}},
  "TxBody_ipr_recordation_reject": {"type": "object", "description": "ipr.recordation.reject (recordation.cc): APPLIED -> REJECTED. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, RECORDATION_NOT_FOUND, RECORDATION_STATE_INVALID.", "required": ["recordationNo", "reason"], "properties": {
    "recordationNo": {"type": "string", "minLength": 1, "maxLength": 32},
    "reason": {"type": "string", "minLength": 1, "maxLength": 1024}}},
  "TxBody_ipr_recordation_cancel": {"type": "object", "description": "ipr.recordation.cancel (recordation.cc): APPLIED | ACTIVE -> CANCELLED (it stays ACTIVE for times before the cancellation). Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, RECORDATION_NOT_FOUND, RECORDATION_STATE_INVALID.", "required": ["recordationNo"], "properties": {
    "recordationNo": {"type": "string", "minLength": 1, "maxLength": 32}}},
  "TxBody_ipr_license_issue": {"type": "object", "description": "ipr.license.issue (licence.cc ParseLicenceIssue, licence_rules.cc; rules 26-27): a licence on recordations (no parentLicenseId: recordationRefs, rightType, products, validFrom and validTo are required) or a sublicence, which inherits every one of those it omits and the lists its parent restricts. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, DATE_INVALID, HTS_FORMAT, MID_FORMAT, COUNTRY_CODE_INVALID, VALIDITY_INVALID, LICENSE_EXISTS, ORG_NOT_FOUND, LICENSEE_INVALID, LICENSE_NOT_FOUND (parent), RECORDATION_NOT_FOUND, LICENSOR_NOT_ENTITLED (rule 26), RIGHT_TYPE_MISMATCH, SUBLICENSE_EXCEEDS_PARENT (rule 27; the detail names every item, including chain depth > 8 and cycles).", "required": ["licenseId", "licensee", "permissions"], "properties": {
    "licenseId": {"$ref": "#/components/schemas/IprId"},
    "licensee": {"allOf": [{"$ref": "#/components/schemas/OrgId"}], "description": "an organisation holding LICENSEE, MANUFACTURER or IMPORTER (LICENSEE_INVALID), not the licensor"},
    "parentLicenseId": {"type": "string", "minLength": 1, "maxLength": 128, "description": "the licence this one is a sublicence of (VC extendsCredential)"},
    "recordationRefs": {"type": "array", "maxItems": 16, "uniqueItems": true, "items": {"type": "string", "maxLength": 32}},
    "rightType": {"$ref": "#/components/schemas/RightType"},
    "products": {"type": "array", "minItems": 1, "maxItems": 32, "items": {"$ref": "#/components/schemas/LicensedProduct"}},
    "permissions": {"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": true, "items": {"type": "string", "enum": ["MANUFACTURE", "IMPORT", "SUBLICENSE"]}},
    "authorizedManufacturerMids": {"type": "array", "maxItems": 64, "items": {"$ref": "#/components/schemas/Mid"}, "description": "empty or absent: unrestricted (a sublicence inherits its parent's restriction)"},
    "countriesOfManufacture": {"type": "array", "maxItems": 64, "items": {"$ref": "#/components/schemas/CountryCode"}},
    "authorizedImporters": {"type": "array", "maxItems": 64, "items": {"$ref": "#/components/schemas/OrgId"}, "description": "organisations that exist (ORG_NOT_FOUND)"},
    "quantityLimit": {"type": "integer", "minimum": 1, "description": "absent: bounded only by the ancestors' limits; at most the parent chain's remaining quantity"},
    "validFrom": {"$ref": "#/components/schemas/Instant"},
    "validTo": {"$ref": "#/components/schemas/Instant", "description": "exclusive; after validFrom (VALIDITY_INVALID)"}}},
  "TxBody_ipr_license_suspend": {"type": "object", "description": "ipr.license.suspend (licence_handlers.cc): ACTIVE -> SUSPENDED. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, LICENSE_NOT_FOUND, LICENSE_STATE_INVALID.", "required": ["licenseId"], "properties": {
    "licenseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "reason": {"type": "string", "maxLength": 1024, "description": "checked, not stored"}}},
  "TxBody_ipr_license_reinstate": {"type": "object", "description": "ipr.license.reinstate (licence_handlers.cc): SUSPENDED -> ACTIVE. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, LICENSE_NOT_FOUND, LICENSE_STATE_INVALID.", "required": ["licenseId"], "properties": {
    "licenseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "reason": {"type": "string", "maxLength": 1024, "description": "checked, not stored"}}},
  "TxBody_ipr_license_revoke": {"type": "object", "description": "ipr.license.revoke (licence_handlers.cc): ISSUED | ACTIVE | SUSPENDED -> REVOKED; every descendant becomes effectively REVOKED without being rewritten. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, LICENSE_NOT_FOUND, LICENSE_STATE_INVALID.", "required": ["licenseId"], "properties": {
    "licenseId": {"type": "string", "minLength": 1, "maxLength": 128},
    "reason": {"type": "string", "maxLength": 1024, "description": "checked, not stored"}}},
  "TxBody_ipr_assess": {"type": "object", "description": "ipr.assess (ipr_assessment.cc ParseAssessLine, AssessLine; rules 25, 28, 29): records the advisory IprAssessment of one entry line at ipr-assessment/<entryNumber>#<lineNo>, once. The result (FACILITATE | FLAG | NO_CREDENTIAL and its reasons) is in the record and in the outcome's detail; the outcome code is OK. Codes: NOT_AUTHORIZED, NOT_AUTHORIZED_FILER, PAYLOAD_INVALID, ENTRY_NUMBER_INVALID (shape only, no check digit), HTS_FORMAT, COUNTRY_CODE_INVALID, MID_FORMAT, DATE_INVALID, ASSESSMENT_EXISTS.", "required": ["entryNumber", "lineNo", "importer", "hts10", "countryOfOrigin", "mid", "quantity", "importDate"], "properties": {
    "entryNumber": {"type": "string", "maxLength": 16, "pattern": "^[A-Z0-9]{3}-?[0-9]{7}-?[0-9]$"},
    "lineNo": {"type": "integer", "minimum": 1, "maximum": 9999},
    "importer": {"$ref": "#/components/schemas/OrgId"},
    "hts10": {"$ref": "#/components/schemas/Hts10"},
    "countryOfOrigin": {"$ref": "#/components/schemas/CountryCode"},
    "mid": {"$ref": "#/components/schemas/Mid"},
    "quantity": {"type": "integer", "minimum": 1, "maximum": 1000000000000},
    "importDate": {"$ref": "#/components/schemas/Date", "description": "the date every link's state is judged on (rule 28)"},
    "brand": {"type": "string", "maxLength": 256},
    "recordationRefs": {"type": "array", "maxItems": 16, "items": {"type": "string", "maxLength": 32}},
    "licenseRefs": {"type": "array", "maxItems": 8, "items": {"type": "string", "maxLength": 128}, "description": "the presented chain, leaf first; only the leaf is needed"}}}
})json";

constexpr std::string_view kTypes = R"json({
  "document.anchor": {"schema": {"$ref": "#/components/schemas/TxBody_document_anchor"}, "roles": [], "signer": "any active member (any key on a network without a customs authority)"},
  "document.present": {"schema": {"$ref": "#/components/schemas/TxBody_document_present"}, "roles": [], "signer": "any active member (any key on a network without a customs authority)"},
  "document.purge": {"schema": {"$ref": "#/components/schemas/TxBody_document_purge"}, "roles": [], "signer": "an active member of the organisation that anchored the document, or of customs"},
  "org.admit": {"schema": {"$ref": "#/components/schemas/TxBody_org_admit"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation"},
  "org.set-status": {"schema": {"$ref": "#/components/schemas/TxBody_org_set_status"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation"},
  "org.set-roles": {"schema": {"$ref": "#/components/schemas/TxBody_org_set_roles"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation"},
  "member.add": {"schema": {"$ref": "#/components/schemas/TxBody_member_add"}, "roles": [], "signer": "an admin key of the target organisation, or a CBP_ADMIN key of customs"},
  "member.rotate": {"schema": {"$ref": "#/components/schemas/TxBody_member_rotate"}, "roles": [], "signer": "the key itself, an admin key of its organisation, or a CBP_ADMIN key of customs"},
  "member.revoke": {"schema": {"$ref": "#/components/schemas/TxBody_member_revoke"}, "roles": [], "signer": "the key itself, an admin key of its organisation, or a CBP_ADMIN key of customs"},
  "calendar.amend": {"schema": {"$ref": "#/components/schemas/TxBody_calendar_amend"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation"},
  "clock.advance": {"schema": {"$ref": "#/components/schemas/TxBody_clock_advance"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation, on a ledger-clock network"},
  "validator.set": {"schema": {"$ref": "#/components/schemas/TxBody_validator_set"}, "roles": ["CBP_ADMIN"], "signer": "a CBP_ADMIN key of the customs organisation"},
  "delegation.grant": {"schema": {"$ref": "#/components/schemas/TxBody_delegation_grant"}, "roles": ["IMPORTER"], "signer": "an IMPORTER key of the principal"},
  "delegation.revoke": {"schema": {"$ref": "#/components/schemas/TxBody_delegation_revoke"}, "roles": ["IMPORTER", "CBP_ADMIN"], "signer": "an IMPORTER key of the principal, or a CBP_ADMIN key of customs"},
  "cert.issue": {"schema": {"$ref": "#/components/schemas/TxBody_cert_issue"}, "roles": ["IMPORTER", "EXPORTER", "PRODUCER"], "signer": "the certifier: a key holding the role named by certifierRole; its organisation becomes certifierOrg (rule 11)"},
  "cert.supersede": {"schema": {"$ref": "#/components/schemas/TxBody_cert_supersede"}, "roles": ["IMPORTER", "EXPORTER", "PRODUCER"], "signer": "a key of the superseded certification's certifier organisation holding certifierRole"},
  "cert.withdraw": {"schema": {"$ref": "#/components/schemas/TxBody_cert_withdraw"}, "roles": ["IMPORTER", "EXPORTER", "PRODUCER"], "signer": "a key of the certifier organisation holding the certification's certifierRole"},
  "cert.present": {"schema": {"$ref": "#/components/schemas/TxBody_cert_present"}, "roles": [], "signer": "any active member"},
  "entry.file": {"schema": {"$ref": "#/components/schemas/TxBody_entry_file"}, "roles": ["IMPORTER", "BROKER"], "signer": "an IMPORTER key of the importer, or a BROKER key of an organisation with the importer's ACTIVE FILE_ENTRY delegation (and CLAIM_PREFERENCE when a line has an SPI) (rule 25)"},
  "claim.request-correction": {"schema": {"$ref": "#/components/schemas/TxBody_claim_request_correction"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "claim.request-series": {"schema": {"$ref": "#/components/schemas/TxBody_claim_request_series"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "claim.supply-cert": {"schema": {"$ref": "#/components/schemas/TxBody_claim_supply_cert"}, "roles": ["IMPORTER", "BROKER"], "signer": "an IMPORTER key of the claim's importer, or a BROKER key with its ACTIVE CLAIM_PREFERENCE delegation (rule 25)"},
  "claim.voluntary-correct": {"schema": {"$ref": "#/components/schemas/TxBody_claim_voluntary_correct"}, "roles": ["IMPORTER", "BROKER"], "signer": "an IMPORTER key of the claim's importer, or a BROKER key with its ACTIVE CLAIM_PREFERENCE delegation (rule 25)"},
  "claim.enforce-deadlines": {"schema": {"$ref": "#/components/schemas/TxBody_claim_enforce_deadlines"}, "roles": [], "signer": "any active member"},
  "case.open": {"schema": {"$ref": "#/components/schemas/TxBody_case_open"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "case.request": {"schema": {"$ref": "#/components/schemas/TxBody_case_request"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "case.respond": {"schema": {"$ref": "#/components/schemas/TxBody_case_respond"}, "roles": [], "signer": "any active key of an organisation addressed by one of the case's requests"},
  "case.intent-to-deny": {"schema": {"$ref": "#/components/schemas/TxBody_case_intent_to_deny"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "case.determine": {"schema": {"$ref": "#/components/schemas/TxBody_case_determine"}, "roles": ["CBP_OFFICER"], "signer": "a CBP_OFFICER key of customs"},
  "ipr.recordation.apply": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_recordation_apply"}, "roles": ["RIGHTS_HOLDER"], "signer": "a RIGHTS_HOLDER key; its organisation is the owner"},
  "ipr.recordation.approve": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_recordation_approve"}, "roles": ["CBP_OFFICER", "CBP_ADMIN"], "signer": "a CBP_OFFICER or CBP_ADMIN key of customs"},
  "ipr.recordation.reject": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_recordation_reject"}, "roles": ["CBP_OFFICER", "CBP_ADMIN"], "signer": "a CBP_OFFICER or CBP_ADMIN key of customs"},
  "ipr.recordation.cancel": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_recordation_cancel"}, "roles": ["RIGHTS_HOLDER", "CBP_ADMIN"], "signer": "a RIGHTS_HOLDER key of the owner, or a CBP_ADMIN key of customs"},
  "ipr.license.issue": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_license_issue"}, "roles": ["RIGHTS_HOLDER", "LICENSEE"], "signer": "the licensor: a RIGHTS_HOLDER or LICENSEE key; its organisation must own the recordations or be the parent's licensee (rule 26)"},
  "ipr.license.suspend": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_license_suspend"}, "roles": [], "signer": "any active key of the licence's licensor organisation"},
  "ipr.license.reinstate": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_license_reinstate"}, "roles": [], "signer": "any active key of the licence's licensor organisation"},
  "ipr.license.revoke": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_license_revoke"}, "roles": [], "signer": "any active key of the licensor organisation of the licence or of any licence above it in the chain"},
  "ipr.assess": {"schema": {"$ref": "#/components/schemas/TxBody_ipr_assess"}, "roles": [], "signer": "any active key of the importer organisation, or of an organisation holding the importer's ACTIVE PRESENT_LICENSE delegation (rule 25)"}
})json";

// The schema pieces above, merged into one JSON object at first use.
std::string Merge(std::initializer_list<std::string_view> pieces) {
  std::string out = "{";
  for (std::string_view piece : pieces) {
    // Each piece is "{ ... }": keep what is between the outer braces.
    size_t open = piece.find('{');
    size_t close = piece.rfind('}');
    if (out.size() > 1) out += ",";
    out += piece.substr(open + 1, close - open - 1);
  }
  out += "}";
  return out;
}

}  // namespace

std::string_view OpenApiTransactionSchemas() {
  static const std::string kAll =
      Merge({kSharedSchemas, kGovernanceSchemas, kOriginSchemas, kIprSchemas});
  return kAll;
}

std::string_view OpenApiTransactionTypes() { return kTypes; }

}  // namespace tradeledger::api
