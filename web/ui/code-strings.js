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
  'code.zip': 'Download all (.zip, {mb} MB)',
  'code.short': 'PyTorch',
  'code.openRun': 'Open the run {run} in PyTorch',
  'code.runNote': 'The script trains the first {steps} steps of this run in PyTorch from the same initial weights, on the same batches in the same order, and prints the loss of each step. The lab\'s first losses were {losses}. It reads model.json and the lab\'s training images and batch order (.npy) from its folder: download the .zip, unpack it and run “python3 train.py”.',
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
  'code.short': 'PyTorch',
  'code.openRun': 'Открыть запуск {run} в PyTorch',
  'code.runNote': 'Скрипт обучает в PyTorch первые {steps} шагов этого запуска с теми же начальными весами, на тех же батчах в том же порядке, и печатает потерю каждого шага. Первые потери в лаборатории: {losses}. Он читает model.json, обучающие изображения и порядок батчей лаборатории (.npy) из своей папки: скачайте .zip, распакуйте и запустите «python3 train.py».',
  'code.zip': 'Скачать всё (.zip, {mb} МБ)',
};

export const CODE_STRINGS = Object.freeze({ en, ru });
