// Virtual keys: list, create (the key is shown once), edit allow-lists, budgets and limits, revoke.

import {h, append, clear, field, input, select, table, values, list, usd, busy, notify, confirmDialog} from '../dom.js';
import {get, post, patch, del} from '../api.js';
import {budgetFields, budgetsFrom, budgetSummary, optionalList, names} from './common.js';

export async function render(main, ctx) {
  const canWrite = ctx.can('keys:write');
  const teams = ctx.can('teams:read') ? await optionalList('teams', 'teams') : [];
  const teamNames = names(teams);
  const secretBox = h('div', {id: 'new-key', class: 'secret-box', hidden: true, 'data-testid': 'new-key'});
  const editor = h('section', {class: 'panel', 'aria-labelledby': 'key-form-title'});
  const listing = h('section', {'aria-labelledby': 'key-list-title'});
  const showRevoked = h('input', {type: 'checkbox', 'data-testid': 'show-revoked', checked: ctx.params.has('revoked')});
  append(main, [secretBox, canWrite ? editor : null, listing]);

  async function reload() {
    const result = await get('keys');
    if (!ctx.current()) return;
    const rows = result.data.filter(key => showRevoked.checked || !key.revoked_at);
    clear(listing).append(h('div', {class: 'section-head'}, h('h2', {id: 'key-list-title'}, 'Keys'),
        h('label', {class: 'inline'}, showRevoked, ' Show revoked keys')),
    table({
      testid: 'keys-table', rowKey: key => key.id, empty: 'No keys yet.',
      caption: `${rows.length} key${rows.length === 1 ? '' : 's'}`, rows,
      columns: [
        {label: 'Name', value: key => [h('strong', {}, key.name), h('code', {class: 'sub'}, key.id)]},
        {label: 'Key', value: key => h('code', {}, key.hint)},
        {label: 'Team', value: key => key.team ? teamNames.get(key.team) || key.team : '—'},
        {label: 'Allowed', value: key => h('ul', {class: 'plain'},
            h('li', {}, h('span', {class: 'muted'}, 'models '), key.models.length ? key.models.join(', ') : 'any'),
            h('li', {}, h('span', {class: 'muted'}, 'providers '), key.providers.length ? key.providers.join(', ') : 'any'))},
        {label: 'Guardrails', value: key => key.metadata.guardrail_policy || h('span', {class: 'muted'}, 'default')},
        {label: 'Budgets', value: key => budgetSummary(key.budgets)},
        {label: 'Rate limit', value: key => rateText(key.rate_limit)},
        {label: 'Spent', numeric: true, value: key => usd(key.spent_usd)},
        {label: 'Status', value: key => status(key)},
        {label: 'Actions', value: key => canWrite && !key.revoked_at ? actions(key) : ''},
      ],
    }));
  }

  function actions(key) {
    const edit = h('button', {type: 'button', 'data-testid': 'edit-key', on: {click: () => showForm(key)}}, 'Edit');
    const revoke = h('button', {type: 'button', class: 'danger', 'data-testid': 'revoke-key'}, 'Revoke');
    revoke.addEventListener('click', async () => {
      const sure = await confirmDialog(`Revoke key "${key.name}" (${key.hint})? Requests with it are refused at once. `
          + 'This cannot be undone.', 'Revoke key');
      if (!sure) return;
      const done = await busy(revoke, () => del('keys/' + encodeURIComponent(key.id)));
      if (done) {
        notify(`Key "${key.name}" revoked.`, 'notice');
        await reload();
      }
    });
    return h('div', {class: 'actions'}, edit, revoke);
  }

  function showForm(key = null) {
    const teamOptions = [['', '— no team —'], ...teams.filter(t => !t.deleted_at).map(t => [t.id, t.name])];
    const form = h('form', {id: 'key-form', 'data-testid': 'key-form', novalidate: true},
        h('div', {class: 'grid'},
            field('Name', input('name', {required: true, maxlength: 200, testid: 'key-name', value: key ? key.name : ''})),
            field('Team', select('team', teamOptions, {testid: 'key-team'})),
            field('Owner', input('owner', {maxlength: 200, testid: 'key-owner', value: key && key.owner || ''}),
                'who is responsible for this key'),
            field('Models', input('models', {testid: 'key-models', value: key ? key.models.join(', ') : ''}),
                'comma-separated; empty allows every model; a trailing * matches a prefix'),
            field('Providers', input('providers', {testid: 'key-providers', value: key ? key.providers.join(', ') : ''}),
                'comma-separated; empty allows every provider'),
            field('Guardrail policy', input('guardrail_policy', {maxlength: 100, testid: 'key-guardrail-policy',
              value: key && key.metadata.guardrail_policy || ''}), 'a policy under warden.guardrails.policies; empty: the default'),
            field('Requests per minute', input('rpm', {type: 'number', min: '1', step: '1', testid: 'key-rpm',
              value: key && key.rate_limit.rpm ? String(key.rate_limit.rpm) : ''})),
            field('Tokens per minute', input('tpm', {type: 'number', min: '1', step: '1', testid: 'key-tpm',
              value: key && key.rate_limit.tpm ? String(key.rate_limit.tpm) : ''}))),
        budgetFields('key', key ? key.budgets : []),
        h('div', {class: 'actions'},
            h('button', {type: 'submit', class: 'primary', 'data-testid': key ? 'save-key' : 'create-key'},
                key ? 'Save changes' : 'Create key'),
            key ? h('button', {type: 'button', 'data-testid': 'cancel-edit', on: {click: () => showForm()}}, 'Cancel')
                : null));
    form.elements.team.value = key && key.team ? key.team : '';
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const submit = form.querySelector('button[type=submit]');
      const body = keyBody(values(form), key);
      if (!body.name) return notify('Name: a key needs a name.');
      const result = await busy(submit, () => key ? patch('keys/' + encodeURIComponent(key.id), body) : post('keys', body));
      if (!result) return;
      if (key) {
        notify(`Key "${result.name}" saved.`, 'notice');
        showForm();
      } else {
        form.reset();
        showSecret(result);
      }
      await reload();
    });
    clear(editor).append(h('h2', {id: 'key-form-title'}, key ? `Edit key "${key.name}"` : 'Create a key'), form);
    if (key) {
      editor.scrollIntoView({block: 'start'});
      form.elements.name.focus();
    }
  }

  function showSecret(created) {
    const secret = h('input', {type: 'text', readonly: true, value: created.key, class: 'secret', spellcheck: 'false',
      'aria-label': 'The new key', 'data-testid': 'new-key-secret'});
    const copy = h('button', {type: 'button', 'data-testid': 'copy-key'}, 'Copy');
    copy.addEventListener('click', async () => {
      secret.select();
      try {
        await navigator.clipboard.writeText(created.key);
        notify('Key copied to the clipboard.', 'notice');
      } catch {
        // No clipboard API (plain HTTP, or denied): the text is selected for Ctrl+C instead.
        notify('Press Ctrl+C (⌘C) to copy the selected key.', 'notice');
      }
    });
    const done = h('button', {type: 'button', 'data-testid': 'dismiss-key'}, 'I have stored it');
    done.addEventListener('click', () => {
      clear(secretBox).hidden = true;
    });
    clear(secretBox).append(h('h2', {}, `Key "${created.name}" created`),
        h('p', {class: 'warning', role: 'alert'}, 'Copy this key now: it is shown only once. Warden keeps only its hash '
            + 'and cannot show it again.'),
        h('div', {class: 'copy-row'}, secret, copy), h('p', {}, 'ID ', h('code', {'data-testid': 'new-key-id'}, created.id)),
        done);
    secretBox.hidden = false;
    secret.focus();
    secret.select();
  }

  showRevoked.addEventListener('change', () => reload().catch(error => notify(error.message)));
  if (canWrite) showForm();
  await reload();
}

