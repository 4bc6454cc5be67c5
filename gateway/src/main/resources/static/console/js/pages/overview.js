// The overview: is the audit ledger intact (and when was that last checked), spend this month, requests today.
// Each card loads on its own, so one failing call shows its error in its card and the others still answer.

import {h, append, clear, usd, count, plural, time, day, busy, notify} from '../dom.js';
import {get, post} from '../api.js';

export async function render(main, ctx) {
  const ledger = card('Audit ledger', 'ledger-status');
  const spend = card('Spend this month', 'spend-month');
  const today = card('Requests today', 'requests-today');
  main.append(h('div', {class: 'cards'}, ledger, spend, today));
  await Promise.all([
    fill(ledger, ctx, async () => ledgerBody(await get('ledger/status'), ledger, ctx)),
    ctx.can('usage:read') ? fill(spend, ctx, async () => spendBody(await monthUsage())) : denied(spend, 'usage:read'),
    ctx.can('usage:read') ? fill(today, ctx, async () => todayBody(await todayUsage())) : denied(today, 'usage:read'),
  ]);
}

function card(title, testid) {
  return h('section', {class: 'card', 'data-testid': testid}, h('h2', {}, title),
      h('div', {class: 'card-body'}, h('p', {class: 'muted'}, 'Loading…')));
}

async function fill(cardEl, ctx, build) {
  try {
    const body = await build();
    if (ctx.current()) append(clear(cardEl.querySelector('.card-body')), [body]);
  } catch (error) {
    if (ctx.current()) clear(cardEl.querySelector('.card-body')).append(h('p', {class: 'error-text'}, error.message));
  }
}

function denied(cardEl, permission) {
  clear(cardEl.querySelector('.card-body')).append(h('p', {class: 'muted'}, `Needs ${permission}.`));
}

function ledgerBody(status, cardEl, ctx) {
  const v = status.verification || {status: 'never'};
  const checkpoint = status.last_checkpoint;
  const verify = h('button', {type: 'button', 'data-testid': 'verify-ledger'}, 'Verify now');
  verify.addEventListener('click', async () => {
    const fresh = await busy(verify, () => post('ledger/verify'));
    if (fresh && ctx.current()) {
      append(clear(cardEl.querySelector('.card-body')), [ledgerBody(fresh, cardEl, ctx)]);
      notify(`Ledger verification: ${fresh.verification ? fresh.verification.status : 'unknown'}.`,
          fresh.verification && fresh.verification.status === 'ok' ? 'notice' : 'error');
    }
  });
  return h('div', {},
      h('p', {class: 'big'}, h('span', {class: 'badge ' + (status.healthy ? 'ok' : 'bad'), 'data-testid': 'ledger-health'},
          status.healthy ? 'healthy' : 'unhealthy'), ' ', plural(status.entries, 'entry', 'entries')),
      h('dl', {class: 'facts'},
          h('dt', {}, 'Chain'), h('dd', {}, status.chain_id),
          h('dt', {}, 'Head'), h('dd', {}, h('code', {class: 'wrap'}, status.head || '—')),
          h('dt', {}, 'Last checkpoint'), h('dd', {}, checkpoint
            ? [`${plural(checkpoint.size, 'entry', 'entries')}, `, time(checkpoint.time), ` (${ago(checkpoint.age_seconds)})`]
            : 'none yet'),
          h('dt', {}, 'Verification'), h('dd', {'data-testid': 'ledger-verification', 'data-status': v.status},
              h('span', {class: 'badge ' + ({ok: 'ok', failed: 'bad'}[v.status] || 'warn')}, v.status),
              v.checked_at ? [' ', time(v.checked_at)] : null,
              v.entries !== undefined && v.entries !== null ? ` · ${plural(v.entries, 'entry', 'entries')}` : null,
              v.mode === 'incremental' ? ` · incremental (${plural(v.entries_read, 'entry', 'entries')} read)`
                : v.mode === 'full' ? ' · full' : null,
              v.message ? h('div', {class: 'muted wrap'}, v.message) : null)),
      verify);
}

async function monthUsage() {
  const now = new Date();
  return get('usage', {group_by: 'model', from: day(new Date(now.getFullYear(), now.getMonth(), 1)), to: day(now)});
}

async function todayUsage() {
  const now = day(new Date());
  return get('usage', {group_by: 'model', from: now, to: now});
}

function totals(usage) {
  return usage.data.reduce((sum, row) => ({cost: sum.cost + Number(row.cost_usd), requests: sum.requests + row.requests}),
      {cost: 0, requests: 0});
}

function spendBody(usage) {
  const t = totals(usage);
  return h('div', {}, h('p', {class: 'big', 'data-testid': 'spend-month-value'}, usd(t.cost)),
      h('p', {class: 'muted'}, `${plural(t.requests, 'request')}, ${usage.from} to ${usage.to}`),
      h('a', {href: '#/usage'}, 'Usage by team, key and model'));
}

function todayBody(usage) {
  const t = totals(usage);
  return h('div', {}, h('p', {class: 'big', 'data-testid': 'requests-today-value'}, count(t.requests)),
      h('p', {class: 'muted'}, `${usd(t.cost)} spent today`), h('a', {href: '#/audit?kind=request'}, 'Recent requests'));
}

function ago(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds < 120) return `${Math.round(seconds)} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${Math.round(seconds / 3600)} h ago`;
}
