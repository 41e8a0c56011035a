// pytorch.js - "Open in PyTorch" for a run of the results view's run table: the shared code dialog
// (ui/code-dialog.js) with the script for the run's first steps, written by a worker of its own
// (pytorch-worker.js, ended when it has answered) on the data the grid ran on.
import { translator } from '../lib/i18n.js';
import { WorkerClient } from '../lib/worker-client.js';
import { moduleWorker } from '../ui/spawn.js';
import { openCodeDialog } from '../ui/code-dialog.js';
import { CODE_STRINGS } from '../ui/code-strings.js';

const STEPS = 20;

/** Opens the dialog for result r (ExperimentRun.result(): config, losses) of the page's state. */
export function openRunScript(state, r) {
  const lang = state.lang, t = translator(CODE_STRINGS, lang);
  const losses = r.losses.slice(0, 3).map(x => state.f.sig(x, 6)).join('; ');
  const info = state.info || { data: 'subset', validation: 0 };
  return openCodeDialog({
    lang, file: 'train.py', note: t('code.runNote', { steps: STEPS, losses }),
    make: async () => {
      const client = new WorkerClient(moduleWorker(new URL('./pytorch-worker.js', import.meta.url)));
      try {
        const res = await client.request('pytorch', { cfg: r.config, data: info.data, validation: info.validation || 0, lang, steps: STEPS });
        const mb = Math.max(0.1, Math.round(res.zip.length / 1e5) / 10);
        return { script: res.script, extra: [{ label: t('code.zip', { mb }), name: res.name, data: () => res.zip }] };
      } finally { client.terminate(); }
    },
  });
}
