// Usage and spend per team, key or model over a date range: cost per day as a chart, totals as a table.
// The form writes its choices into the URL (#/usage?group_by=key&from=…), so a view can be shared or reloaded.

import {h, append, field, input, select, table, values, usd, count, plural, day} from '../dom.js';
import {get} from '../api.js';
import {costChart, daysBetween, MAX_SERIES} from '../chart.js';
import {optionalList, names} from './common.js';

const GROUPS = [['team', 'Team'], ['key', 'Key'], ['model', 'Model']];

export async function render(main, ctx) {
  const today = new Date();
  const groupBy = GROUPS.some(([g]) => g === ctx.params.get('group_by')) ? ctx.params.get('group_by') : 'team';
  const from = ctx.params.get('from') || day(new Date(today.getFullYear(), today.getMonth(), 1));
  const to = ctx.params.get('to') || day(today);
  const mode = ctx.params.get('chart') === 'lines' ? 'lines' : 'bars';

  const form = h('form', {class: 'filters', 'data-testid': 'usage-form'},
      field('Group by', select('group_by', GROUPS, {testid: 'usage-group'})),
      field('From', input('from', {type: 'date', value: from, required: true, testid: 'usage-from'})),
      field('To', input('to', {type: 'date', value: to, required: true, testid: 'usage-to'})),
      field('Chart', select('chart', [['bars', 'Stacked bars'], ['lines', 'Lines']], {testid: 'usage-chart-mode'})),
      h('button', {type: 'submit', class: 'primary', 'data-testid': 'usage-apply'}, 'Show'));
  form.elements.group_by.value = groupBy;
  form.elements.chart.value = mode;
  form.addEventListener('submit', event => {
    event.preventDefault();
    ctx.navigate(values(form));
  });
  const results = h('div', {'data-testid': 'usage-results'}, h('p', {class: 'muted'}, 'Loading…'));
  main.append(form, results);

  const [series, totals, labels] = await Promise.all([
    get('usage/series', {group_by: groupBy, from, to}),
    get('usage', {group_by: groupBy, from, to}),
    labelsFor(groupBy, ctx),
  ]);
  if (!ctx.current()) return;
  const label = id => id === null || id === undefined ? '(none)' : labels.get(id) || id;

  const rows = totals.data.slice().sort((a, b) => Number(b.cost_usd) - Number(a.cost_usd) || b.requests - a.requests);
  // The chart shows the biggest spenders; the rest are summed as "Other" so colours stay distinguishable.
  const shown = rows.slice(0, rows.length > MAX_SERIES ? MAX_SERIES - 1 : MAX_SERIES).map(row => row[groupBy]);
  const chartSeries = shown.map(id => ({label: label(id), values: new Map()}));
  const other = {label: 'Other', values: new Map()};
  for (const point of series.data) {
    const index = shown.indexOf(point[groupBy]);
    const target = index >= 0 ? chartSeries[index] : other;
    target.values.set(point.day, (target.values.get(point.day) || 0) + Number(point.cost_usd));
  }
  if (other.values.size) chartSeries.push(other);

  results.replaceChildren();
  const total = rows.reduce((sum, row) => ({cost: sum.cost + Number(row.cost_usd), requests: sum.requests + row.requests}),
      {cost: 0, requests: 0});
  append(results, [
    h('p', {class: 'summary', 'data-testid': 'usage-summary'}, `${series.from} to ${series.to}: `,
        h('strong', {}, usd(total.cost)), ` for ${plural(total.requests, 'request')}.`),
    rows.length ? costChart({days: daysBetween(series.from, series.to), series: chartSeries, mode,
      title: `Cost per day by ${groupBy}`}) : null,
    table({
      testid: 'usage-table', rowKey: row => row[groupBy] || '', rows, empty: 'No traffic in this period.',
      caption: `Totals by ${groupBy}`,
      columns: [
        {label: GROUPS.find(([g]) => g === groupBy)[1], value: row => label(row[groupBy])},
        groupBy === 'model' ? null : {label: 'ID', value: row => row[groupBy] ? h('code', {}, row[groupBy]) : '—'},
        {label: 'Requests', numeric: true, value: row => count(row.requests)},
        {label: 'Input tokens', numeric: true, value: row => count(row.input_tokens)},
        {label: 'Output tokens', numeric: true, value: row => count(row.output_tokens)},
        {label: 'Cost', numeric: true, value: row => usd(row.cost_usd)},
      ].filter(Boolean),
    }),
  ]);
}

/** Names for the ids a grouping shows: keys and teams are listed by id, models are their own name. */
async function labelsFor(groupBy, ctx) {
  if (groupBy === 'key' && ctx.can('keys:read')) return names(await optionalList('keys', 'key names'));
  if (groupBy === 'team' && ctx.can('teams:read')) return names(await optionalList('teams', 'team names'));
  return new Map();
}