/**
 * Form values → request body. On edit, every field is sent, so clearing one removes the limit; hourly limits and
 * metadata other than the guardrail policy, which the form does not show, are kept as they were.
 */
function keyBody(v, key) {
  const rate = {};
  for (const unit of ['rph', 'tph']) if (key && key.rate_limit[unit]) rate[unit] = key.rate_limit[unit];
  if (v.rpm) rate.rpm = Number(v.rpm);
  if (v.tpm) rate.tpm = Number(v.tpm);
  // Other metadata (set through the API) is kept; only guardrail_policy is edited here.
  const metadata = {...(key ? key.metadata : {})};
  if (v.guardrail_policy) metadata.guardrail_policy = v.guardrail_policy;
  else delete metadata.guardrail_policy;
  return {
    name: v.name, owner: v.owner || null, team: v.team || null, models: list(v.models), providers: list(v.providers),
    budgets: budgetsFrom(v), rate_limit: Object.keys(rate).length ? rate : null, metadata,
  };
}

function rateText(rate) {
  const parts = Object.entries(rate || {}).map(([unit, value]) => `${value} ${unit}`);
  return parts.length ? parts.join(', ') : h('span', {class: 'muted'}, 'none');
}

function status(key) {
  if (key.revoked_at) return h('span', {class: 'badge bad', title: key.revoked_at}, 'revoked');
  if (!key.active) return h('span', {class: 'badge warn'}, 'expired');
  return h('span', {class: 'badge ok'}, 'active');
}
