// Audit log search (newest first, paged) and one entry in detail: its canonical JSON, its hash, and whether a
// signed checkpoint covers it (with the Merkle inclusion proof the server checked). The Guardrails page is this
// page with the kind fixed to guardrail_verdict.

import {h, append, clear, field, input, select, table, values, time, usd, busy, notify} from '../dom.js';
import {get} from '../api.js';

const KINDS = ['request', 'response', 'rejection', 'guardrail_verdict', 'admin_change', 'login', 'erasure', 'other'];
const FILTERS = ['user', 'key', 'team', 'model'];

export async function render(main, ctx) {
  const params = ctx.params;
  const kinds = ctx.preset ? [ctx.preset] : (params.get('kind') || '').split(',').filter(k => KINDS.includes(k));
  const filters = Object.fromEntries(FILTERS.map(name => [name, params.get(name) || '']));
  const from = params.get('from') || '', to = params.get('to') || '';
  const limit = ['25', '50', '100'].includes(params.get('limit')) ? params.get('limit') : '50';

  const form = h('form', {class: 'filters', 'data-testid': 'audit-form'},
      ctx.preset ? null : h('fieldset', {class: 'kinds'}, h('legend', {}, 'Kinds (none checked: all)'),
          KINDS.map(kind => h('label', {class: 'inline'}, h('input', {type: 'checkbox', name: 'kind', value: kind,
            checked: kinds.includes(kind), 'data-testid': 'audit-kind-' + kind}), ' ' + kind.replace('_', ' ')))),
      FILTERS.map(name => field(name[0].toUpperCase() + name.substring(1),
          input(name, {value: filters[name], testid: 'audit-' + name, placeholder: placeholder(name)}))),
      field('From', input('from', {type: 'datetime-local', value: local(from), testid: 'audit-from'})),
      field('To', input('to', {type: 'datetime-local', value: local(to), testid: 'audit-to'})),
      field('Per page', select('limit', [['25', '25'], ['50', '50'], ['100', '100']], {testid: 'audit-limit'})),
      h('button', {type: 'submit', class: 'primary', 'data-testid': 'audit-search'}, 'Search'));
  form.elements.limit.value = limit;
  form.addEventListener('submit', event => {
    event.preventDefault();
    const v = values(form);
    const checked = [...form.querySelectorAll('input[name=kind]:checked')].map(box => box.value);
    ctx.navigate({...Object.fromEntries(FILTERS.map(name => [name, v[name]])), kind: checked.join(','),
      from: iso(v.from), to: iso(v.to), limit: v.limit});
  });
  const results = h('section', {'aria-labelledby': 'audit-results-title', 'data-testid': 'audit-results'});
  const detail = h('aside', {class: 'detail', 'aria-labelledby': 'detail-title', 'data-testid': 'audit-detail', hidden: true});
  append(main, [ctx.preset ? h('p', {class: 'muted'}, 'Guardrail verdicts recorded in the audit ledger: what was '
      + 'redacted, blocked or flagged, for which key and model.') : null, form, h('div', {class: 'split'}, results, detail)]);

  const query = {kind: kinds.join(','), ...filters, from, to, limit};
  const rows = [];
  const tableHolder = h('div');
  const more = h('button', {type: 'button', 'data-testid': 'audit-more', hidden: true}, 'Older entries');
  const scanned = h('p', {class: 'muted', 'data-testid': 'audit-scanned'});
  results.append(h('h2', {id: 'audit-results-title'}, 'Entries'), scanned, tableHolder, more);

  async function page(before) {
    const result = await get('audit/entries', {...query, before});
    if (!ctx.current()) return;
    rows.push(...result.data);
    clear(tableHolder).append(table({
      testid: 'audit-table', rowKey: row => String(row.seq), rows, empty: 'No entries match.',
      columns: [
        {label: 'Seq', numeric: true, value: row => String(row.seq)},
        {label: 'Time', value: row => time(row.time)},
        {label: 'Kind', value: row => h('span', {class: 'badge kind-' + row.kind}, row.kind)},
        {label: 'User', value: row => row.user || '—'},
        {label: 'Key', value: row => row.key ? h('code', {}, row.key) : '—'},
        {label: 'Team', value: row => row.team || '—'},
        {label: 'Model', value: row => row.model || '—'},
        {label: 'Outcome', value: row => [row.decision || '', row.status === null || row.status === undefined ? ''
            : ` ${row.status}`].join('').trim() || '—'},
        {label: 'Cost', numeric: true, value: row => row.cost_usd ? usd(row.cost_usd) : '—'},
        {label: 'Summary', value: row => row.summary || ''},
        {label: 'Detail', value: row => h('button', {type: 'button', class: 'link', 'data-testid': 'audit-open',
          'aria-label': `Show entry ${row.seq}`, on: {click: () => showDetail(row.seq)}}, 'Show')},
      ],
    }));
    scanned.textContent = `${rows.length} shown; ${result.scanned} entries scanned.`;
    more.hidden = result.next_before === null || result.next_before === undefined;
    more.dataset.before = more.hidden ? '' : String(result.next_before);
  }
  more.addEventListener('click', () => busy(more, () => page(more.dataset.before)));

  async function showDetail(seq) {
    detail.hidden = false;
    clear(detail).append(h('p', {class: 'muted'}, `Loading entry ${seq}…`));
    let entry;
    try {
      entry = await get('audit/entries/' + encodeURIComponent(seq));
    } catch (error) {
      clear(detail).append(h('p', {class: 'muted'}, `Entry ${seq} could not be loaded.`));
      notify(error.message);
      return;
    }
    if (!ctx.current()) return;
    const close = h('button', {type: 'button', class: 'link', 'data-testid': 'audit-detail-close'}, 'Close');
    close.addEventListener('click', () => {
      detail.hidden = true;
    });
    clear(detail).append(h('div', {class: 'section-head'}, h('h2', {id: 'detail-title', tabindex: '-1'}, `Entry ${entry.seq}`),
        close),
    h('dl', {class: 'facts'}, h('dt', {}, 'Hash'), h('dd', {}, h('code', {class: 'wrap', 'data-testid': 'audit-hash'}, entry.hash))),
    inclusion(entry),
    h('h3', {}, 'Canonical entry'),
    h('pre', {class: 'json', 'data-testid': 'audit-entry-json'}, JSON.stringify(entry.entry, null, 2)));
    detail.querySelector('h2').focus();
  }

  await page(null);
  if (params.get('seq')) await showDetail(params.get('seq'));
}

