/*
 * The office-hours editor, used for bots and teams: a time zone, any number of slots per
 * weekday (split shifts, past midnight), "copy to other days", holidays, special days and
 * "never available". Under it a live line says what the edited hours mean right now, as the
 * server computes it (POST /v1/schedules/preview), before anything is saved.
 */
'use strict';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DAY_NAMES = { monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday', friday: 'Friday', saturday: 'Saturday', sunday: 'Sunday' };

// IANA zones for the picker: the browser knows them; a short list where it does not.
function timeZones() {
  try { return Intl.supportedValuesOf('timeZone'); } catch (_) {
    return ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'Europe/Madrid', 'America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'];
  }
}

function ensureZoneList() {
  if (document.getElementById('tz-list')) return;
  const list = h('datalist', { id: 'tz-list' }, ...timeZones().map((zone) => h('option', { value: zone })));
  document.body.append(list);
}

/*
 * Renders into `root` (an empty element); `prefix` makes element ids unique on the page.
 * Returns { get, set }: `get()` is the schedule document (null: always open, no schedule),
 * `set(schedule)` loads one.
 */
function hoursEditor(root, prefix) {
  ensureZoneList();
  let model = null;
  let previewTimer = null;
  let previewSeq = 0;

  const fromSchedule = (s) => ({
    limited: !!s,
    timezone: s?.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    // No weekly table means open around the clock: offer office hours to start from.
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, (s?.weekly ? s.weekly[d] || [] : (d === 'saturday' || d === 'sunday' ? [] : [{ start: '09:00', end: '17:00' }])).map((x) => ({ ...x }))])),
    holidays: [...(s?.holidays || [])],
    overrides: (s?.overrides || []).map((o) => ({ date: o.date, slots: o.slots.map((x) => ({ ...x })) })),
    never: !!s?.never_available,
  });

  function get() {
    if (!model.limited) return null;
    const weekly = {};
    for (const d of WEEKDAYS) weekly[d] = model.weekly[d].map((x) => ({ start: x.start, end: x.end }));
    return {
      timezone: model.timezone.trim(),
      weekly,
      holidays: model.holidays,
      overrides: model.overrides.map((o) => ({ date: o.date, slots: o.slots })),
      never_available: model.never,
    };
  }

  function changed() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 250);
  }

  async function preview() {
    const line = root.querySelector('.hours-preview');
    const seq = ++previewSeq;
    const schedule = get();
    try {
      const outlook = await api('POST', '/v1/schedules/preview', schedule || {});
      if (seq !== previewSeq) return;
      line.className = `hours-preview ${outlook.open ? 'open' : 'closed'}`;
      line.textContent = outlook.summary;
    } catch (e) {
      if (seq !== previewSeq) return;
      line.className = 'hours-preview invalid';
      line.textContent = e.message;
    }
  }

  function slotRow(slots, index, label) {
    const slot = slots[index];
    const time = (key, text) => h('input', {
      type: 'time', step: '60', value: slot[key], 'aria-label': `${label}: ${text} of hours ${index + 1}`,
      oninput: (e) => { slot[key] = e.target.value; changed(); },
    });
    return h('span', { class: 'slot' },
      time('start', 'start'), h('span', { 'aria-hidden': 'true', text: '–' }), time('end', 'end'),
      h('button', { type: 'button', class: 'icon-btn', 'aria-label': `Remove hours ${index + 1} on ${label}`, text: '×', onclick: () => { slots.splice(index, 1); render(); changed(); } }));
  }

  function slotsCell(slots, label) {
    return h('div', { class: 'slots' },
      ...slots.map((_, i) => slotRow(slots, i, label)),
      slots.length === 0 ? h('span', { class: 'muted closed-note', text: 'Closed' }) : null,
      h('button', { type: 'button', class: 'btn small', text: '+ Hours', 'aria-label': `Add hours on ${label}`, onclick: () => {
        const last = slots[slots.length - 1];
        slots.push(last ? { start: last.end, end: last.end === '18:00' ? '20:00' : '18:00' } : { start: '09:00', end: '17:00' });
        render(); changed();
      } }));
  }

  // "Copy to other days": a row of day boxes under the day, weekdays ticked.
  function copyPanel(day) {
    const boxes = WEEKDAYS.filter((d) => d !== day).map((d) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: d, checked: !['saturday', 'sunday'].includes(d) }), ' ' + DAY_NAMES[d]));
    const panel = h('div', { class: 'copy-panel', role: 'group', 'aria-label': `Copy ${DAY_NAMES[day]}'s hours to` },
      h('span', { text: `Copy ${DAY_NAMES[day]}'s hours to:` }), ...boxes,
      h('button', { type: 'button', class: 'btn small primary', text: 'Copy', onclick: () => {
        for (const box of panel.querySelectorAll('input:checked')) model.weekly[box.value] = model.weekly[day].map((x) => ({ ...x }));
        render(); changed();
      } }),
      h('button', { type: 'button', class: 'btn small', text: 'Cancel', onclick: () => panel.remove() }));
    return panel;
  }

  function render() {
    const id = (name) => `${prefix}-${name}`;
    const mode = (value, text) => h('label', { class: 'check' },
      h('input', { type: 'radio', name: id('mode'), value, checked: model.limited === (value === 'hours'), onchange: () => { model.limited = value === 'hours'; render(); changed(); } }), ' ' + text);
    const week = h('table', { class: 'week', 'aria-label': 'Hours per weekday' },
      h('tbody', {}, ...WEEKDAYS.map((day) => {
        const row = h('tr', { 'data-day': day },
          h('th', { scope: 'row', text: DAY_NAMES[day] }),
          h('td', {}, slotsCell(model.weekly[day], DAY_NAMES[day])),
          h('td', {}, h('button', { type: 'button', class: 'btn small link', text: 'Copy to other days', 'aria-label': `Copy ${DAY_NAMES[day]}'s hours to other days`, onclick: (e) => {
            const cell = e.target.closest('tr').nextElementSibling;
            if (cell?.classList.contains('copy-row')) { cell.remove(); return; }
            e.target.closest('tr').after(h('tr', { class: 'copy-row' }, h('td', { colspan: '3' }, copyPanel(day))));
          } })));
        return row;
      })));
    const holidayInput = h('input', { type: 'date', id: id('holiday'), 'aria-label': 'Holiday date' });
    const holidays = h('div', { class: 'dates' },
      ...model.holidays.map((date, i) => h('span', { class: 'chip' }, date,
        h('button', { type: 'button', class: 'icon-btn', 'aria-label': `Remove holiday ${date}`, text: '×', onclick: () => { model.holidays.splice(i, 1); render(); changed(); } }))),
      holidayInput,
      h('button', { type: 'button', class: 'btn small', text: 'Add holiday', onclick: () => {
        const date = holidayInput.value;
        if (!date || model.holidays.includes(date)) return;
        model.holidays.push(date); model.holidays.sort(); render(); changed();
      } }));
    const overrideInput = h('input', { type: 'date', id: id('override'), 'aria-label': 'Special day date' });
    const overrides = h('div', { class: 'overrides' },
      ...model.overrides.map((o, i) => h('div', { class: 'override' },
        h('strong', { text: o.date }),
        slotsCell(o.slots, o.date),
        h('button', { type: 'button', class: 'btn small', 'aria-label': `Remove special day ${o.date}`, text: 'Remove', onclick: () => { model.overrides.splice(i, 1); render(); changed(); } }))),
      h('div', { class: 'dates' }, overrideInput,
        h('button', { type: 'button', class: 'btn small', text: 'Add special day', onclick: () => {
          const date = overrideInput.value;
          if (!date || model.overrides.some((o) => o.date === date)) return;
          model.overrides.push({ date, slots: [{ start: '09:00', end: '13:00' }] });
          model.overrides.sort((a, b) => a.date.localeCompare(b.date));
          render(); changed();
        } })));
    const body = model.limited ? h('div', { class: 'hours-body' },
      h('div', { class: 'field' },
        h('label', { for: id('tz'), text: 'Time zone' }),
        h('input', { id: id('tz'), list: 'tz-list', value: model.timezone, autocomplete: 'off', oninput: (e) => { model.timezone = e.target.value; changed(); } })),
      week,
      h('div', { class: 'field' }, h('span', { class: 'label', text: 'Holidays (closed all day)' }), holidays),
      h('div', { class: 'field' }, h('span', { class: 'label', text: 'Special days (their own hours instead of the weekday\'s; remove every slot to close)' }), overrides),
      h('label', { class: 'check' },
        h('input', { type: 'checkbox', checked: model.never, onchange: (e) => { model.never = e.target.checked; changed(); } }),
        ' Never available: always show the offline message (the hours stay for later)')) : null;
    const line = root.querySelector('.hours-preview');
    root.replaceChildren(
      h('div', { class: 'hours-mode' }, mode('always', 'Always open'), mode('hours', 'Open at set hours')),
      body,
      h('p', { class: line ? line.className : 'hours-preview', role: 'status', 'aria-live': 'polite', text: line ? line.textContent : '' }));
  }

  function set(schedule) {
    model = fromSchedule(schedule);
    render();
    changed();
  }

  return { get, set };
}
