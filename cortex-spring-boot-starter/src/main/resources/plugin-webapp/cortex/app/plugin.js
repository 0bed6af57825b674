/*
 * Cortex "Checkpoints" tab for Cockpit (Camunda 7.14+ frontend plugin API, plain ES module, no build step).
 *
 * Cockpit loads it as the script of the Cockpit plugin "cortex" (io.cortex.spring.cockpit.CortexCockpitPlugin, found
 * through META-INF/services), from /camunda/api/cockpit/plugin/cortex/static/app/plugin.js; nothing of the host's own
 * Cockpit configuration is replaced. On the process instance view it lists the
 * checkpoints of the instance's Cortex session, previews a rollback (the dry-run diff), rolls back after a
 * confirmation (with a Force option) and shows the session's audit log. It talks to the Cortex REST API
 * (/cortex-rest, docs/rest.md) with the browser's Cockpit login session; modifying requests carry Camunda's
 * CSRF token in the X-XSRF-TOKEN header.
 *
 * Every value from the server reaches the page through textContent or attributes, never as HTML.
 * Stable hooks for tests and scripts: data-cortex="…" on every part, data-checkpoint-id on checkpoint rows
 * and their buttons, data-action on audit rows.
 */

const REST = '/cortex-rest';
const STYLE_ID = 'cortex-checkpoints-style';
const STYLE = `
.cortex-checkpoints { padding: 10px 15px 20px; }
.cortex-checkpoints h4 { margin: 18px 0 8px; font-size: 15px; }
.cortex-checkpoints .cortex-toolbar { display: flex; align-items: center; gap: 12px; margin-bottom: 8px; }
.cortex-checkpoints .cortex-toolbar .cortex-session { font-weight: 600; }
.cortex-checkpoints table { margin-bottom: 6px; }
.cortex-checkpoints td, .cortex-checkpoints th { vertical-align: middle !important; }
.cortex-checkpoints .cortex-id { font-family: monospace; font-weight: 600; }
.cortex-checkpoints .cortex-sha { font-family: monospace; }
.cortex-checkpoints .cortex-metrics { font-family: monospace; font-size: 12px; color: #555; }
.cortex-checkpoints .cortex-clip { max-width: 420px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.cortex-checkpoints .cortex-actions { white-space: nowrap; text-align: right; }
.cortex-checkpoints .cortex-actions .btn { margin-left: 4px; }
.cortex-checkpoints .cortex-type { display: inline-block; padding: 1px 6px; border-radius: 3px; font-size: 11px;
  background: #eef1f5; color: #333; font-family: monospace; }
.cortex-checkpoints .cortex-type-PRE_ROLLBACK { background: #fcf3dc; }
.cortex-checkpoints .cortex-type-RECOVERY_POINT { background: #e3f3e6; }
.cortex-checkpoints .cortex-type-SESSION_START { background: #e5eefb; }
.cortex-checkpoints .cortex-selected { background: #f5f9ff; }
.cortex-checkpoints .cortex-panel { border: 1px solid #d6dbe1; border-radius: 4px; padding: 10px 12px; margin: 10px 0; }
.cortex-checkpoints .cortex-panel-header { display: flex; justify-content: space-between; align-items: center; }
.cortex-checkpoints .cortex-files { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 6px 0; }
.cortex-checkpoints .cortex-files ul { margin: 2px 0 0; padding-left: 18px; font-family: monospace; font-size: 12px; }
.cortex-checkpoints pre { max-height: 360px; overflow: auto; font-size: 12px; margin: 6px 0 0; white-space: pre; }
.cortex-checkpoints pre .cortex-add { color: #1a7f37; background: #e6ffec; display: block; }
.cortex-checkpoints pre .cortex-del { color: #cf222e; background: #ffebe9; display: block; }
.cortex-checkpoints pre .cortex-hunk { color: #6e40c9; display: block; }
.cortex-checkpoints pre .cortex-meta { color: #57606a; font-weight: 600; display: block; }
.cortex-checkpoints .alert { margin: 8px 0; white-space: pre-wrap; }
.cortex-checkpoints .alert ul { margin: 4px 0 0; }
.cortex-checkpoints .cortex-muted { color: #777; }
.cortex-overlay { position: fixed; top: 0; right: 0; bottom: 0; left: 0; background: rgba(0, 0, 0, 0.45);
  z-index: 3000; display: flex; align-items: flex-start; justify-content: center; padding-top: 90px; }
.cortex-overlay .modal-dialog { margin: 0; width: 620px; max-width: 95vw; }
.cortex-overlay .modal-body p { margin-bottom: 8px; }
.cortex-overlay .checkbox { margin: 10px 0 0; }
.cortex-overlay .alert { white-space: pre-wrap; margin: 8px 0 0; }
`;

