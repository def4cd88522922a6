/*
 * The analytics dashboard: GET /v1/analytics drawn as figures, inline SVG charts and tables.
 * Every figure shown is one the API returns (docs/analytics.md defines each); nothing is
 * computed here but percentages of the API's own counts.
 */
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const TRIGGER_NAMES = { explicit_request: 'Asked for a person', frustration: 'Frustration', forbidden_topic: 'Forbidden topic', ai_decision: 'The AI decided', bot_failure: 'The bot could not help' };
const OUTCOME_NAMES = { human: 'Reached a person', ticket: 'Became a ticket', offline: 'Went offline', returned_to_bot: 'Back to the bot', abandoned: 'Abandoned while waiting', waiting: 'Still waiting' };
const OUTCOME_COLORS = { human: '#2b59c3', ticket: '#7a5af8', offline: '#b54708', returned_to_bot: '#667085', abandoned: '#b42318', waiting: '#98a2b3' };

let lastReport = null;

function svg(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const kid of kids) if (kid != null) el.append(kid);
  return el;
}

const percent = (value) => (value == null ? '—' : `${Math.round(value * 1000) / 10} %`);
const seconds = (value) => {
  if (value == null) return '—';
  if (value < 90) return `${Math.round(value)} s`;
  if (value < 5400) return `${Math.round(value / 6) / 10} min`;
  return `${Math.round(value / 360) / 10} h`;
};
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

function figure(key, label, value, note) {
  return h('div', { class: 'figure', 'data-figure': key },
    h('div', { class: 'figure-value', text: value }),
    h('div', { class: 'figure-label', text: label }),
    note ? h('div', { class: 'figure-note muted', text: note }) : null);
}

// Bars over time (conversations behind, handoffs in front), with the first and last dates.
function seriesChart(series, bucket) {
  const width = 720, height = 180, pad = 28;
  const max = Math.max(1, ...series.map((p) => Math.max(p.conversations, p.handoffs)));
  const step = (width - pad) / Math.max(1, series.length);
  const y = (v) => height - pad - (v / max) * (height - pad - 10);
  const bars = series.flatMap((p, i) => {
    const x = pad + i * step;
    const label = `${bucket === 'hour' ? new Date(p.start).toISOString().slice(0, 13).replace('T', ' ') + ':00' : isoDay(p.start)}: ${p.conversations} conversations, ${p.handoffs} handoffs`;
    return [
      svg('rect', { x, y: y(p.conversations), width: Math.max(1, step * 0.8), height: height - pad - y(p.conversations), fill: '#c7d4f5' }, svg('title', {}, label)),
      svg('rect', { x: x + step * 0.2, y: y(p.handoffs), width: Math.max(1, step * 0.45), height: height - pad - y(p.handoffs), fill: '#2b59c3' }, svg('title', {}, label)),
    ];
  });
  const first = series[0], last = series[series.length - 1];
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': `Conversations and handoffs per ${bucket}` },
    svg('line', { x1: pad, y1: height - pad, x2: width, y2: height - pad, stroke: '#d0d5dd' }),
    svg('text', { x: 0, y: 14, class: 'axis' }, String(max)),
    svg('text', { x: 0, y: height - pad, class: 'axis' }, '0'),
    ...bars,
    first ? svg('text', { x: pad, y: height - 8, class: 'axis' }, isoDay(first.start)) : null,
    last ? svg('text', { x: width, y: height - 8, class: 'axis', 'text-anchor': 'end' }, isoDay(last.start)) : null);
}

function lineChart(series, key, label) {
  const width = 720, height = 120, pad = 28;
  const max = Math.max(0.1, ...series.map((p) => p[key]));
  const x = (i) => pad + (i / Math.max(1, series.length - 1)) * (width - pad);
  const y = (v) => height - pad - (v / max) * (height - pad - 10);
  const points = series.map((p, i) => `${x(i)},${y(p[key])}`).join(' ');
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label },
    svg('line', { x1: pad, y1: height - pad, x2: width, y2: height - pad, stroke: '#d0d5dd' }),
    svg('text', { x: 0, y: 14, class: 'axis' }, String(Math.round(max * 10) / 10)),
    svg('text', { x: 0, y: height - pad, class: 'axis' }, '0'),
    svg('polyline', { points, fill: 'none', stroke: '#b54708', 'stroke-width': 2 }));
}

