/** What "Compare with saved" found, and the saved versions: rendering only. */
import { el } from '../shared/dom.js';
import type { CompareAnswer, SavedVersion } from './editor-api.js';
import { deltaDigits } from './delta-digits.js';
import { str } from './flow-model.js';

const METRICS: Array<{ key: string; name: string; unit: string; digits: number; better: 1 | -1 | 0 }> = [
  { key: 'serviceLevelPp', name: 'service level', unit: 'pp', digits: 1, better: 1 },
  { key: 'containmentRatePp', name: 'containment', unit: 'pp', digits: 1, better: 1 },
  { key: 'asaSec', name: 'ASA', unit: 's', digits: 1, better: -1 },
  { key: 'abandonRatePp', name: 'abandon rate', unit: 'pp', digits: 1, better: -1 },
  { key: 'avgIvrSec', name: 'avg IVR time', unit: 's', digits: 1, better: 0 },
  { key: 'ahtSec', name: 'AHT', unit: 's', digits: 1, better: 0 },
  { key: 'occupancyPp', name: 'occupancy', unit: 'pp', digits: 1, better: 0 },
  { key: 'selfServed', name: 'self-served calls', unit: '', digits: 1, better: 1 },
  { key: 'hungUpInIvr', name: 'hung up in IVR', unit: '', digits: 1, better: -1 },
  { key: 'abandoned', name: 'abandoned', unit: '', digits: 1, better: -1 },
];

const signed = (x: number, digits: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;

export function compareView(r: CompareAnswer): HTMLElement {
  const box = el('div', { className: 'compare' });
  const n = typeof r.replications === 'number' ? r.replications : r.replications.n;
  box.append(el('p', { className: 'muted', text: `${r.trace}, ${n} replications, ${(r.elapsedMs / 1000).toFixed(1)} s. Draft − saved; the interval is where the true difference lies with 95 % confidence.` }));
  const table = el('table', { className: 'deltas' }, [el('thead', null, [el('tr', null, ['KPI', 'Δ draft − saved', '95 % interval', ''].map((h) => el('th', { text: h })))])]);
  const body = el('tbody');
  for (const m of METRICS) {
    const iv = r.deltaIntervals?.overall?.[m.key];
    const d = iv ? iv.mean : r.delta.overall[m.key];
    if (d === undefined) continue;
    const moved = iv ? (iv.significant ?? (iv.ciLow > 0 || iv.ciHigh < 0)) : d !== 0 && d !== null;
    const digits = deltaDigits(m.unit ? m.digits : iv ? 1 : 0, moved, iv ? [iv.mean, iv.ciLow, iv.ciHigh] : []);
    const good = d === null || m.better === 0 || !moved ? 'neutral' : Math.sign(d) === m.better ? 'better' : 'worse';
    body.append(
      el('tr', { 'data-kpi': m.key, className: good }, [
        el('td', { text: m.name }),
        el('td', { className: 'num', text: d === null ? '—' : `${signed(d, digits)}${m.unit ? ` ${m.unit}` : ''}` }),
        el('td', { className: 'num', text: iv ? `[${signed(iv.ciLow, digits)}, ${signed(iv.ciHigh, digits)}]` : '—' }),
        el('td', { className: 'muted', text: iv ? (moved ? 'moves' : 'within noise') : '' }),
      ]),
    );
  }
  table.append(body);
  box.append(table);

  box.append(el('h3', { text: 'Calls that change' }));
  box.append(el('p', { 'data-field': 'changed-calls', text: `${r.changedCalls.count} call(s) treated or ending differently; ${r.decisions.different} of ${r.decisions.compared} decided differently.` }));
  if (r.changedCalls.transitions.length) {
    box.append(
      el('table', { className: 'changed' }, [
        el('thead', null, [el('tr', null, ['what', 'from', 'to', 'calls'].map((h) => el('th', { text: h })))]),
        el('tbody', null, r.changedCalls.transitions.slice(0, 30).map((t) => el('tr', null, [el('td', { text: t.field }), el('td', { text: t.from }), el('td', { text: t.to }), el('td', { className: 'num', text: String(t.count) })]))),
      ]),
    );
  }
  const calls = r.changedCalls.calls ?? [];
  if (calls.length) {
    box.append(el('h3', { text: `The first ${Math.min(calls.length, 10)} changed calls` }));
    box.append(
      el(
        'ul',
        { className: 'plain changed-calls' },
        calls.slice(0, 10).map((c) =>
          el('li', { 'data-call': c.callId }, [
            el('code', { text: c.callId }),
            ` ${c.changed.map((f) => `${f} ${str(c.baseline[f])} → ${str(c.candidate[f])}`).join(' · ')}`,
          ]),
        ),
      ),
    );
  }
  const segs = Object.entries(r.delta.bySegment ?? {}).filter(([, d]) => METRICS.some((m) => typeof d[m.key] === 'number' && d[m.key] !== 0));
  if (segs.length) {
    box.append(el('h3', { text: 'Segments that move' }));
    box.append(
      el(
        'ul',
        { className: 'plain' },
        segs.map(([seg, d]) => {
          const iv = r.deltaIntervals?.bySegment?.[seg];
          const parts = METRICS.filter((m) => typeof d[m.key] === 'number' && d[m.key] !== 0).slice(0, 4).map((m) => {
            const i = iv?.[m.key];
            return `${m.name} ${signed(i ? i.mean : (d[m.key] as number), 1)}${m.unit ? ` ${m.unit}` : ''}${i ? ` [${signed(i.ciLow, 1)}, ${signed(i.ciHigh, 1)}]` : ''}`;
          });
          return el('li', { 'data-segment': seg }, [el('strong', { text: seg }), `: ${parts.join(' · ')}`]);
        }),
      ),
    );
  }

  const examples = r.decisions.examples ?? [];
  if (examples.length) {
    box.append(el('h3', { text: 'For example' }));
    box.append(el('ul', { className: 'plain examples' }, examples.slice(0, 5).map((e) => el('li', null, [el('code', { text: e.callId }), ` ${e.kinds.join(', ')}: ${e.baseline} → ${e.candidate}`]))));
  }
  return box;
}

export function versionItem(v: SavedVersion, current: string, onRestore: (v: SavedVersion) => void): HTMLLIElement {
  const restore = el('button', { type: 'button', text: 'Restore', 'data-action': 'restore' });
  let armed = false;
  restore.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      restore.textContent = 'Restore: sure?';
      restore.classList.add('danger');
      return;
    }
    onRestore(v);
  });
  const isCurrent = v.configVersion === current;
  return el('li', { 'data-version': v.id, className: isCurrent ? 'current' : '' }, [
    el('strong', { text: new Date(v.savedAt).toLocaleString() }),
    ` · ${v.configVersion ?? v.id}${isCurrent ? ' (being served)' : ''}`,
    v.message ? el('div', { text: v.message }) : null,
    el('div', { className: 'muted', text: v.files.join(', ') || 'no files' }),
    isCurrent ? null : restore,
  ]);
}