/** One element: h('td', {className: 'x', dataset: {cortex: 'y'}}, 'text', child, …). Text is always text. */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'onclick' || key === 'onchange') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'className' || key === 'textContent' || key === 'checked' || key === 'disabled'
        || key === 'type' || key === 'title' || key === 'id' || key === 'htmlFor') {
      el[key] = value;
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function clear(el) {
  while (el.firstChild) {
    el.removeChild(el.firstChild);
  }
  return el;
}

function ensureStyle() {
  if (!document.getElementById(STYLE_ID)) {
    const style = document.createElement('style');
    style.id = STYLE_ID;
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
}

function formatTime(iso) {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function short(value, max) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const oneLine = String(text).replace(/\s+/g, ' ');
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

/** {a: 1, b: "long…"} as "a=1, b=long…" for a table cell; the full JSON goes into the title. */
function keyValues(object, max) {
  const entries = Object.entries(object || {});
  if (entries.length === 0) {
    return '';
  }
  return entries.map(([k, v]) => k + '=' + short(v, max)).join(', ');
}

/** Camunda's CSRF token: the webapp's cookie as it is now, else what the plugin API handed over. */
function csrfToken(api) {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
  return (match && decodeURIComponent(match[1])) || (api && api.CSRFToken) || '';
}

class RestError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** fetch with the Cockpit session cookie; JSON in and out; errors as RestError with the API's message. */
async function rest(api, method, path, body, signal) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    headers['X-XSRF-TOKEN'] = csrfToken(api);
  }
  let response;
  try {
    response = await fetch(REST + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal
    });
  } catch (e) {
    if (e && e.name === 'AbortError') {
      throw e;
    }
    throw new RestError(0, 'The server could not be reached: ' + (e && e.message ? e.message : e), null);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    let message = json && json.error ? json.error : (response.status + ' ' + response.statusText).trim();
    if (response.status === 401) {
      message = 'Your Cockpit login has ended; reload the page and log in again. (' + message + ')';
    }
    throw new RestError(response.status, message, json);
  }
  return json;
}

function enc(value) {
  return encodeURIComponent(value);
}

/** One rendering of the tab: its DOM, its data and its requests. */
class CheckpointsTab {
  constructor(node, api, processInstanceId) {
    this.node = node;
    this.api = api;
    this.processInstanceId = processInstanceId;
    this.abort = new AbortController();
    this.sessionId = null;
    this.checkpoints = [];
    this.selected = null;
    this.overlay = null;
  }

  mount() {
    ensureStyle();
    this.message = h('div', { dataset: { cortex: 'message' } });
    this.sessionLabel = h('span', { className: 'cortex-session', dataset: { cortex: 'session-id' } });
    this.table = h('tbody', { dataset: { cortex: 'checkpoint-rows' } });
    this.result = h('div', { dataset: { cortex: 'result' } });
    this.preview = h('div', { dataset: { cortex: 'preview' }, hidden: 'hidden' });
    this.audit = h('tbody', { dataset: { cortex: 'audit-rows' } });
    this.root = h('div', { className: 'cortex-checkpoints', dataset: { cortex: 'checkpoints-tab' } },
      h('div', { className: 'cortex-toolbar' },
        h('span', null, 'Cortex session ', this.sessionLabel),
        h('button', { type: 'button', className: 'btn btn-default btn-xs', dataset: { cortex: 'refresh' },
          onclick: () => this.load() }, 'Refresh')),
      this.message,
      this.result,
      h('table', { className: 'table table-condensed cam-table', dataset: { cortex: 'checkpoints' } },
        h('thead', null, h('tr', null,
          h('th', null, 'Checkpoint'), h('th', null, 'Phase'), h('th', null, 'Type'), h('th', null, 'Created'),
          h('th', null, 'Metrics'), h('th', null, 'Snapshot'), h('th', { className: 'cortex-actions' }, 'Actions'))),
        this.table),
      this.preview,
      h('h4', null, 'Audit log'),
      h('table', { className: 'table table-condensed cam-table', dataset: { cortex: 'audit' } },
        h('thead', null, h('tr', null,
          h('th', null, 'Time'), h('th', null, 'Action'), h('th', null, 'Actor'), h('th', null, 'Outcome'),
          h('th', null, 'Details'))),
        this.audit));
    this.node.appendChild(this.root);
    this.load();
  }

