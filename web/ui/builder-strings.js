// builder-strings.js - the words of the "Use in a course" builder (web/ui/course-builder.js).
// A dictionary only, read by web/lib/i18n.js's translator.

const en = {
  'b.open': 'Use in a course',
  'b.openTitle': 'Embed this view in a course page, a slide deck or an LMS',
  'b.title': 'Use this view in a course',
  'b.intro': 'The view is this page as it is now (its settings, panel and stage). Tick what the student should not see or not change, pick the size and language, then copy the snippet or the link.',
  'b.control': 'Control',
  'b.hide': 'Hide',
  'b.lock': 'Lock',
  'b.size': 'Size',
  'b.width': 'Width',
  'b.height': 'Height',
  'b.lang': 'Language',
  'b.compact': 'Compact view (no header)',
  'b.preview': 'Preview',
  'b.snippet': 'iframe snippet',
  'b.link': 'Link',
  'b.copySnippet': 'Copy snippet',
  'b.copyLink': 'Copy link',
  'b.copied': 'Copied',
  'b.copyFailed': 'Select and copy by hand',
  'b.close': 'Close',
  'b.frameTitle': 'Backprop Lab',
};

const ru = {
  'b.open': 'В курс',
  'b.openTitle': 'Встроить этот вид в страницу курса, слайды или СДО',
  'b.title': 'Встроить этот вид в курс',
  'b.intro': 'Вид — это страница в её нынешнем состоянии (настройки, панель, этап). Отметьте, что студент не должен видеть или менять, выберите размер и язык, затем скопируйте код или ссылку.',
  'b.control': 'Элемент',
  'b.hide': 'Скрыть',
  'b.lock': 'Закрепить',
  'b.size': 'Размер',
  'b.width': 'Ширина',
  'b.height': 'Высота',
  'b.lang': 'Язык',
  'b.compact': 'Компактный вид (без шапки)',
  'b.preview': 'Предпросмотр',
  'b.snippet': 'Код iframe',
  'b.link': 'Ссылка',
  'b.copySnippet': 'Скопировать код',
  'b.copyLink': 'Скопировать ссылку',
  'b.copied': 'Скопировано',
  'b.copyFailed': 'Выделите и скопируйте вручную',
  'b.close': 'Закрыть',
  'b.frameTitle': 'Backprop Lab',
};

export const BUILDER_STRINGS = Object.freeze({ en, ru });
