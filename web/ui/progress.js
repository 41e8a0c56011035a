// progress.js - the page's one store of exercise results (web/lib/exercise-progress.js) on the
// browser's localStorage where the page may use it (a sandboxed frame without storage keeps results
// for the visit). The panels record into it; the panels' index, the SCORM adapter and the xAPI
// statements read it. One module instance per page, so every importer shares the store.
import { ProgressStore } from '../lib/exercise-progress.js';
import { pageStorage } from './storage.js';

let shared = null;
export function progress() {
  if (!shared) shared = new ProgressStore(pageStorage());
  return shared;
}
