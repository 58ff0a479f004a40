// Reason codes in plain words, English and Spanish. Sources: doc/rules.md (envelope,
// governance, delegations, rules 1-34), doc/rules-origin.md, doc/rules-ipr.md, the API's read
// codes (AUTH_*, NOT_FOUND, ...), POST /v1/proofs/verify, and the portal's own local codes.
// CERT_INCOMPLETE:<element> is explained from the element (see elementWords).

import type { Lang } from './i18n.js';

type Words = readonly [en: string, es: string];

const REASONS: Record<string, Words> = {
  // Envelope and admission
  TX_TOO_LARGE: ['The transaction is larger than 64 KiB.', 'La transacción supera los 64 KiB.'],
  TX_TYPE_INVALID: ['The transaction type is not well formed.', 'El tipo de transacción no está bien formado.'],
  TX_TYPE_UNKNOWN: ['The ledger has no such transaction type.', 'El libro mayor no tiene ese tipo de transacción.'],
  BAD_SIGNATURE: ['The signature does not verify for this key.', 'La firma no se verifica con esta clave.'],
  WRONG_CHAIN: ['The transaction names another network.', 'La transacción nombra otra red.'],
  MEMPOOL_FULL: ['The node is busy; try again shortly.', 'El nodo está ocupado; inténtelo de nuevo en breve.'],
  MEMPOOL_SIGNER_LIMIT: ['Too many of your transactions are pending; wait for them to commit.', 'Tiene demasiadas transacciones pendientes; espere a que se confirmen.'],
  NONCE_REUSED: ['This transaction repeats an earlier nonce; submit it again.', 'La transacción repite un nonce anterior; envíela de nuevo.'],
  PAYLOAD_INVALID: ['A required field is missing, empty, of the wrong type or too long.', 'Falta un campo obligatorio, está vacío, es de otro tipo o es demasiado largo.'],
  NOT_AUTHORIZED: ['Your organisation is not entitled to do or see this.', 'Su organización no tiene derecho a hacer o ver esto.'],
  REQUEST_INVALID: ['The request is malformed.', 'La solicitud está mal formada.'],
  REQUEST_TOO_LARGE: ['The request is too large.', 'La solicitud es demasiado grande.'],
  BASE64_INVALID: ['The data is not valid base64.', 'Los datos no son base64 válido.'],
  IOR_CLEARTEXT: ['An importer-of-record number was written in clear; only its hash may be sent.', 'Se escribió un número de importador registrado en claro; solo puede enviarse su hash.'],
  // Reads
  AUTH_REQUIRED: ['Sign in to read this.', 'Inicie sesión para leer esto.'],
  AUTH_INVALID: ['The request signature is malformed or does not verify.', 'La firma de la solicitud está mal formada o no se verifica.'],
  AUTH_EXPIRED: ['Your clock differs from the node’s by more than five minutes.', 'Su reloj difiere del nodo en más de cinco minutos.'],
  AUTH_UNKNOWN_KEY: ['This key is not an active member of an active organisation.', 'Esta clave no es miembro activo de una organización activa.'],
  NOT_FOUND: ['No such record.', 'No existe ese registro.'],
  KEY_REQUIRED: ['Give the state key to prove.', 'Indique la clave de estado a probar.'],
  ROUTE_NOT_FOUND: ['The node does not offer this route (it may be an older version).', 'El nodo no ofrece esta ruta (puede ser una versión anterior).'],
  METHOD_NOT_ALLOWED: ['The node does not accept this method here.', 'El nodo no acepta este método aquí.'],
  HEIGHT_INVALID: ['A block height is a number.', 'La altura de bloque es un número.'],
  BLOCK_NOT_FOUND: ['No block at that height yet.', 'Aún no hay bloque a esa altura.'],
  TX_NOT_FOUND: ['No such transaction on the ledger.', 'No existe esa transacción en el libro mayor.'],
  TX_ID_INVALID: ['A transaction id is 64 hexadecimal digits.', 'Un id de transacción tiene 64 dígitos hexadecimales.'],
  NODE_UNAVAILABLE: ['The node is unavailable.', 'El nodo no está disponible.'],
  STATE_PRUNED: ['That state is no longer kept by this node.', 'Este nodo ya no conserva ese estado.'],
  INTERNAL: ['The node failed internally.', 'El nodo falló internamente.'],
  // Documents
  DOC_ID_INVALID: ['The document id is not 1–128 letters, digits or ._:/-.', 'El id del documento no tiene 1–128 letras, dígitos o ._:/-.'],
  DOC_TYPE_INVALID: ['Unknown document type.', 'Tipo de documento desconocido.'],
  CONTENT_HASH_INVALID: ['A content hash is 64 hexadecimal digits (SHA-256).', 'Un hash de contenido tiene 64 dígitos hexadecimales (SHA-256).'],
  ISSUER_INVALID: ['The issuer is empty or longer than 256 characters.', 'El emisor está vacío o supera 256 caracteres.'],
  METADATA_INVALID: ['Metadata must be an object of at most 8 KiB.', 'Los metadatos deben ser un objeto de 8 KiB como máximo.'],
  DOCUMENT_EXISTS: ['A document with this id is already anchored; anchors are never overwritten.', 'Ya hay un documento anclado con este id; los anclajes nunca se sobrescriben.'],
  DOCUMENT_NOT_FOUND: ['No such document.', 'No existe ese documento.'],
  DOCUMENT_HASH_MISMATCH: ['The presented copy differs from the anchored document (its SHA-256 does not match).', 'La copia presentada difiere del documento anclado (su SHA-256 no coincide).'],
  DOCUMENT_PURGED: ['The document’s file was purged after its retention period; its hash stays on the ledger.', 'El archivo del documento se purgó tras su periodo de conservación; su hash sigue en el libro mayor.'],
  RETENTION_NOT_EXPIRED: ['The five-year retention period has not ended.', 'El periodo de conservación de cinco años no ha terminado.'],
  RETENTION_HOLD: ['A verification case is open on this certification.', 'Hay un caso de verificación abierto sobre esta certificación.'],
  // Governance
  ORG_EXISTS: ['An organisation with this id already exists.', 'Ya existe una organización con este id.'],
  ORG_NOT_FOUND: ['No such organisation (or it lacks the role needed).', 'No existe esa organización (o no tiene el rol necesario).'],
  ORG_REVOKED: ['The organisation is revoked; that is final.', 'La organización está revocada; es definitivo.'],
  ORG_ID_INVALID: ['The organisation id is missing or malformed.', 'El id de la organización falta o está mal formado.'],
  ROLE_INVALID: ['Unknown role, or a role the organisation does not hold.', 'Rol desconocido, o un rol que la organización no tiene.'],
  KEY_IN_USE: ['This public key is already registered.', 'Esta clave pública ya está registrada.'],
  KEY_NOT_FOUND: ['No such member key.', 'No existe esa clave de miembro.'],
  VALIDITY_INVALID: ['The validity period is wrong: the end must be after the start (and in the future).', 'El periodo de validez es incorrecto: el fin debe ser posterior al inicio (y futuro).'],
  DATE_INVALID: ['A date is not a real calendar date (YYYY-MM-DD).', 'Una fecha no es una fecha real (AAAA-MM-DD).'],
  CLOCK_NOT_LEDGER: ['This network runs on its validators’ clocks.', 'Esta red funciona con los relojes de sus validadores.'],
  CLOCK_BACKWARDS: ['The ledger clock cannot go back.', 'El reloj del libro mayor no puede retroceder.'],
  CALENDAR_INVALID: ['The holiday calendar change is not valid.', 'El cambio del calendario de festivos no es válido.'],
  CALENDAR_NOT_COVERED: ['The deadline falls after the end of the holiday calendar; customs must extend it first.', 'El plazo cae después del fin del calendario de festivos; aduanas debe ampliarlo antes.'],
  VALIDATOR_SET_INVALID: ['The validator set is not valid.', 'El conjunto de validadores no es válido.'],
  // Delegations (rule 25)
  DELEGATION_EXISTS: ['A delegation with this id already exists.', 'Ya existe una delegación con este id.'],
  DELEGATION_NOT_FOUND: ['No such delegation.', 'No existe esa delegación.'],
  DELEGATION_REVOKED: ['The delegation is already revoked.', 'La delegación ya está revocada.'],
  NOT_AUTHORIZED_FILER: ['Only the importer of record, or a broker it delegated for this action, may file this (rule 25).', 'Solo el importador registrado, o un agente al que delegó esta acción, puede presentar esto (regla 25).'],
  // Origin rules 1-24
  ENTRY_NUMBER_INVALID: ['The entry number is not XXX-NNNNNNN-C with a valid check digit (rule 1).', 'El número de entrada no es XXX-NNNNNNN-C con dígito de control válido (regla 1).'],
  ENTRY_NUMBER_DUPLICATE: ['This entry number is already on the ledger (rule 1).', 'Este número de entrada ya está en el libro mayor (regla 1).'],
  HTS_FORMAT: ['An HTS number must have exactly 10 digits (rule 2).', 'Un número HTS debe tener exactamente 10 dígitos (regla 2).'],
  COUNTRY_CODE_INVALID: ['A country code is not ISO 3166-1 alpha-2 (rule 3).', 'Un código de país no es ISO 3166-1 alfa-2 (regla 3).'],
  IOR_FORMAT: ['The importer-of-record number is not NN-NNNNNNNXX, NNN-NN-NNNN or YYDDPP-NNNNN (rule 4).', 'El número de importador registrado no es NN-NNNNNNNXX, NNN-NN-NNNN ni AADDPP-NNNNN (regla 4).'],
  IOR_MISMATCH: ['The IOR number does not match the importer’s registered number (rule 4).', 'El número IOR no coincide con el registrado del importador (regla 4).'],
  IOR_IMPORTER_MISSING: ['Name the importer before hashing the IOR number.', 'Indique el importador antes de calcular el hash del número IOR.'],
  MID_FORMAT: ['The manufacturer id (MID) is malformed (rule 5).', 'El identificador del fabricante (MID) está mal formado (regla 5).'],
  SPI_AGREEMENT_MISMATCH: ['The SPI does not belong to the claimed agreement (rule 6).', 'El SPI no corresponde al acuerdo invocado (regla 6).'],
  AGREEMENT_NOT_IN_FORCE: ['The agreement was not in force on the import date (rule 6).', 'El acuerdo no estaba en vigor en la fecha de importación (regla 6).'],
  CERT_INCOMPLETE: ['The certification lacks a required data element (rule 7).', 'A la certificación le falta un elemento obligatorio (regla 7).'],
  CERT_SIGNER_NOT_EXPORTER: ['A NAFTA certificate must be signed by the exporter (rule 8).', 'Un certificado TLCAN debe firmarlo el exportador (regla 8).'],
  BLANKET_PERIOD_INVALID: ['The blanket period must start before it ends and last less than 12 months (rule 9).', 'El periodo general debe empezar antes de terminar y durar menos de 12 meses (regla 9).'],
  CERT_INVALID_META: ['The signature date is in the future, or the language is not en, es or fr (rule 10).', 'La fecha de firma es futura, o el idioma no es en, es o fr (regla 10).'],
  CERT_EXISTS: ['A certification with this id already exists.', 'Ya existe una certificación con este id.'],
  CERT_NOT_FOUND: ['The cited certification is not on the ledger, or none was cited (rule 12).', 'La certificación citada no está en el libro mayor, o no se citó ninguna (regla 12).'],
  CERT_WITHDRAWN: ['The cited certification was withdrawn (rule 12).', 'La certificación citada fue retirada (regla 12).'],
  CERT_SUPERSEDED: ['The cited certification was superseded by a corrected one (rule 12).', 'La certificación citada fue sustituida por una corregida (regla 12).'],
  AGREEMENT_MISMATCH: ['The certification is under another agreement (rule 12).', 'La certificación es de otro acuerdo (regla 12).'],
  CERT_NOT_IN_POSSESSION_AT_CLAIM: ['The certification was anchored after the claim was filed (rule 13).', 'La certificación se ancló después de presentar la solicitud (regla 13).'],
  CERT_EXPIRED: ['The certification is more than four years old (rule 14).', 'La certificación tiene más de cuatro años (regla 14).'],
  SINGLE_SHIPMENT_REUSED: ['A single-shipment certification was cited for another shipment (rule 15).', 'Una certificación de envío único se citó para otro envío (regla 15).'],
  OUTSIDE_BLANKET_PERIOD: ['The import date is outside the certification’s blanket period (rule 15).', 'La fecha de importación está fuera del periodo general de la certificación (regla 15).'],
  HTS_NOT_COVERED: ['No good on the certification covers this line’s HTS number (rule 16).', 'Ninguna mercancía de la certificación cubre el número HTS de esta línea (regla 16).'],
  IMPORTER_MISMATCH: ['The certification names another importer (rule 17).', 'La certificación nombra otro importador (regla 17).'],
  ORIGIN_COUNTRY_INELIGIBLE: ['USMCA preference needs goods originating in Canada or Mexico (rule 18).', 'La preferencia T-MEC requiere mercancías originarias de Canadá o México (regla 18).'],
  ENTRY_TYPE_INELIGIBLE: ['This entry type cannot carry a preference claim (rule 19).', 'Este tipo de entrada no admite solicitud de preferencia (regla 19).'],
  ENTRY_TYPE_INVALID: ['Unknown entry type (rule 19).', 'Tipo de entrada desconocido (regla 19).'],
  ENTRY_DATE_INVALID: ['The summary filing time is after the block time.', 'La hora de presentación es posterior a la del bloque.'],
  SERIES_EVASION_NO_CERT: ['No certification was supplied within 30 days of the series request (rule 20).', 'No se aportó certificación en 30 días desde la solicitud por serie (regla 20).'],
  CORRECTION_NOT_RECEIVED: ['No corrected certification arrived within 5 business days (rule 22).', 'No llegó certificación corregida en 5 días hábiles (regla 22).'],
  DENIAL_PRECONDITION_UNMET: ['A denial needs a request to every certifier and an intent-to-deny notice a full response window earlier (rule 23).', 'Una denegación requiere una solicitud a cada certificador y un aviso de intención de denegar con un plazo de respuesta completo de antelación (regla 23).'],
  CLAIM_NOT_FOUND: ['No such claim.', 'No existe esa solicitud.'],
  CLAIM_STATE_INVALID: ['The claim is not in a state that allows this (rule 24).', 'La solicitud no está en un estado que lo permita (regla 24).'],
  CERT_STATE_INVALID: ['The certification is not ISSUED, so it cannot change.', 'La certificación no está EMITIDA, así que no puede cambiar.'],
  CASE_EXISTS: ['A case with this id already exists.', 'Ya existe un caso con este id.'],
  CASE_NOT_FOUND: ['No such verification case.', 'No existe ese caso de verificación.'],
  CASE_STATE_INVALID: ['The case is closed, or already notified.', 'El caso está cerrado, o ya notificado.'],
  VERIFICATION_DENIED: ['Denied after an origin verification.', 'Denegada tras una verificación de origen.'],
  // IPR rules 25-30
  RECORDATION_NO_INVALID: ['A recordation number is TMK, COP or TNM YY-NNNNN matching the right type.', 'Un número de registro es TMK, COP o TNM AA-NNNNN según el tipo de derecho.'],
  RECORDATION_EXISTS: ['This recordation already exists.', 'Este registro ya existe.'],
  RECORDATION_NOT_FOUND: ['No such recordation.', 'No existe ese registro.'],
  RECORDATION_STATE_INVALID: ['The recordation is not in a state that allows this.', 'El registro no está en un estado que lo permita.'],
  RECORDATION_NOT_ACTIVE: ['No recordation behind the licence chain was active on the import date.', 'Ningún registro detrás de la cadena de licencias estaba activo en la fecha de importación.'],
  LICENSE_EXISTS: ['A licence with this id already exists.', 'Ya existe una licencia con este id.'],
  LICENSE_NOT_FOUND: ['No such licence.', 'No existe esa licencia.'],
  LICENSEE_INVALID: ['The licensee must hold the LICENSEE, MANUFACTURER or IMPORTER role.', 'El licenciatario debe tener el rol LICENSEE, MANUFACTURER o IMPORTER.'],
  RIGHT_TYPE_MISMATCH: ['The licence’s right type differs from the recordation’s.', 'El tipo de derecho de la licencia difiere del registro.'],
  LICENSOR_NOT_ENTITLED: ['The licensor neither owns the active recordations nor holds an active parent licence with SUBLICENSE (rule 26).', 'El licenciante no es titular de los registros activos ni tiene una licencia padre activa con SUBLICENCIA (regla 26).'],
  SUBLICENSE_EXCEEDS_PARENT: ['The sublicence grants more than its parent (rights, products, places, period or quantity) (rule 27).', 'La sublicencia concede más que su licencia padre (derechos, productos, lugares, periodo o cantidad) (regla 27).'],
  LICENSE_STATE_INVALID: ['The licence is not in a state that allows this.', 'La licencia no está en un estado que lo permita.'],
  ASSESSMENT_EXISTS: ['This line was already assessed; assessments never change.', 'Esta línea ya fue evaluada; las evaluaciones no cambian.'],
  IPR_LINE_MISMATCH: ['The assessed line differs from the line filed on the entry.', 'La línea evaluada difiere de la presentada en la entrada.'],
  NO_CREDENTIAL: ['No licence chain on the ledger backs this line.', 'Ninguna cadena de licencias del libro mayor respalda esta línea.'],
  LICENSE_REVOKED: ['A licence in the chain was revoked on the import date.', 'Una licencia de la cadena estaba revocada en la fecha de importación.'],
  LICENSE_EXPIRED: ['A licence in the chain had expired on the import date.', 'Una licencia de la cadena había vencido en la fecha de importación.'],
  LICENSE_SUSPENDED: ['A licence in the chain was suspended on the import date.', 'Una licencia de la cadena estaba suspendida en la fecha de importación.'],
  LICENSE_NOT_YET_VALID: ['A licence in the chain was not yet valid on the import date.', 'Una licencia de la cadena aún no era válida en la fecha de importación.'],
  PRODUCT_NOT_COVERED: ['The product, brand or HTS number is not covered by every licence in the chain.', 'El producto, la marca o el HTS no está cubierto por todas las licencias de la cadena.'],
  MID_NOT_AUTHORIZED: ['The manufacturer is not authorised by the licence chain.', 'El fabricante no está autorizado por la cadena de licencias.'],
  COUNTRY_NOT_AUTHORIZED: ['The country of origin is not authorised by the licence chain.', 'El país de origen no está autorizado por la cadena de licencias.'],
  IMPORTER_NOT_AUTHORIZED: ['The importer is not authorised by the licence chain.', 'El importador no está autorizado por la cadena de licencias.'],
  QUANTITY_LIMIT_EXCEEDED: ['The licensed quantity is exceeded (a flag, never a denial) (rule 29).', 'Se supera la cantidad licenciada (una alerta, nunca una denegación) (regla 29).'],
  // Ledger integrity (node and audit; rule 33, 34)
  BLOCK_INVALID: ['A node refused a block that does not extend its chain.', 'Un nodo rechazó un bloque que no prolonga su cadena.'],
  CHAIN_INVALID: ['The chain does not verify.', 'La cadena no se verifica.'],
  AUDIT_FAILED: ['Re-verifying the stored blocks failed at a height.', 'La nueva verificación de los bloques falló a cierta altura.'],
  TX_ID_CONFLICT: ['Two different transactions with one id (cannot happen: the id is the envelope’s SHA-256).', 'Dos transacciones distintas con un mismo id (imposible: el id es el SHA-256 del sobre).'],
  LOW_VALUE_EXEMPT: ['Accepted without a certification: low-value or non-commercial importation (rule 20).', 'Aceptada sin certificación: importación de bajo valor o no comercial (regla 20).'],
  // Proofs
  PROOF_INVALID: ['The proof does not check out: it was altered or is not from this network.', 'La prueba no se verifica: fue alterada o no es de esta red.'],
  PROOF_MALFORMED: ['This is not a proof bundle the ledger issues.', 'Esto no es un paquete de prueba emitido por el libro mayor.'],
  // Local to the portal
  KEY_FILE_FORMAT: ['This is not a TradeLedger key file (three lines: header, seed, public).', 'Esto no es un archivo de clave de TradeLedger (tres líneas: cabecera, seed, public).'],
  KEY_FILE_CORRUPT: ['The key file’s public key does not match its seed.', 'La clave pública del archivo no corresponde a su semilla.'],
  KEY_UNSUPPORTED: ['This browser cannot sign with Ed25519 keys.', 'Este navegador no puede firmar con claves Ed25519.'],
  NETWORK_ERROR: ['The node could not be reached.', 'No se pudo contactar con el nodo.'],
  RESPONSE_INVALID: ['The node answered something unexpected.', 'El nodo respondió algo inesperado.'],
  TX_PENDING: ['Submitted, but not committed yet; check again shortly.', 'Enviada, pero aún no confirmada; vuelva a comprobar en breve.'],
  FORM_INCOMPLETE: ['Some fields need attention.', 'Algunos campos requieren atención.'],
};

