// The explorer, unsigned like the node's public routes: node health (GET /health), the
// validator set with which of them signed the latest certificate (GET /v1/validators, the
// latest block's certificate), and the recent blocks (GET /v1/blocks/{h|latest}: header and
// commit certificate; transaction ids only for a signed-in member).

import { api, type Json } from '../lib/api.js';
import { t } from '../i18n/i18n.js';
import { errorPanel, loading, section, table } from '../ui/components.js';
import { formatTime, h, replace, short } from '../ui/dom.js';

const RECENT = 10;

export function renderExplorer(main: HTMLElement): void {
  const health = h('div', null, loading());
  const validators = h('div', null, loading());
  const blocks = h('div', null, loading());
  replace(main, h('h1', null, t('explorer.title')), h('p', { class: 'lead' }, t('explorer.lead')),
    section('explorer.health', health), section('explorer.validators', validators), section('explorer.blocks', blocks));
  void load(health, validators, blocks);
}

async function load(healthSlot: HTMLElement, validatorsSlot: HTMLElement, blocksSlot: HTMLElement): Promise<void> {
  let health: Json;
  try {
    health = await api.health();
  } catch (err) {
    for (const s of [healthSlot, validatorsSlot, blocksSlot]) replace(s, errorPanel(err, 'error.load'));
    return;
  }
  const stat = (label: string, value: Node | string) => h('div', { class: 'stat' }, h('dt', null, label), h('dd', null, value));
  replace(healthSlot, h('dl', { class: 'stats' },
    stat(t('explorer.status'), h('span', { class: `badge badge-${health.status === 'ok' ? 'good' : 'bad'}` }, health.status === 'ok' ? t('explorer.ok') : t('explorer.failed'))),
    stat(t('explorer.height'), String(health.height)),
    stat(t('explorer.transactions'), String(health.log_size)),
    stat(t('explorer.view'), String(health.view)),
    stat(t('explorer.chain'), h('span', { class: 'mono', title: health.chain_id }, short(health.chain_id, 16))),
    stat(t('explorer.stateRoot'), h('span', { class: 'mono', title: health.state_root }, short(health.state_root, 16))),
  ));

  const latest = health.height;
  const heights = Array.from({ length: Math.min(RECENT, latest) }, (_, i) => latest - i);
  try {
    const [set, ...recent] = await Promise.all([api.getUnsigned('/v1/validators'), ...heights.map((x) => api.get(`/v1/blocks/${x}`))]);
    const signedLatest = new Set<string>((recent[0]?.certificate?.signatures ?? []).map((s: Json) => s.validator));
    const members: Json[] = set.history?.length ? set.history[set.history.length - 1].validators : set.validators;
    const names = new Map<string, string>(members.map((v) => [v.public_key, v.name]));
    replace(validatorsSlot, table(t('explorer.validators'),
      [t('explorer.name'), t('explorer.key'), t('explorer.role'), t('explorer.latestCert')],
      members.map((v) => [
        h('span', { class: 'strong' }, v.name),
        h('span', { class: 'mono', title: v.public_key }, short(v.public_key, 16)),
        v.public_key === health.leader ? h('span', { class: 'badge badge-neutral' }, t('explorer.leader')) : '',
        signedLatest.has(v.public_key)
          ? h('span', { class: 'badge badge-good' }, t('explorer.signed', { height: latest }))
          : h('span', { class: 'badge badge-warn' }, t('explorer.notSigned')),
      ]), t('explorer.noValidators')));
    replace(blocksSlot, table(t('explorer.blocks'),
      [t('explorer.height'), t('explorer.time'), t('explorer.txCount'), t('explorer.proposer'), t('explorer.signatures'), t('explorer.hash')],
      recent.map((b) => [
        h('span', { class: 'strong' }, String(b.header.height)),
        formatTime(b.header.timestamp_ms, 'seconds'),
        String(b.header.tx_count),
        names.get(b.header.proposer) ?? short(b.header.proposer),
        t('explorer.sigCount', { n: b.certificate.signatures.length, of: members.length }),
        h('span', { class: 'mono', title: b.hash }, short(b.hash, 16)),
      ]), t('explorer.noBlocks')));
  } catch (err) {
    replace(validatorsSlot, errorPanel(err, 'error.load'));
    replace(blocksSlot, '');
  }
}
