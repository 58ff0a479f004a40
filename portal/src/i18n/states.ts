// Record states, results and roles in words (en, es). Unknown values are shown as written.

import type { Lang } from './i18n.js';

const STATES: Record<string, readonly [string, string]> = {
  ISSUED: ['Issued', 'Emitida'],
  SUPERSEDED: ['Superseded', 'Sustituida'],
  WITHDRAWN: ['Withdrawn', 'Retirada'],
  EXPIRED: ['Expired', 'Vencida'],
  SUBMITTED: ['Submitted', 'Presentada'],
  ACCEPTED: ['Accepted', 'Aceptada'],
  REJECTED: ['Rejected', 'Rechazada'],
  UNDER_VERIFICATION: ['Under verification', 'En verificación'],
  CORRECTION_REQUESTED: ['Correction requested', 'Corrección solicitada'],
  AFFIRMED: ['Affirmed', 'Confirmada'],
  DENIED: ['Denied', 'Denegada'],
  VOLUNTARILY_CORRECTED: ['Voluntarily corrected', 'Corregida voluntariamente'],
  OPEN: ['Open', 'Abierto'],
  AWAITING_RESPONSE: ['Awaiting response', 'En espera de respuesta'],
  RESPONDED: ['Responded', 'Respondido'],
  OVERDUE: ['Overdue', 'Vencido'],
  INTENT_TO_DENY: ['Intent to deny', 'Intención de denegar'],
  CLOSED: ['Closed', 'Cerrado'],
  APPLIED: ['Applied', 'Solicitado'],
  ACTIVE: ['Active', 'Activo'],
  CANCELLED: ['Cancelled', 'Cancelado'],
  SUSPENDED: ['Suspended', 'Suspendida'],
  REVOKED: ['Revoked', 'Revocada'],
  FACILITATE: ['Facilitate', 'Facilitar'],
  FLAG: ['Flag', 'Alerta'],
  NO_CREDENTIAL: ['No credential', 'Sin credencial'],
  CERTIFICATION: ['Certification', 'Certificación'],
  LOW_VALUE_EXEMPT: ['Low value, exempt', 'Bajo valor, exenta'],
  IMPORTER_KNOWLEDGE: ['Importer’s knowledge', 'Conocimiento del importador'],
  REQUEST_FOR_INFO: ['Request for information', 'Solicitud de información'],
  QUESTIONNAIRE: ['Questionnaire', 'Cuestionario'],
  VISIT: ['Verification visit', 'Visita de verificación'],
  FILE_ENTRY: ['File entries', 'Presentar entradas'],
  CLAIM_PREFERENCE: ['Claim preference', 'Solicitar preferencia'],
  PRESENT_LICENSE: ['Present licences', 'Presentar licencias'],
  MANUFACTURE: ['Manufacture', 'Fabricar'],
  IMPORT: ['Import', 'Importar'],
  SUBLICENSE: ['Sublicense', 'Sublicenciar'],
  TRADEMARK: ['Trademark', 'Marca'],
  COPYRIGHT: ['Copyright', 'Derecho de autor'],
  TRADE_NAME: ['Trade name', 'Nombre comercial'],
  IMPORTER: ['Importer', 'Importador'],
  EXPORTER: ['Exporter', 'Exportador'],
  PRODUCER: ['Producer', 'Productor'],
  BROKER: ['Customs broker', 'Agente de aduanas'],
  RIGHTS_HOLDER: ['Rights holder', 'Titular de derechos'],
  LICENSEE: ['Licensee', 'Licenciatario'],
  MANUFACTURER: ['Manufacturer', 'Fabricante'],
  CBP_OFFICER: ['Customs officer', 'Oficial de aduanas'],
  CBP_ADMIN: ['Customs administrator', 'Administrador de aduanas'],
};

export function stateWords(state: string | undefined, lang: Lang): string {
  if (!state) return '—';
  const w = STATES[state];
  return w ? w[lang === 'es' ? 1 : 0] : state;
}

// The badge colour of a state: good, bad, warn or neutral.
export function stateTone(state: string | undefined): 'good' | 'bad' | 'warn' | 'neutral' {
  switch (state) {
    case 'ACCEPTED': case 'AFFIRMED': case 'ISSUED': case 'ACTIVE': case 'FACILITATE': case 'RESPONDED':
      return 'good';
    case 'REJECTED': case 'DENIED': case 'WITHDRAWN': case 'REVOKED': case 'EXPIRED': case 'CANCELLED':
    case 'NO_CREDENTIAL': case 'OVERDUE':
      return 'bad';
    case 'UNDER_VERIFICATION': case 'CORRECTION_REQUESTED': case 'SUSPENDED': case 'FLAG': case 'INTENT_TO_DENY':
    case 'AWAITING_RESPONSE': case 'APPLIED': case 'SUPERSEDED':
      return 'warn';
    default:
      return 'neutral';
  }
}