/** The checkpoint that covers an entry and the inclusion proof, or why there is none yet. */
function inclusion(entry) {
  const box = h('section', {class: 'inclusion', 'data-testid': 'audit-inclusion'}, h('h3', {}, 'Signed checkpoint'));
  if (!entry.checkpoint) {
    return append(box, [h('p', {'data-testid': 'inclusion-status', 'data-status': 'pending'},
        h('span', {class: 'badge warn'}, 'pending'),
        ' Not yet covered by a signed checkpoint. Checkpoints are written periodically and on shutdown.')]);
  }
  const proof = entry.inclusion;
  const verified = proof && proof.verified;
  const c = entry.checkpoint;
  return append(box, [
    h('p', {'data-testid': 'inclusion-status', 'data-status': verified ? 'verified' : 'unverified'},
        h('span', {class: verified ? 'badge ok' : 'badge bad'}, verified ? 'included' : 'not proven'),
        verified ? ` Inclusion proof verified: leaf ${proof.index} of a tree of ${proof.tree_size}, `
            + `${proof.path.length} hashes.` : ' The inclusion proof did not verify against the checkpoint head.'),
    h('dl', {class: 'facts'},
        h('dt', {}, 'Checkpoint size'), h('dd', {}, String(c.size)),
        h('dt', {}, 'Head'), h('dd', {}, h('code', {class: 'wrap'}, c.head)),
        h('dt', {}, 'Signed at'), h('dd', {}, time(c.time)),
        h('dt', {}, 'Key id'), h('dd', {}, h('code', {}, c.key_id)),
        h('dt', {}, 'Signature'), h('dd', {}, h('code', {class: 'wrap'}, c.signature))),
  ]);
}

function placeholder(name) {
  return {user: 'subject, e.g. alice@example.com', key: 'key_…', team: 'team_…', model: 'e.g. gpt-4o'}[name];
}

/** ISO-8601 instant → value for <input type=datetime-local> (local time), and back. */
function local(instant) {
  if (!instant) return '';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return '';
  const shifted = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return shifted.toISOString().substring(0, 16);
}

function iso(localValue) {
  return localValue ? new Date(localValue).toISOString() : '';
}