  unmount() {
    this.abort.abort();
    this.closeDialog();
  }

  say(kind, text, dataCortex) {
    clear(this.message);
    if (text) {
      this.message.appendChild(h('div', { className: 'alert alert-' + kind, dataset: { cortex: dataCortex || 'notice' } },
        text));
    }
  }

  async load() {
    this.say('info', 'Loading checkpoints…', 'loading');
    try {
      const checkpoints = await rest(this.api, 'GET',
        '/process-instances/' + enc(this.processInstanceId) + '/checkpoints', undefined, this.abort.signal);
      this.checkpoints = checkpoints || [];
      this.sessionId = this.checkpoints.length ? this.checkpoints[0].sessionId : null;
      this.sessionLabel.textContent = this.sessionId || '–';
      this.renderCheckpoints();
      this.say(null, null);
      await this.loadAudit();
    } catch (e) {
      if (e.name === 'AbortError') {
        return;
      }
      if (e.status === 404) {
        this.say('info', 'This process instance is not a Cortex session, so it has no checkpoints. (' + e.message + ')',
          'not-a-session');
      } else {
        this.say('danger', 'Could not load the checkpoints: ' + e.message, 'error');
      }
    }
  }

  async loadAudit() {
    clear(this.audit);
    if (!this.sessionId) {
      return;
    }
    try {
      const entries = await rest(this.api, 'GET', '/audit?sessionId=' + enc(this.sessionId) + '&limit=100', undefined,
        this.abort.signal);
      clear(this.audit);
      const newestFirst = (entries || []).slice().reverse();
      if (newestFirst.length === 0) {
        this.audit.appendChild(h('tr', null, h('td', { colspan: 5, className: 'cortex-muted' }, 'No entries.')));
      }
      for (const e of newestFirst) {
        const outcomeClass = e.outcome === 'SUCCESS' ? 'text-success' : e.outcome === 'FAILURE' ? 'text-danger'
          : 'text-warning';
        this.audit.appendChild(h('tr', { dataset: { cortex: 'audit-row', action: e.action, entryId: e.entryId } },
          h('td', { title: e.timestamp }, formatTime(e.timestamp)),
          h('td', { className: 'cortex-id', dataset: { cortex: 'audit-action' } }, e.action),
          h('td', { dataset: { cortex: 'audit-actor' } }, e.actor || ''),
          h('td', { className: outcomeClass, dataset: { cortex: 'audit-outcome' } }, e.outcome),
          h('td', { className: 'cortex-metrics', title: JSON.stringify(e.details || {}, null, 2),
            dataset: { cortex: 'audit-details' } }, h('div', { className: 'cortex-clip' }, keyValues(e.details, 60)))));
      }
    } catch (e) {
      if (e.name !== 'AbortError') {
        clear(this.audit);
        this.audit.appendChild(h('tr', null, h('td', { colspan: 5, className: 'text-danger', dataset: { cortex: 'audit-error' } },
          'Could not load the audit log: ' + e.message)));
      }
    }
  }

