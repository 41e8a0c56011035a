// code-strings.js - the words of the code dialog (web/ui/code-dialog.js) and of the pages' "Open in
// PyTorch" button. A dictionary only, read by web/lib/i18n.js's translator; tests/node/i18n.test.mjs
// checks that both languages have the same keys.

const en = {
  'code.open': 'Open in PyTorch',
  'code.openTitle': 'A complete Python script (PyTorch) that computes the same numbers: shown, copyable, downloadable',
  'code.title': 'In PyTorch: {file}',
  'code.copy': 'Copy',
  'code.copied': 'Copied to the clipboard',
  'code.copyFailed': 'The browser did not allow copying: select the text and copy it by hand',
  'code.download': 'Download {file}',
  'code.close': 'Close',
  'code.label': 'The Python script',
  'code.making': 'Writing the script…',
  'code.failed': 'The script could not be written: {message}',
};

const ru = {
  'code.open': 'Открыть в PyTorch',
  'code.openTitle': 'Полный скрипт на Python (PyTorch), который вычисляет те же числа: показать, скопировать, скачать',
  'code.title': 'В PyTorch: {file}',
  'code.copy': 'Копировать',
  'code.copied': 'Скопировано в буфер обмена',
  'code.copyFailed': 'Браузер не разрешил копирование: выделите текст и скопируйте вручную',
  'code.download': 'Скачать {file}',
  'code.close': 'Закрыть',
  'code.label': 'Скрипт на Python',
  'code.making': 'Скрипт пишется…',
  'code.failed': 'Скрипт не удалось написать: {message}',
};

export const CODE_STRINGS = Object.freeze({ en, ru });
