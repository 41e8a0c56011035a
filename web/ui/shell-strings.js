// shell-strings.js - the words of the page shell (web/ui/shell.js): the header every page shares.
// A dictionary only, read by web/lib/i18n.js's translator; tests/node/i18n.test.mjs checks that
// both languages have the same keys.

const en = {
  'shell.app': 'Backprop Lab',
  'shell.home': 'Backprop Lab: the training page',
  'shell.pages': 'Pages',
  'shell.training': 'Training',
  'shell.panels': 'Step by step',
  'shell.experiments': 'Experiments',
  'shell.bench': 'Speed',
  'shell.lang': 'Language',
  'shell.full': 'Open the full page',
  'shell.save': 'Save for offline use',
  'shell.saveTitle': 'One HTML file of this page that works with no network: from a disk or a USB stick, or uploaded to a course site (LMS)',
  'shell.projector': 'Projector',
  'shell.projectorTitle': 'Projector view: high contrast, larger type, thicker chart lines',
};

const ru = {
  'shell.app': 'Backprop Lab',
  'shell.home': 'Backprop Lab: страница обучения',
  'shell.pages': 'Страницы',
  'shell.training': 'Обучение',
  'shell.panels': 'Шаг за шагом',
  'shell.experiments': 'Эксперименты',
  'shell.bench': 'Скорость',
  'shell.lang': 'Язык',
  'shell.full': 'Открыть полную страницу',
  'shell.save': 'Сохранить для работы без сети',
  'shell.saveTitle': 'Один HTML-файл этой страницы, который работает без сети: с диска или флешки, или загруженный на сайт курса (LMS)',
  'shell.projector': 'Проектор',
  'shell.projectorTitle': 'Вид для проектора: высокий контраст, крупный шрифт, толстые линии графиков',
};

export const SHELL_STRINGS = Object.freeze({ en, ru });