// Labelled horizontal bars: [name, count] pairs, with each one's share of `total`.
function barList(pairs, total, colors) {
  if (!pairs.length) return h('p', { class: 'muted', text: 'None in this range.' });
  const max = Math.max(1, ...pairs.map(([, n]) => n));
  return h('ul', { class: 'bar-list' }, ...pairs.map(([key, n, name]) => h('li', { 'data-key': key },
    h('span', { class: 'bar-name', text: name || key }),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${(n / max) * 100}%;${colors?.[key] ? `background:${colors[key]}` : ''}` })),
    h('span', { class: 'bar-count', text: `${n}${total ? ` · ${percent(n / total)}` : ''}` }))));
}

// A table that scrolls on its own when the screen is narrower than its columns.
function table(head, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', {}, h('tr', {}, ...head.map((text) => h('th', { scope: 'col', text })))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((text) => h('td', { text: String(text) })))))));
}

function query() {
  const params = new URLSearchParams();
  for (const [name, id] of [['from', '#an-from'], ['to', '#an-to'], ['bot_id', '#an-bot'], ['team_id', '#an-team'], ['bucket', '#an-bucket']]) {
    const value = $(id).value;
    if (value) params.set(name, value);
  }
  return params;
}

async function loadAnalytics() {
  try {
    await loadPeople();
    if (!bots.length) bots = await api('GET', '/v1/bots');
  } catch (e) {
    return toast(e.message);
  }
  const keep = (select, options) => {
    const value = select.value;
    select.replaceChildren(h('option', { value: '', text: select.dataset.all }), ...options.map(([id, name]) => h('option', { value: id, text: name })));
    select.value = value;
  };
  keep($('#an-bot'), bots.map((b) => [b.id, b.name]));
  keep($('#an-team'), people.teams.map((t) => [t.id, t.name]));
  await drawReport();
}

async function drawReport() {
  const form = $('#analytics-form');
  clearErrors(form);
  let r;
  try {
    r = await api('GET', `/v1/analytics?${query()}`);
  } catch (e) {
    return showError(form, e.message);
  }
  lastReport = r;
  if (!$('#an-from').value) $('#an-from').value = isoDay(r.from);
  if (!$('#an-to').value) $('#an-to').value = isoDay(r.to - 1);
  const o = r.outcomes;
  const triggers = Object.entries(r.by_trigger).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n, TRIGGER_NAMES[k]]);
  const reasons = Object.entries(r.by_reason).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n]);
  const outcomes = Object.keys(OUTCOME_NAMES).filter((k) => o[k] > 0 || k !== 'waiting').map((k) => [k, o[k], OUTCOME_NAMES[k]]);
  const stars = ['5', '4', '3', '2', '1'].map((s) => [s, r.csat.distribution[s] || 0, `${s} ★`]);
  const t = r.time_to_human_seconds;
  $('#analytics-body').replaceChildren(
    h('div', { class: 'figures' },
      figure('conversations', 'Conversations', String(r.conversations)),
      figure('handoffs', 'Handoffs', String(r.handoffs)),
      figure('handoff_rate', 'Handoff rate', percent(r.handoff_rate), 'handoffs ÷ conversations'),
      figure('human_share', 'Reached a person', r.handoffs ? percent(o.human / r.handoffs) : '—'),
      figure('time_to_human', 'Time to a person (median)', seconds(t.p50), `p90 ${seconds(t.p90)} · p95 ${seconds(t.p95)}`),
      figure('within_sla', 'First reply within SLA', percent(r.within_sla.share), r.within_sla.total ? `${r.within_sla.met} of ${r.within_sla.total}` : 'no SLA set'),
      figure('acceptance', 'Offers accepted', percent(r.offers.acceptance_rate), r.offers.made ? `${r.offers.made} offers · ${percent(r.offers.decline_rate)} declined` : 'no offers'),
      figure('csat', 'CSAT', r.csat.average == null ? '—' : `${r.csat.average} / 5`, `${r.csat.count} ratings`)),
    h('section', { class: 'card chart-card' }, h('h2', { text: `Conversations and handoffs per ${r.bucket}` }),
      h('p', { class: 'legend muted' }, h('span', { class: 'swatch light' }), ' conversations ', h('span', { class: 'swatch' }), ' handoffs'),
      seriesChart(r.series, r.bucket)),
    h('div', { class: 'chart-grid' },
      h('section', { class: 'card', 'data-chart': 'outcomes' }, h('h2', { text: 'Where handoffs ended up' }), barList(outcomes, r.handoffs, OUTCOME_COLORS)),
      h('section', { class: 'card', 'data-chart': 'triggers' }, h('h2', { text: 'Why they were handed off' }), barList(triggers, r.handoffs),
        reasons.length ? h('div', {}, h('h3', { text: 'Topics and AI reasons' }), barList(reasons, r.handoffs)) : null),
      h('section', { class: 'card', 'data-chart': 'queue' }, h('h2', { text: `Queue length (average per ${r.bucket})` }), lineChart(r.series, 'queue_length', 'Average queue length')),
      h('section', { class: 'card', 'data-chart': 'csat' }, h('h2', { text: 'Customer satisfaction' }), barList(stars, r.csat.count),
        h('p', { class: 'muted', text: `After a person: ${r.csat.human.average ?? '—'} (${r.csat.human.count}) · without one: ${r.csat.after_bot.average ?? '—'} (${r.csat.after_bot.count})` }))),
    h('section', { class: 'card' }, h('h2', { text: 'Teams' }),
      r.teams.length ? table(['Team', 'Handoffs', 'Reached a person', 'Time to a person (p50 / p90)', 'Within SLA', 'CSAT'],
        r.teams.map((row) => [row.name, row.handoffs, row.human, `${seconds(row.time_to_human_seconds.p50)} / ${seconds(row.time_to_human_seconds.p90)}`, percent(row.within_sla), row.csat_average ?? '—'])) : h('p', { class: 'muted', text: 'No handoffs in this range.' })),
    h('section', { class: 'card' }, h('h2', { text: 'People' }),
      r.users.length ? table(['Person', 'Chats taken', 'Average time to them', 'Offers', 'Accepted', 'Declined', 'Expired', 'Within SLA', 'CSAT'],
        r.users.map((row) => [row.name, row.handoffs, seconds(row.average_time_to_human_seconds), row.offers, row.accepted, row.declined, row.expired, percent(row.within_sla), row.csat_average ?? '—'])) : h('p', { class: 'muted', text: 'Nobody took a chat in this range.' })));
}

// The CSV needs the session's token, so it is fetched and handed over as a file.
async function downloadCsv() {
  const params = query();
  params.set('format', 'csv');
  const res = await fetch(`/v1/analytics?${params}`, { headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) return toast(`Could not export: HTTP ${res.status}`);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '')?.[1] || 'baton-analytics.csv';
  const link = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

PAGES.analytics = loadAnalytics;
SETUP.push(() => {
  $('#analytics-form').addEventListener('submit', (e) => { e.preventDefault(); drawReport(); });
  $('#analytics-csv').addEventListener('click', downloadCsv);
});