  renderCheckpoints() {
    clear(this.table);
    if (this.checkpoints.length === 0) {
      this.table.appendChild(h('tr', null, h('td', { colspan: 7, className: 'cortex-muted' }, 'No checkpoints yet.')));
      return;
    }
    for (const c of this.checkpoints) {
      const row = h('tr', {
        className: this.selected === c.checkpointId ? 'cortex-selected' : '',
        dataset: { cortex: 'checkpoint-row', checkpointId: c.checkpointId, type: c.type }
      },
      h('td', { className: 'cortex-id', dataset: { cortex: 'checkpoint-id' } }, c.checkpointId),
      h('td', { dataset: { cortex: 'checkpoint-phase' } }, c.phase || '–'),
      h('td', null, h('span', { className: 'cortex-type cortex-type-' + c.type, dataset: { cortex: 'checkpoint-type' } },
        c.type)),
      h('td', { title: c.createdAt, dataset: { cortex: 'checkpoint-time' } }, formatTime(c.createdAt)),
      h('td', { className: 'cortex-metrics', title: JSON.stringify(c.metrics || {}, null, 2),
        dataset: { cortex: 'checkpoint-metrics' } }, h('div', { className: 'cortex-clip' }, keyValues(c.metrics, 40) || '–')),
      h('td', { className: 'cortex-sha', title: c.commitSha, dataset: { cortex: 'checkpoint-sha' } }, c.shortSha),
      h('td', { className: 'cortex-actions' },
        h('button', { type: 'button', className: 'btn btn-default btn-xs',
          dataset: { cortex: 'preview-button', checkpointId: c.checkpointId },
          onclick: () => this.showPreview(c) }, 'Preview'),
        h('button', { type: 'button', className: 'btn btn-warning btn-xs',
          dataset: { cortex: 'rollback-button', checkpointId: c.checkpointId },
          onclick: () => this.openDialog(c) }, 'Roll back…')));
      this.table.appendChild(row);
    }
  }

  select(checkpointId) {
    this.selected = checkpointId;
    for (const row of this.table.querySelectorAll('tr[data-cortex="checkpoint-row"]')) {
      row.classList.toggle('cortex-selected', row.dataset.checkpointId === checkpointId);
    }
  }

  async showPreview(c) {
    this.select(c.checkpointId);
    const panel = clear(this.preview);
    panel.hidden = false;
    panel.className = 'cortex-panel';
    panel.dataset.checkpointId = c.checkpointId;
    panel.dataset.state = 'loading';
    panel.appendChild(h('div', { className: 'cortex-muted' }, 'Computing the preview of ' + c.checkpointId + '…'));
    let preview;
    try {
      preview = await rest(this.api, 'GET', '/sessions/' + enc(this.sessionId) + '/checkpoints/' + enc(c.checkpointId)
        + '/preview', undefined, this.abort.signal);
    } catch (e) {
      if (e.name === 'AbortError') {
        return;
      }
      clear(panel);
      panel.dataset.state = 'error';
      panel.appendChild(h('div', { className: 'alert alert-danger', dataset: { cortex: 'preview-error' } },
        'Could not preview ' + c.checkpointId + ': ' + e.message));
      return;
    }
    clear(panel);
    panel.dataset.state = 'loaded';
    const fileList = (title, files, key) => h('div', { dataset: { cortex: 'preview-' + key } },
      h('strong', null, title + ' (' + files.length + ')'),
      files.length ? h('ul', null, files.map(f => h('li', null, f))) : h('div', { className: 'cortex-muted' }, 'none'));
    const safety = preview.safety || { safe: true };
    panel.appendChild(h('div', { className: 'cortex-panel-header' },
      h('strong', null, 'Preview: rolling back to ', h('span', { className: 'cortex-id' }, c.checkpointId), ' (',
        h('span', { className: 'cortex-sha' }, c.shortSha), ') would change the repository like this. Nothing has been changed.'),
      h('span', null,
        h('button', { type: 'button', className: 'btn btn-warning btn-xs', dataset: { cortex: 'preview-rollback' },
          onclick: () => this.openDialog(c) }, 'Roll back…'),
        ' ',
        h('button', { type: 'button', className: 'btn btn-default btn-xs', dataset: { cortex: 'preview-close' },
          onclick: () => { clear(panel); panel.hidden = true; this.select(null); } }, 'Close'))));
    panel.appendChild(h('div', { className: 'cortex-files' },
      fileList('Modified', preview.modified || [], 'modified'),
      fileList('Added', preview.added || [], 'added'),
      fileList('Deleted', preview.deleted || [], 'deleted'),
      fileList('Untracked, removed', preview.untrackedRemoved || [], 'untracked')));
    panel.appendChild(safety.safe
      ? h('div', { className: 'alert alert-success', dataset: { cortex: 'preview-safety', safe: 'true' } },
        'The safety check allows this rollback.')
      : h('div', { className: 'alert alert-warning', dataset: { cortex: 'preview-safety', safe: 'false' } },
        (safety.details || safety.warning || 'The safety check refuses this rollback.')
        + '\nA rollback needs Force now; everything on disk is kept in a PRE_ROLLBACK checkpoint first.'));
    if (preview.stat) {
      panel.appendChild(h('pre', { dataset: { cortex: 'preview-stat' } }, preview.stat));
    }
    panel.appendChild(this.diff(preview.diff));
  }

