// Inline SVG charts: cost per day, stacked bars or one line per series. Colours come from CSS classes
// (series-0 … series-7), not style attributes, so the strict CSP holds. Every mark has a <title> tooltip and the
// figure has a text alternative; the table under the chart carries the exact numbers.

const NS = 'http://www.w3.org/2000/svg';
export const MAX_SERIES = 8;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function money(value) {
  if (value === 0) return '$0';
  if (value >= 100) return '$' + value.toFixed(0);
  if (value >= 1) return '$' + value.toFixed(2);
  return '$' + Number(value.toPrecision(2));
}

/**
 * series: [{label, values: Map(day → number)}] (at most MAX_SERIES, already ordered); days: ['YYYY-MM-DD', …].
 * Returns a <figure> with the SVG and its legend.
 */
export function costChart({days, series, mode = 'bars', title}) {
  const width = 760, height = 260, left = 64, right = 12, top = 12, bottom = 36;
  const plotW = width - left - right, plotH = height - top - bottom;
  const valueAt = (serie, day) => serie.values.get(day) || 0;
  const peak = mode === 'bars'
      ? Math.max(0, ...days.map(day => series.reduce((sum, serie) => sum + valueAt(serie, day), 0)))
      : Math.max(0, ...series.flatMap(serie => days.map(day => valueAt(serie, day))));
  const max = niceMax(peak);
  const y = value => top + plotH - (value / max) * plotH;
  const slot = plotW / Math.max(1, days.length);
  const x = index => left + slot * index + slot / 2;

  const svg = s('svg', {viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart', 'data-testid': 'usage-chart',
    'aria-label': `${title}: ${days.length} days, ${series.length} series, peak ${money(peak)} per day`});
  svg.append(s('title', {}, title));
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    svg.append(s('line', {x1: left, x2: width - right, y1: y(value), y2: y(value), class: 'grid'}),
        s('text', {x: left - 6, y: y(value) + 4, class: 'axis', 'text-anchor': 'end'}, money(value)));
  }
  const every = Math.max(1, Math.ceil(days.length / 10));
  days.forEach((day, index) => {
    if (index % every === 0) {
      svg.append(s('text', {x: x(index), y: height - bottom + 16, class: 'axis', 'text-anchor': 'middle'},
          day.substring(5)));
    }
  });
  svg.append(s('line', {x1: left, x2: width - right, y1: top + plotH, y2: top + plotH, class: 'baseline'}));

  if (mode === 'bars') {
    const barW = Math.max(2, slot * 0.7);
    days.forEach((day, index) => {
      let base = 0;
      series.forEach((serie, n) => {
        const value = valueAt(serie, day);
        if (value <= 0) return;
        const rect = s('rect', {x: x(index) - barW / 2, width: barW, y: y(base + value),
          height: Math.max(1, y(base) - y(base + value)), class: `bar series-${n}`});
        rect.append(s('title', {}, `${day} · ${serie.label}: $${value.toFixed(6)}`));
        svg.append(rect);
        base += value;
      });
    });
  } else {
    series.forEach((serie, n) => {
      const points = days.map((day, index) => `${x(index)},${y(valueAt(serie, day))}`).join(' ');
      svg.append(s('polyline', {points, class: `line series-${n}`}));
      days.forEach((day, index) => {
        const value = valueAt(serie, day);
        if (value <= 0) return;
        const dot = s('circle', {cx: x(index), cy: y(value), r: 3, class: `dot series-${n}`});
        dot.append(s('title', {}, `${day} · ${serie.label}: $${value.toFixed(6)}`));
        svg.append(dot);
      });
    });
  }

  const legend = document.createElement('ul');
  legend.className = 'legend';
  series.forEach((serie, n) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch series-${n}`;
    swatch.setAttribute('aria-hidden', 'true');
    item.append(swatch, document.createTextNode(serie.label));
    legend.append(item);
  });
  const figure = document.createElement('figure');
  figure.className = 'chart-figure';
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  figure.append(caption, svg, legend);
  return figure;
}

/** Every day from `from` to `to` inclusive, as YYYY-MM-DD (UTC arithmetic on dates, so no DST surprises). */
export function daysBetween(from, to) {
  const days = [];
  const end = Date.parse(to + 'T00:00:00Z');
  for (let t = Date.parse(from + 'T00:00:00Z'); t <= end && days.length < 400; t += 86400000) {
    days.push(new Date(t).toISOString().substring(0, 10));
  }
  return days;
}
