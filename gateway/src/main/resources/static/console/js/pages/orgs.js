// Teams and customers: list, create, edit budgets, delete. A team may belong to a customer; budgets are
// hierarchical (key ≤ team ≤ customer), so both levels are edited here.

import {h, append, clear, field, input, select, table, values, time, busy, notify, confirmDialog} from '../dom.js';
import {get, post, patch, del} from '../api.js';
import {budgetFields, budgetsFrom, budgetSummary, optionalList, names} from './common.js';

export async function render(main, ctx) {
  const customersVisible = ctx.can('customers:read');
  const teamsSection = h('section', {'aria-labelledby': 'teams-title'});
  const customersSection = h('section', {'aria-labelledby': 'customers-title'});
  append(main, [teamsSection, customersVisible ? customersSection : null]);
  let customers = [];

  async function reload() {
    customers = customersVisible ? await optionalList('customers', 'customers') : [];
    const teams = (await get('teams')).data;
    if (!ctx.current()) return;
    section(teamsSection, 'team', teams, ctx.can('teams:write'));
    if (customersVisible) section(customersSection, 'customer', customers, ctx.can('customers:write'));
  }

  function section(container, kind, items, canWrite) {
    const plural = kind === 'team' ? 'teams' : 'customers';
    const customerNames = names(customers);
    const editor = h('div', {class: 'panel'});
    const columns = [
      {label: 'Name', value: org => [h('strong', {}, org.name), h('code', {class: 'sub'}, org.id)]},
      kind === 'team' ? {label: 'Customer', value: org => org.customer ? customerNames.get(org.customer) || org.customer : '—'}
          : null,
      {label: 'Budgets', value: org => budgetSummary(org.budgets)},
      {label: 'Created', value: org => time(org.created_at)},
      {label: 'Actions', value: org => canWrite && !org.deleted_at ? actions(kind, org, editor) : ''},
    ].filter(Boolean);
    append(clear(container), [h('h2', {id: plural + '-title'}, kind === 'team' ? 'Teams' : 'Customers'),
      table({testid: plural + '-table', rowKey: org => org.id, rows: items.filter(org => !org.deleted_at), columns,
        empty: `No ${plural} yet.`}),
      canWrite ? editor : null]);
    if (canWrite) showForm(kind, null, editor);
  }

  function actions(kind, org, editor) {
    const edit = h('button', {type: 'button', 'data-testid': `edit-${kind}`, on: {click: () => showForm(kind, org, editor)}},
        'Edit');
    const remove = h('button', {type: 'button', class: 'danger', 'data-testid': `delete-${kind}`}, 'Delete');
    remove.addEventListener('click', async () => {
      if (!await confirmDialog(`Delete ${kind} "${org.name}"? Its budgets stop applying.`, `Delete ${kind}`)) return;
      if (await busy(remove, () => del(`${kind === 'team' ? 'teams' : 'customers'}/${encodeURIComponent(org.id)}`))) {
        notify(`${kind === 'team' ? 'Team' : 'Customer'} "${org.name}" deleted.`, 'notice');
        await reload();
      }
    });
    return h('div', {class: 'actions'}, edit, remove);
  }

  function showForm(kind, org, editor) {
    const path = kind === 'team' ? 'teams' : 'customers';
    const customerOptions = [['', '— none —'], ...customers.filter(c => !c.deleted_at).map(c => [c.id, c.name])];
    const form = h('form', {'data-testid': `${kind}-form`, novalidate: true},
        h('div', {class: 'grid'},
            field('Name', input('name', {required: true, maxlength: 200, testid: `${kind}-name`, value: org ? org.name : ''})),
            kind === 'team' && customersVisible ? field('Customer', select('customer', customerOptions,
                {testid: 'team-customer'})) : null),
        budgetFields(kind, org ? org.budgets : []),
        h('div', {class: 'actions'},
            h('button', {type: 'submit', class: 'primary', 'data-testid': org ? `save-${kind}` : `create-${kind}`},
                org ? 'Save' : `Create ${kind}`),
            org ? h('button', {type: 'button', on: {click: () => showForm(kind, null, editor)}}, 'Cancel') : null));
    if (form.elements.customer) form.elements.customer.value = org && org.customer ? org.customer : '';
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const v = values(form);
      if (!v.name) return notify(`Name: a ${kind} needs a name.`);
      const body = {name: v.name, budgets: budgetsFrom(v)};
      if (kind === 'team' && customersVisible) body.customer = v.customer || null;
      const button = form.querySelector('button[type=submit]');
      const result = await busy(button, () => org ? patch(`${path}/${encodeURIComponent(org.id)}`, body) : post(path, body));
      if (result) {
        notify(`${kind === 'team' ? 'Team' : 'Customer'} "${result.name}" ${org ? 'saved' : 'created'}.`, 'notice');
        await reload();
      }
    });
    clear(editor).append(h('h3', {}, org ? `Edit ${kind} "${org.name}"` : `Create a ${kind}`), form);
    if (org) form.elements.name.focus();
  }

  await reload();
}
