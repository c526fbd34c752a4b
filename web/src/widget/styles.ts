// The widget's styles, adopted by its shadow root: no <style> element and no
// style attribute, so the host page's Content-Security-Policy need not allow
// inline styles, and the host's own styles cannot reach inside.

export const CSS = `
:host { all: initial; position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #1d4ed8;
  background: #1d4ed8; color: #fff; padding: 7px 12px; }
button.secondary { background: #fff; color: #1d4ed8; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
  outline: 3px solid #f59e0b; outline-offset: 1px; }
.launcher { border-radius: 24px; padding: 12px 18px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }
.panel { width: 340px; max-width: calc(100vw - 40px); height: 520px; max-height: calc(100vh - 40px);
  background: #fff; border-radius: 12px; box-shadow: 0 8px 30px rgba(0,0,0,.3);
  display: flex; flex-direction: column; overflow: hidden; }
header { background: #1d4ed8; color: #fff; padding: 10px 12px; display: flex; align-items: center; gap: 8px; }
header h2 { font-size: 15px; margin: 0; flex: 1; }
header button { background: transparent; border-color: rgba(255,255,255,.6); padding: 3px 8px; }
.status { padding: 6px 12px; background: #eef2ff; color: #1e3a8a; font-size: 13px; }
.status[hidden] { display: none; }
.body { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
form { display: flex; flex-direction: column; gap: 8px; }
label { display: flex; flex-direction: column; gap: 3px; font-size: 13px; color: #374151; }
input, select, textarea { font: inherit; padding: 7px 8px; border: 1px solid #9ca3af; border-radius: 6px; color: #111827; background: #fff; }
textarea { resize: vertical; min-height: 70px; }
.entries { display: flex; flex-wrap: wrap; gap: 6px; }
.row { display: flex; gap: 6px; align-items: flex-end; }
.row > label { flex: 1; }
.error { color: #b91c1c; font-size: 13px; }
.msg { max-width: 80%; padding: 7px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.visitor { align-self: flex-end; background: #1d4ed8; color: #fff; }
.msg.operator { align-self: flex-start; background: #f3f4f6; }
.msg.pending { opacity: .6; }
.msg.system { align-self: center; background: none; color: #4b5563; font-size: 12px; text-align: center; }
.card { align-self: stretch; border: 1px solid #c7d2fe; border-radius: 10px; padding: 10px; background: #f8faff; }
.card h3 { margin: 0 0 4px; font-size: 14px; }
.card p { margin: 0 0 8px; }
.card .buttons { display: flex; gap: 6px; }
.log, .chat { display: flex; flex-direction: column; gap: 8px; }
.typing { font-size: 12px; color: #4b5563; min-height: 18px; padding: 0 12px; }
.composer { display: flex; flex-direction: row; gap: 6px; padding: 8px; border-top: 1px solid #e5e7eb; }
.composer textarea { flex: 1; min-height: 38px; height: 38px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
