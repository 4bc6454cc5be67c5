// Pieces shared by the keys and the teams & customers pages: budgets (one optional limit per period) and
// lookups that a page can live without.

import {h, field, input, usd, notify} from '../dom.js';
import {get} from '../api.js';

export const PERIODS = [['day', 'Daily'], ['week', 'Weekly'], ['month', 'Monthly'], ['total', 'Total']];

/** One number field per budget period, filled from existing budgets ([{period, limit_usd}]). */
export function budgetFields(prefix, budgets = []) {
  const current = Object.fromEntries(budgets.map(b => [b.period, b.limit_usd]));
  return h('fieldset', {class: 'budgets'}, h('legend', {}, 'Budgets (USD, leave empty for none)'),
      PERIODS.map(([period, label]) => field(label, input('budget_' + period, {
        type: 'number', min: '0', step: 'any', inputmode: 'decimal', testid: `${prefix}-budget-${period}`,
        value: current[period] === undefined ? '' : String(current[period]),
      }))));
}

/** The form's budget fields → the API's "budgets" array (limits as strings, so no floating-point rounding). */
export function budgetsFrom(values) {
  return PERIODS.filter(([period]) => values['budget_' + period])
      .map(([period]) => ({period, limit_usd: values['budget_' + period]}));
}

/** "month: $0.012000 of $10.00" lines, with the reset time as a tooltip. */
export function budgetSummary(budgets) {
  if (!budgets || !budgets.length) return h('span', {class: 'muted'}, 'none');
  return h('ul', {class: 'plain'}, budgets.map(b => h('li', {title: b.resets_at ? 'resets ' + b.resets_at : 'never resets'},
      `${b.period}: ${usd(b.spent_usd)} of ${usd(b.limit_usd)}`)));
}

/** A list the page can do without (e.g. team names for a select): on error it says so and returns []. */
export async function optionalList(path, what) {
  try {
    const result = await get(path);
    return result.data || [];
  } catch (error) {
    notify(`Could not load ${what}: ${error.message}`);
    return [];
  }
}

/** id → display name for teams or keys, for tables that show ids. */
export function names(items) {
  return new Map(items.map(item => [item.id, item.name]));
}