export function reasonWords(code: string, lang: Lang): string {
  const i = lang === 'es' ? 1 : 0;
  const exact = REASONS[code];
  if (exact) return exact[i];
  const colon = code.indexOf(':');
  if (colon > 0 && REASONS[code.slice(0, colon)]) {
    const element = code.slice(colon + 1);
    const base = REASONS[code.slice(0, colon)][i];
    return `${base} ${lang === 'es' ? 'Elemento' : 'Element'}: ${elementWords(element, lang)}.`;
  }
  if (code.startsWith('ENCODING_')) {
    return lang === 'es' ? 'Los datos firmados no están en forma canónica.' : 'The signed data is not in canonical form.';
  }
  if (code.startsWith('STORAGE_')) {
    return lang === 'es' ? 'El nodo no pudo leer o escribir su almacenamiento.' : 'The node could not read or write its storage.';
  }
  if (code.startsWith('HTTP_')) {
    return lang === 'es' ? `El nodo respondió con el estado ${code.slice(5)}.` : `The node answered with status ${code.slice(5)}.`;
  }
  return lang === 'es' ? 'Código sin descripción en el portal.' : 'No description in the portal for this code.';
}

export function isKnownReason(code: string): boolean {
  return code in REASONS || code.split(':')[0] in REASONS;
}