  /** The unified diff, line by line as text, coloured by its first character. */
  diff(text) {
    const pre = h('pre', { dataset: { cortex: 'preview-diff' } });
    if (!text) {
      pre.textContent = '(no differences)';
      return pre;
    }
    const lines = text.split('\n');
    if (lines.length && lines[lines.length - 1] === '') {
      lines.pop();
    }
    for (const line of lines) {
      let cls = null;
      if (line.startsWith('diff --git') || line.startsWith('+++') || line.startsWith('---')
          || line.startsWith('index ') || line.startsWith('new file') || line.startsWith('deleted file')) {
        cls = 'cortex-meta';
      } else if (line.startsWith('@@')) {
        cls = 'cortex-hunk';
      } else if (line.startsWith('+')) {
        cls = 'cortex-add';
      } else if (line.startsWith('-')) {
        cls = 'cortex-del';
      }
      pre.appendChild(cls ? h('span', { className: cls }, line) : document.createTextNode(line + '\n'));
    }
    return pre;
  }

  async openDialog(c) {
    this.closeDialog();
    this.select(c.checkpointId);
    const force = h('input', { type: 'checkbox', dataset: { cortex: 'rollback-force' } });
    const safetyBox = h('div', { dataset: { cortex: 'rollback-safety' } },
      h('span', { className: 'cortex-muted' }, 'Running the safety check…'));
    const errorBox = h('div', { dataset: { cortex: 'rollback-error' } });
    const confirm = h('button', { type: 'button', className: 'btn btn-danger', dataset: { cortex: 'rollback-confirm' } },
      'Roll back');
    const cancel = h('button', { type: 'button', className: 'btn btn-default', dataset: { cortex: 'rollback-cancel' },
      onclick: () => this.closeDialog() }, 'Cancel');
    const dialog = h('div', { className: 'modal-dialog', role: 'dialog', 'aria-modal': 'true',
      'aria-labelledby': 'cortex-rollback-title' },
      h('div', { className: 'modal-content' },
        h('div', { className: 'modal-header' },
          h('h4', { className: 'modal-title', id: 'cortex-rollback-title' },
            'Roll back to ', h('span', { className: 'cortex-id' }, c.checkpointId), '?')),
        h('div', { className: 'modal-body' },
          h('p', null, 'Session ', h('strong', null, this.sessionId), ' goes back to checkpoint ',
            h('strong', { className: 'cortex-id' }, c.checkpointId), ' (' + (c.phase ? 'phase ' + c.phase + ', ' : '')
            + c.type + ', ' + c.shortSha + ').'),
          h('p', null, 'The files on disk are replaced by the checkpoint\u2019s snapshot; what is there now is kept in a'
            + ' PRE_ROLLBACK checkpoint first (Undo restores it). A running process instance goes through its'
            + ' \u201cRollback requested\u201d event subprocess and waits in the checkpoint\u2019s phase.'),
          safetyBox,
          h('div', { className: 'checkbox' },
            h('label', null, force, ' Force: roll back even though the safety check refuses it'
              + ' (uncommitted changes, HEAD moved)')),
          errorBox),
        h('div', { className: 'modal-footer' }, cancel, confirm)));
    const overlay = h('div', { className: 'cortex-overlay', dataset: { cortex: 'rollback-dialog', checkpointId: c.checkpointId },
      onclick: (event) => { if (event.target === overlay && !confirm.disabled) { this.closeDialog(); } } }, dialog);
    overlay.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !confirm.disabled) {
        this.closeDialog();
      }
    });
    confirm.addEventListener('click', () => this.rollback(c, force, confirm, cancel, errorBox));
    force.addEventListener('change', () => clear(errorBox)); // an earlier refusal no longer applies
    this.overlay = overlay;
    document.body.appendChild(overlay);
    cancel.focus();
    try {
      const safety = await rest(this.api, 'GET', '/sessions/' + enc(this.sessionId) + '/checkpoints/'
        + enc(c.checkpointId) + '/safety', undefined, this.abort.signal);
      clear(safetyBox);
      safetyBox.dataset.safe = String(!!safety.safe);
      safetyBox.appendChild(safety.safe
        ? h('div', { className: 'alert alert-success' }, 'The safety check allows this rollback.')
        : h('div', { className: 'alert alert-warning' }, (safety.details || safety.warning)
          + '\nTick Force to roll back anyway.'));
    } catch (e) {
      if (e.name !== 'AbortError') {
        clear(safetyBox);
        safetyBox.appendChild(h('div', { className: 'alert alert-danger' }, 'The safety check failed: ' + e.message));
      }
    }
  }

  closeDialog() {
    if (this.overlay && this.overlay.parentNode) {
      this.overlay.parentNode.removeChild(this.overlay);
    }
    this.overlay = null;
  }

  async rollback(c, force, confirm, cancel, errorBox) {
    confirm.disabled = true;
    cancel.disabled = true;
    force.disabled = true;
    confirm.textContent = 'Rolling back…';
    clear(errorBox);
    try {
      const result = await rest(this.api, 'POST', '/sessions/' + enc(this.sessionId) + '/rollback',
        { checkpointId: c.checkpointId, force: !!force.checked }, this.abort.signal);
      this.closeDialog();
      this.showResult(result);
      clear(this.preview);
      this.preview.hidden = true;
      await this.load();
    } catch (e) {
      if (e.name === 'AbortError') {
        return;
      }
      confirm.disabled = false;
      cancel.disabled = false;
      force.disabled = false;
      confirm.textContent = 'Roll back';
      const title = e.status === 409 ? 'The rollback was refused; nothing was changed.'
        : 'The rollback failed' + (e.status ? ' (HTTP ' + e.status + ')' : '') + '.';
      errorBox.appendChild(h('div', { className: 'alert alert-danger', dataset: { cortex: 'rollback-failure',
        status: String(e.status) } },
        h('strong', null, title), '\n' + e.message,
        e.status === 409 && e.body && e.body.safety && !force.checked ? '\nTick Force and confirm again to roll back anyway.'
          : null));
    }
  }

  showResult(result) {
    clear(this.result);
    const written = result.filesWritten || [];
    const deleted = result.filesDeleted || [];
    this.result.appendChild(h('div', { className: 'alert alert-success', dataset: { cortex: 'rollback-success',
      checkpointId: result.checkpointId, preRollback: result.preRollbackCheckpointId || '' } },
      h('strong', null, 'Rolled back to ' + result.checkpointId + '. '), result.message,
      h('ul', null,
        h('li', null, 'Files written: ' + (written.length ? written.join(', ') : 'none')),
        h('li', null, 'Files deleted: ' + (deleted.length ? deleted.join(', ') : 'none')),
        result.preRollbackCheckpointId
          ? h('li', null, 'The state before is kept in ' + result.preRollbackCheckpointId + '.') : null),
      h('button', { type: 'button', className: 'btn btn-default btn-xs', dataset: { cortex: 'reload-view' },
        onclick: () => window.location.reload() }, 'Reload the instance view'),
      ' ',
      h('span', { className: 'cortex-muted' }, 'to see the instance\u2019s new activity in the diagram.')));
  }
}

function tab(id, pluginPoint) {
  const active = new Set();
  return {
    id,
    pluginPoint,
    priority: 5,
    properties: { label: 'Checkpoints' },
    render(node, { api, processInstanceId }) {
      const view = new CheckpointsTab(node, api, processInstanceId);
      active.add(view);
      view.mount();
    },
    unmount() {
      for (const view of active) {
        view.unmount();
      }
      active.clear();
    }
  };
}

export default [
  tab('cortex-checkpoints', 'cockpit.processInstance.runtime.tab'),
  // Cockpit's history view of a process instance (Enterprise Edition) has tabs of its own.
  tab('cortex-checkpoints-history', 'cockpit.processInstance.history.tab')
];
