// lms-strings.js - the words of reporting to a course (issue #14): the SCORM status line
// (web/ui/scorm.js), the package button of the panels' index (web/panels/scorm-button.js) and the
// package's titles (also scripts/scorm.mjs). A dictionary only, read by web/lib/i18n.js's translator.

const en = {
  'lms.course': 'Backprop Lab: exercises',
  'lms.item': 'Backprop Lab: {list}',
  'lms.connected': 'Connected to the course (SCORM 1.2). Graded here: {list}. Score {raw} %, {status}.',
  'lms.status.passed': 'passed',
  'lms.status.incomplete': 'not yet passed',
  'lms.noApi': 'The course system (SCORM 1.2) was not found: results are kept in this browser only.',
  'lms.error': 'The course system reported an error at {call}: {code} {message}. Results are kept in this browser.',
  'lms.restoreFailed': 'The progress saved in the course could not be read; it is left as it is.',
  'lms.badUrl': 'The link\'s {param}={value} was not used: {why}',
  'lms.why.empty': 'name at least one exercise ({allowed})',
  'lms.why.enum': 'unknown exercise {value}; exercises: {allowed}',
  'lms.why.dup': '{value} is named twice',
  'lms.why.bool': 'use 1 or 0',
  'lms.why.actor': 'not an xAPI agent (JSON with exactly one of mbox, mbox_sha1sum, openid, account)',
  'lms.why.activity': 'not an absolute http(s) address without #',
  'lms.pkg.title': 'Package for an LMS (SCORM 1.2)',
  'lms.pkg.intro': 'Tick the exercises of the package; Moodle imports the .zip as an activity (Add an activity → SCORM package) and grades the mean score, passed when every ticked exercise is passed.',
  'lms.pkg.make': 'Package for an LMS (SCORM 1.2)',
  'lms.pkg.none': 'Tick at least one exercise.',
  'lms.pkg.busy': 'Packing {n} files…',
  'lms.pkg.done': 'Saved {name} ({size} MB).',
  'lms.pkg.failed': 'The package could not be made: {message}',
};

const ru = {
  'lms.course': 'Backprop Lab: упражнения',
  'lms.item': 'Backprop Lab: {list}',
  'lms.connected': 'Связь с курсом (SCORM 1.2) есть. Оцениваются: {list}. Балл {raw} %, {status}.',
  'lms.status.passed': 'зачтено',
  'lms.status.incomplete': 'пока не зачтено',
  'lms.noApi': 'Система курса (SCORM 1.2) не найдена: результаты хранятся только в этом браузере.',
  'lms.error': 'Система курса сообщила об ошибке при {call}: {code} {message}. Результаты хранятся в этом браузере.',
  'lms.restoreFailed': 'Сохранённый в курсе прогресс не удалось прочитать; он оставлен как есть.',
  'lms.badUrl': 'Параметр ссылки {param}={value} не применён: {why}',
  'lms.why.empty': 'укажите хотя бы одно упражнение ({allowed})',
  'lms.why.enum': 'неизвестное упражнение {value}; упражнения: {allowed}',
  'lms.why.dup': '{value} указано дважды',
  'lms.why.bool': 'укажите 1 или 0',
  'lms.why.actor': 'это не агент xAPI (JSON ровно с одним из полей mbox, mbox_sha1sum, openid, account)',
  'lms.why.activity': 'нужен абсолютный адрес http(s) без #',
  'lms.pkg.title': 'Пакет для СДО (SCORM 1.2)',
  'lms.pkg.intro': 'Отметьте упражнения пакета; Moodle загружает .zip как элемент курса (Добавить элемент → Пакет SCORM) и ставит средний балл, «зачтено» — когда зачтены все отмеченные упражнения.',
  'lms.pkg.make': 'Пакет для СДО (SCORM 1.2)',
  'lms.pkg.none': 'Отметьте хотя бы одно упражнение.',
  'lms.pkg.busy': 'Упаковка файлов: {n}…',
  'lms.pkg.done': 'Сохранён {name} ({size} МБ).',
  'lms.pkg.failed': 'Пакет не создан: {message}',
};

export const LMS_STRINGS = { en, ru };
