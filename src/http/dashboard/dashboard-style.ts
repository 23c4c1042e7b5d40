/** The dashboard's style sheet (inline: the page loads nothing else). */
export const DASHBOARD_STYLE = `
:root { color-scheme: light dark; font: 14px/1.4 system-ui, sans-serif; }
body { margin: 0; }
[hidden] { display: none !important; }
header { display: flex; gap: 1rem; align-items: baseline; padding: .5rem 1rem; border-bottom: 1px solid #8884; }
h1 { font-size: 1.1rem; margin: 0; }
h2 { font-size: 1rem; margin: .5rem 0; }
main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; padding: 0 1rem; }
main > section { min-width: 0; overflow-x: auto; }
form#login { padding: 1rem; display: flex; gap: .5rem; align-items: center; }
.filters { display: flex; gap: 1rem; flex-wrap: wrap; margin-bottom: .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #8883; white-space: nowrap; }
td.command { max-width: 18rem; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; }
tr[aria-selected="true"] { background: #39f3; }
tbody tr { cursor: pointer; }
tbody tr:focus { outline: 2px solid #39f; outline-offset: -2px; }
.status-running { color: #06c; } .status-completed { color: #080; } .status-failed, .status-timeout { color: #c00; }
.status-cancelled { color: #a60; } .status-queued { color: #666; }
progress { width: 6rem; }
#pipelines-section { grid-column: 1 / -1; }
#pipelines { list-style: none; padding: 0; } #pipelines > li { margin-bottom: .5rem; }
#pipelines ul { margin: .25rem 0 0; padding-left: 1.5rem; font-size: .9em; }
.detail-bar { display: flex; gap: 1rem; align-items: center; margin-bottom: .5rem; }
#output { position: relative; height: 70vh; overflow: auto; font: 12px/18px ui-monospace, monospace; border: 1px solid #8884; }
#visible { position: absolute; left: 0; right: 0; top: 0; }
#visible div { height: 18px; white-space: pre; padding: 0 .5rem; }
#visible .stderr { color: #c00; background: #c001; }
#visible .stderr::before { content: "err "; opacity: .6; }
`;
