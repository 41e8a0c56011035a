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
  'shell.projector': 'Проектор',
  'shell.projectorTitle': 'Вид для проектора: высокий контраст, крупный шрифт, толстые линии графиков',
};

export const SHELL_STRINGS = Object.freeze({ en, ru });
