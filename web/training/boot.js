// boot.js - the training page's first module (a file, not an inline script, so the page runs under a
// strict Content-Security-Policy without 'unsafe-inline'): starts the worker and the host API early.
import { moduleWorker } from '../ui/spawn.js';
import { connectHost } from '../ui/host.js';
import { parseOrigins } from '../lib/embed.js';
// Start the training worker first: it loads the core and the data (the file the URL asks for,
// at its input scaling) while the page's own modules load. web/training/app.js takes it over.
const q = new URLSearchParams(location.search);
const boot = new URLSearchParams({ data: q.get('data') === 'full' ? 'full' : 'subset', scale: q.get('scale') === 'pm05' ? 'pm05' : '01' });
try { window.backpropWorker = moduleWorker(new URL('./worker.js', import.meta.url), boot); } catch { /* app.js reports it */ }
// In a course page's frame, say 'ready' now: commands wait for the page's handlers (embed-link.js).
window.backpropHost = connectHost({ page: 'training', origins: parseOrigins(q.get('origin')).origins });
window.backpropHost.ready();