// The USMCA data elements named by CERT_INCOMPLETE:<element> (rules 7, 8).
const ELEMENTS: Record<string, Words> = {
  certifierRole: ['1. certifier role', '1. función del certificador'],
  certifier: ['2. certifier', '2. certificador'],
  'certifier.name': ['2. certifier’s name', '2. nombre del certificador'],
  'certifier.title': ['2. certifier’s title', '2. cargo del certificador'],
  'certifier.address': ['2. certifier’s address', '2. dirección del certificador'],
  'certifier.countryIso2': ['2. certifier’s country', '2. país del certificador'],
  'certifier.phone': ['2. certifier’s telephone', '2. teléfono del certificador'],
  'certifier.email': ['2. certifier’s email', '2. correo del certificador'],
  exporter: ['3. exporter', '3. exportador'],
  producer: ['4. producer', '4. productor'],
  importer: ['5. importer', '5. importador'],
  goods: ['6. goods', '6. mercancías'],
  'goods.description': ['6. description of the good', '6. descripción de la mercancía'],
  'goods.hsCode': ['6. HS classification (6–10 digits)', '6. clasificación SA (6–10 dígitos)'],
  originCriterion: ['7. origin criterion', '7. criterio de origen'],
  ruleOfOrigin: ['7. rule of origin', '7. regla de origen'],
  blanketPeriod: ['8. blanket period', '8. periodo general'],
  singleShipment: ['8. single shipment or blanket period', '8. envío único o periodo general'],
  signatory: ['9. authorised signature', '9. firma autorizada'],
  signedAt: ['9. date of signature', '9. fecha de firma'],
  statementPresent: ['9. certification statement', '9. declaración de certificación'],
};

export function elementWords(element: string, lang: Lang): string {
  const w = ELEMENTS[element] ?? ELEMENTS[element.split('.')[0]];
  return w ? w[lang === 'es' ? 1 : 0] : element;
}
